//! The reply box under the thread. The send key is shown in its border.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::pane_block;
use super::theme::Theme;
use crate::app::action::Command;
use crate::app::state::{AppState, Focus, SendState};
use crate::keymap::Mode;
use crate::text::sanitize_line;

pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let Some(id) = state.inbox.open.as_ref() else {
        return;
    };
    let focused = state.chrome.focus == Focus::Compose;
    let caps = state
        .conversation(id)
        .map(|c| c.capabilities.clone())
        .unwrap_or_default();
    let draft = state.inbox.drafts.get(id);
    let send = state.keymap.keys_for(Mode::Compose, Command::Send);
    let newline = state.keymap.keys_for(Mode::Compose, Command::Newline);
    let (hint, hint_style): (String, Style) = match draft {
        _ if state.settings.read_only => (" read-only: replies are off ".into(), theme.dim),
        _ if !caps.can_send => (
            format!(
                " replies disabled: {} ",
                sanitize_line(
                    caps.send_disabled_reason
                        .as_deref()
                        .unwrap_or("not allowed here")
                )
            ),
            theme.error,
        ),
        Some(d)
            if d.sending
                .as_ref()
                .is_some_and(|p| p.state == SendState::Sending) =>
        {
            (" sending… ".into(), theme.warning)
        }
        Some(d) if d.sending.is_some() => (
            " may or may not have been sent: checking the thread ".into(),
            theme.warning,
        ),
        Some(d) if d.error.is_some() => (
            format!(
                " {} ",
                sanitize_line(d.error.as_deref().unwrap_or_default())
            ),
            theme.error,
        ),
        _ if focused => (
            format!(" {send} send · {newline} new line · esc back "),
            theme.dim,
        ),
        _ => (" r reply ".into(), theme.dim),
    };
    let note = draft.is_some_and(|d| d.private);
    let title = if note {
        Line::from(vec![Span::styled(
            " Private note · agents only ",
            theme.warning,
        )])
    } else {
        Line::from(vec![Span::styled(" Reply ", theme.title)])
    };
    let block = pane_block(title, focused, theme).title_bottom(Line::styled(hint, hint_style));
    if let Some(draft) = draft.filter(|d| !d.is_empty() || focused) {
        let mut text = draft.text.clone();
        text.set_block(block);
        text.set_cursor_line_style(Style::default());
        let cursor = if focused && draft.sending.is_none() {
            theme.selected
        } else {
            Style::default()
        };
        text.set_cursor_style(cursor);
        frame.render_widget(&text, area);
    } else {
        let placeholder = if caps.can_send {
            "write a reply…"
        } else {
            ""
        };
        frame.render_widget(
            Paragraph::new(Line::styled(placeholder, theme.dim)).block(block),
            area,
        );
    }
}
