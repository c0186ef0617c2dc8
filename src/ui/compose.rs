//! The reply box under the thread: the text wrapped (the layout gives it the rows it takes, see
//! `app::view::compose`), the send key on the left of its bottom border and the character count
//! (with the SMS parts on SMS threads) on the right.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use ratatui_textarea::CursorMove;

use super::pane_block;
use super::theme::Theme;
use crate::api::Capabilities;
use crate::app::action::Command;
use crate::app::state::{AppState, Draft, Focus, SendState};
use crate::app::view::compose;
use crate::keymap::Mode;
use crate::text::sanitize_line;

pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let Some(id) = state.inbox.open.as_ref() else {
        return;
    };
    let focused = state.chrome.focus == Focus::Compose;
    let conversation = state.conversation(id);
    let caps = conversation
        .map(|c| c.capabilities.clone())
        .unwrap_or_default();
    let draft = state.inbox.drafts.get(id);
    let (hint, hint_style) = hint(state, draft, &caps, theme);
    let note = draft.is_some_and(|d| d.private);
    let title = if note {
        Line::from(vec![Span::styled(
            " Private note · agents only ",
            theme.warning,
        )])
    } else {
        Line::from(vec![Span::styled(" Reply ", theme.title)])
    };
    let mut block = pane_block(title, focused, theme).title_bottom(Line::styled(hint, hint_style));
    let sms = conversation.is_some_and(|c| crate::sms::is_sms_channel(c.channel.as_deref()));
    if let Some(count) = draft.and_then(|d| compose::counter(d.body().trim(), sms)) {
        block = block.title_bottom(Line::styled(format!(" {count} "), theme.dim).right_aligned());
    }
    if let Some(draft) = draft.filter(|d| !d.is_empty() || focused) {
        draw_text(frame, area, block, draft, focused, theme);
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

/// What the bottom border says on its left: the keys while writing, or why the box is locked.
fn hint(
    state: &AppState,
    draft: Option<&Draft>,
    caps: &Capabilities,
    theme: &Theme,
) -> (String, Style) {
    let send = state.keymap.keys_for(Mode::Compose, Command::Send);
    let newline = state.keymap.keys_for(Mode::Compose, Command::Newline);
    match draft {
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
        _ if state.chrome.focus == Focus::Compose => (
            format!(" {send} send · {newline} new line · esc back "),
            theme.dim,
        ),
        _ => (" r reply ".into(), theme.dim),
    }
}

/// The draft, wrapped in [`compose::text_area`] (the rows the layout measured); collapsed to its
/// first row when the box is not focused.
fn draw_text(
    frame: &mut Frame,
    area: Rect,
    block: Block<'_>,
    draft: &Draft,
    focused: bool,
    theme: &Theme,
) {
    let mut text = draft.text.clone();
    text.set_wrap_mode(compose::WRAP);
    if !focused {
        text.move_cursor(CursorMove::Top);
        text.move_cursor(CursorMove::Head);
    }
    text.set_cursor_line_style(Style::default());
    let cursor = if focused && draft.sending.is_none() {
        theme.selected
    } else {
        Style::default()
    };
    text.set_cursor_style(cursor);
    frame.render_widget(block, area);
    frame.render_widget(&text, compose::text_area(area));
}
