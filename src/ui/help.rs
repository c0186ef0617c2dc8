//! The help overlay: the lines `app::view::help` builds from the keymap (filtered and wrapped),
//! from the scroll `update` keeps within them, under the filter line when there is one.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::pane_block;
use super::theme::Theme;
use crate::app::action::Command;
use crate::app::state::AppState;
use crate::app::view::help::{filter_shown, lines as help_lines, page, popup};
use crate::keymap::Mode;

pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let popup = popup(area);
    frame.render_widget(Clear, popup);
    let block = pane_block(Line::styled(title(state), theme.title), true, theme);
    let mut inner = block.inner(popup);
    frame.render_widget(block, popup);
    if filter_shown(state) {
        let filter = &state.chrome.help_filter;
        let mut spans = vec![Span::styled("/", theme.key)];
        if state.chrome.help_filter_editing {
            let cells = usize::from(inner.width).saturating_sub(1);
            spans.extend(super::line_input::spans(
                filter, cells, theme.key, theme.key,
            ));
        } else {
            spans.push(Span::styled(filter.as_str().to_owned(), theme.key));
        }
        frame.render_widget(
            Paragraph::new(Line::from(spans)),
            Rect { height: 1, ..inner },
        );
        inner.y += 1;
        inner.height = inner.height.saturating_sub(1);
    }
    let (width, rows) = page(state);
    let all = help_lines(state, theme, width);
    let max_scroll = all.len().saturating_sub(usize::from(rows));
    let scroll = usize::from(state.chrome.help_scroll).min(max_scroll);
    let visible: Vec<Line> = all
        .into_iter()
        .skip(scroll)
        .take(usize::from(rows))
        .collect();
    frame.render_widget(Paragraph::new(visible), inner);
}

/// ` Help · j/k scroll · space page · / filter · esc close `, with the keys bound now.
fn title(state: &AppState) -> String {
    let key = |c| state.keymap.first_key(Mode::Help, c).unwrap_or_default();
    format!(
        " Help · {}/{} scroll · {} page · {}/{} top/end · {} filter · {} close ",
        key(Command::Down),
        key(Command::Up),
        key(Command::PageDown),
        key(Command::Top),
        key(Command::Bottom),
        key(Command::Filter),
        key(Command::Back),
    )
}
