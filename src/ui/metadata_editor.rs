//! The metadata pane: the conversation's metadata as JSON, read-only or in the editor (with a
//! banner when the server's copy changed under an edit), and the difference dialog.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::pane_block;
use super::theme::Theme;
use crate::app::action::Command;
use crate::app::state::{AppState, EditorPhase, Focus, View};
use crate::app::view::metadata_diff::{self, DiffLine, Tone};
use crate::app::view::side;
use crate::keymap::Mode;
use crate::text::sanitize_line;

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
        frame.render_widget(
            Paragraph::new(note_line(state, theme)).wrap(Wrap { trim: true }),
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

/// The line above the text: the banner when the server's copy changed under an edit, else what
/// saving does.
fn note_line(state: &AppState, theme: &Theme) -> Line<'static> {
    let key = |c| state.keymap.first_key(Mode::Editor, c).unwrap_or_default();
    if state
        .inbox
        .editor
        .as_ref()
        .is_some_and(|e| e.newer.is_some())
    {
        let text = format!(
            "⚠ changed on the server · {} reload · {} diff",
            key(Command::Reload),
            key(Command::Diff)
        );
        return Line::styled(text, theme.error);
    }
    let note = if state.settings.read_only {
        "Read-only (--read-only): the metadata can be read, not changed · esc close".to_owned()
    } else {
        format!(
            "Saving replaces the whole object · empty clears it (null) · {} save · {} close",
            key(Command::Save),
            key(Command::Back)
        )
    };
    Line::styled(note, theme.warning)
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
        (EditorPhase::Comparing { .. }, _, _) => {
            ("comparing with the server's copy".into(), theme.dim)
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
        (_, Ok(_), None) if editor.reloaded => (
            "↻ the server's copy (it changed there; nothing of yours was lost)".into(),
            theme.dim,
        ),
        (_, Ok(_), None) => ("no changes".into(), theme.dim),
    }
}

/// The difference dialog (a save's conflict, `ctrl-d`, or `ctrl-r` over an edit): yours against
/// the server's copy key by key, scrollable, with its keys.
pub fn render_diff(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    if state.chrome.view == View::Calls {
        return;
    }
    let Some(editor) = &state.inbox.editor else {
        return;
    };
    let Some(dialog) = metadata_diff::dialog(editor, area) else {
        return;
    };
    let popup = dialog.area;
    frame.render_widget(Clear, popup);
    let title = match &editor.phase {
        EditorPhase::Conflict { .. } => " The metadata changed on the server while you edited ",
        _ if metadata_diff::asks_reload(editor) => {
            " Reload the server's copy? Your edit is dropped "
        }
        _ if editor.newer.is_some() => " Changed on the server: yours against theirs ",
        _ => " Your edit against the server's copy ",
    };
    let (body, height) = (&dialog.body, dialog.body_height);
    let scroll = editor.diff_scroll.min(dialog.max_scroll());
    let mut block = pane_block(Line::styled(title, theme.error), true, theme)
        .title_bottom(Line::styled(dialog_keys(state), theme.key));
    if body.len() > height {
        let last = (scroll + height).min(body.len());
        let at = format!(" {}–{last} of {} ", scroll + 1, body.len());
        block = block.title(Line::styled(at, theme.dim).right_aligned());
    }
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let mut lines: Vec<Line> = dialog.header.iter().map(|l| diff_line(l, theme)).collect();
    lines.push(Line::default());
    lines.extend(
        body.iter()
            .skip(scroll)
            .take(height)
            .map(|l| diff_line(l, theme)),
    );
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The dialog's keys, from the keymap.
fn dialog_keys(state: &AppState) -> String {
    let key = |c| state.keymap.first_key(Mode::Diff, c).unwrap_or_default();
    format!(
        " {}/{} scroll · {} overwrite · {} reload theirs · {} keep editing ",
        key(Command::Down),
        key(Command::Up),
        key(Command::Overwrite),
        key(Command::Reload),
        key(Command::Back)
    )
}

fn diff_line(line: &DiffLine, theme: &Theme) -> Line<'static> {
    let style = match line.tone {
        Tone::Summary => theme.title,
        Tone::Legend => theme.dim,
        Tone::Added => theme.ok,
        Tone::Removed => theme.error,
        Tone::Changed => theme.warning,
        Tone::Value => theme.base,
    };
    Line::from(vec![
        Span::styled(line.label, theme.dim),
        Span::styled(line.text.clone(), style),
    ])
}
