//! The help overlay, generated from the keymap: every binding with its description, and the
//! editing keys of the one-line boxes after the find box's.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::theme::Theme;
use super::{pane_block, popup_area};
use crate::app::state::AppState;
use crate::keymap::{HELP_MODES, LINE_EDIT_TITLE, Mode, line_edit_help};

/// All help lines (also used by tests to check every binding is listed).
pub fn lines(state: &AppState, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for mode in HELP_MODES {
        section(&mut lines, mode.title(), state.keymap.help(mode), theme);
        if mode == Mode::Find {
            section(&mut lines, LINE_EDIT_TITLE, line_edit_help(), theme);
        }
    }
    lines.push(Line::styled(
        "Metadata saves replace the whole object; the server's copy is checked first.".to_owned(),
        theme.dim,
    ));
    lines.push(Line::styled(
        "An open metadata editor follows the server's copy; an edit is never replaced unasked."
            .to_owned(),
        theme.dim,
    ));
    lines.push(Line::styled(
        "A reply whose outcome is unknown is checked in the thread before it can be sent again."
            .to_owned(),
        theme.dim,
    ));
    lines.push(Line::styled(
        "The reply box wraps and grows to 6 rows; its border counts characters and, on SMS,"
            .to_owned(),
        theme.dim,
    ));
    lines.push(Line::styled(
        "the messages it goes as: GSM-7 160, then 153 each; UCS-2 (emoji, ç, ’…) 70, then 67."
            .to_owned(),
        theme.dim,
    ));
    if let Some(path) = &state.log_path {
        let text = format!("Log file: {}", crate::text::sanitize_line(path));
        lines.push(Line::styled(text, theme.dim));
    }
    lines
}

/// A heading and its keys (nothing when there are none).
fn section(
    lines: &mut Vec<Line<'static>>,
    title: &str,
    entries: Vec<(String, &'static str)>,
    theme: &Theme,
) {
    if entries.is_empty() {
        return;
    }
    lines.push(Line::styled(title.to_owned(), theme.title));
    for (keys, description) in entries {
        lines.push(Line::from(vec![
            Span::styled(format!("  {keys:<22}"), theme.key),
            Span::raw(description),
        ]));
    }
    lines.push(Line::default());
}

pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let popup = popup_area(area, 90, area.height.saturating_sub(2));
    frame.render_widget(Clear, popup);
    let block = pane_block(
        Line::styled(" Help · j/k scroll · esc close ", theme.title),
        true,
        theme,
    );
    let all = lines(state, theme);
    let inner_height = usize::from(popup.height.saturating_sub(2));
    let max_scroll = all.len().saturating_sub(inner_height);
    let scroll = usize::from(state.chrome.help_scroll).min(max_scroll);
    let visible: Vec<Line> = all.into_iter().skip(scroll).collect();
    frame.render_widget(Paragraph::new(visible).block(block), popup);
}
