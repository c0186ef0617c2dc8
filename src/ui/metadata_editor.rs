//! The metadata pane: the conversation's metadata as JSON, read-only or in the editor, and the
//! conflict dialog when the server's copy changed during an edit.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::theme::Theme;
use super::{pane_block, popup_area};
use crate::api::Metadata;
use crate::app::action::Command;
use crate::app::state::{AppState, EditorPhase, Focus};
use crate::app::view::side;
use crate::keymap::Mode;
use crate::text::{escape_json_invisibles, sanitize_line};

/// The pane: the editor when one is open, else the selected conversation's metadata.
pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let focused = state.chrome.focus == Focus::Editor;
    if let Some(editor) = &state.inbox.editor {
        let name = state
            .conversation(&editor.conversation)
            .map(|c| sanitize_line(&state.display_name(c)))
            .unwrap_or_default();
        let read_only = state.settings.read_only;
        let title = if read_only {
            format!(" Metadata · {name} · view only ")
        } else {
            format!(" Metadata · {name} ")
        };
        let title = Line::styled(title, theme.title);
        let (status, style) = status_line(state, theme);
        let block = pane_block(title, focused, theme);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let [warning, body, footer] = Layout::vertical([
            Constraint::Length(2),
            Constraint::Min(1),
            Constraint::Length(2),
        ])
        .areas(inner);
        let note = if read_only {
            "Read-only (--read-only): the metadata can be read, not changed · esc close"
        } else {
            "Saving replaces the whole object · empty clears it (null) · ctrl-s save · esc close"
        };
        frame.render_widget(
            Paragraph::new(Line::styled(note, theme.warning)).wrap(Wrap { trim: true }),
            warning,
        );
        frame.render_widget(
            Paragraph::new(Line::styled(status, style)).wrap(Wrap { trim: true }),
            footer,
        );
        let mut text = editor.text.clone();
        text.set_cursor_line_style(Style::default());
        text.set_cursor_style(if focused {
            theme.selected
        } else {
            Style::default()
        });
        frame.render_widget(&text, body);
        return;
    }
    render_viewer(frame, area, state, theme);
}

/// The pane without an editor: the open (else selected) conversation's session facts or
/// metadata, read-only, scrolled as `update` left it.
fn render_viewer(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let focused = state.chrome.focus == Focus::Side;
    let conv = side::conversation(state);
    let title = if conv.is_some_and(|c| c.session.is_some()) {
        " Session "
    } else {
        " Metadata "
    };
    let mut block = pane_block(Line::styled(title, theme.title), focused, theme);
    if focused {
        let keys = state.keymap.keys_for(Mode::Side, Command::Back);
        block = block.title_bottom(Line::styled(format!(" {keys} back "), theme.dim));
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(conv) = conv else {
        return;
    };
    let lines = side::lines(conv, inner.width, theme);
    let scroll = side::scroll(state).min(side::max_scroll(state));
    let shown: Vec<Line> = lines.into_iter().skip(usize::from(scroll)).collect();
    frame.render_widget(Paragraph::new(shown), inner);
}

/// Metadata as pretty JSON lines, with invisible characters escaped.
fn json_lines(metadata: &Metadata, theme: &Theme) -> Vec<Line<'static>> {
    if metadata.is_none() {
        return vec![Line::styled("(no metadata)", theme.dim)];
    }
    escape_json_invisibles(&metadata.to_pretty_json())
        .lines()
        .map(|l| Line::styled(l.to_owned(), theme.base))
        .collect()
}

fn status_line(state: &AppState, theme: &Theme) -> (String, Style) {
    let Some(editor) = &state.inbox.editor else {
        return (String::new(), theme.dim);
    };
    if state.settings.read_only {
        return ("view only · nothing here is sent".into(), theme.dim);
    }
    match (&editor.phase, &editor.parsed, &editor.error) {
        (EditorPhase::Checking(_), _, _) => ("checking the server's copy…".into(), theme.warning),
        (EditorPhase::Saving(_), _, _) => ("saving…".into(), theme.warning),
        (EditorPhase::Conflict { .. }, _, _) => {
            ("changed on the server: choose".into(), theme.error)
        }
        (_, Err(e), _) => (
            format!(
                "✗ line {}, column {}: {}",
                e.line,
                e.column,
                sanitize_line(&e.message)
            ),
            theme.error,
        ),
        (_, _, Some(error)) => (sanitize_line(error), theme.error),
        (_, Ok(m), None) if editor.is_dirty() && m.is_none() => {
            ("✓ empty: saving clears the metadata".into(), theme.ok)
        }
        (_, Ok(_), None) if editor.is_dirty() => ("✓ valid JSON object · unsaved".into(), theme.ok),
        (_, Ok(_), None) if editor.saved => ("✓ saved".into(), theme.dim),
        (_, Ok(_), None) => ("no changes".into(), theme.dim),
    }
}

/// The conflict dialog: both versions side by side, and the choices.
pub fn render_conflict(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let Some(editor) = &state.inbox.editor else {
        return;
    };
    let EditorPhase::Conflict { server } = &editor.phase else {
        return;
    };
    let popup = popup_area(
        area,
        area.width.saturating_sub(4).min(110),
        area.height.saturating_sub(2).min(24),
    );
    frame.render_widget(Clear, popup);
    let title = Line::styled(
        " The metadata changed on the server while you edited ",
        theme.error,
    );
    let block = pane_block(title, true, theme).title_bottom(Line::styled(
        " o overwrite with yours · r reload theirs (drops yours) · esc keep editing ",
        theme.key,
    ));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(inner);
    let mine = editor.parsed.clone().unwrap_or_default();
    for (rect, label, metadata) in [(left, "Yours", &mine), (right, "On the server now", server)] {
        let mut lines = vec![Line::styled(label, theme.title)];
        lines.extend(json_lines(metadata, theme));
        frame.render_widget(Paragraph::new(lines), rect);
    }
}
