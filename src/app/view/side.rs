//! The side pane when no editor is open: which conversation it shows (the open one, else the
//! selected one) and its read-only lines (session facts, or the metadata as JSON), wrapped here
//! at the pane's width. `update` scrolls by these lines and `ui` draws them (lesson L3).

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::theme::Theme;
use super::transcript::duration;
use super::wrap::wrap;
use crate::api::{Conversation, Metadata, Scoped, SessionFacts};
use crate::app::state::{AppState, Focus};
use crate::text::{escape_json_invisibles, sanitize_line};

/// Shown for a field the token's scope hides.
pub const HIDDEN: &str = "hidden by token scope";
/// Cells of a fact's label column (`direction` and a space).
const LABEL: usize = 10;

/// The conversation the side pane shows: the open one, else the one selected in the list.
pub fn conversation(state: &AppState) -> Option<&Conversation> {
    state
        .inbox
        .open
        .as_ref()
        .or(state.inbox.list.selected.as_ref())
        .and_then(|id| state.conversation(id))
}

/// The pane's text area (inside its border) as it is while it has the focus.
pub fn area(state: &AppState) -> Rect {
    let screen = Rect::new(0, 0, state.chrome.width, state.chrome.height);
    let pane = super::layout::panes_for(state, screen, Focus::Side)
        .meta
        .unwrap_or_default();
    Rect {
        x: pane.x.saturating_add(1),
        y: pane.y.saturating_add(1),
        width: pane.width.saturating_sub(2),
        height: pane.height.saturating_sub(2),
    }
}

/// The lines scrolled off the top for the conversation shown now.
pub fn scroll(state: &AppState) -> u16 {
    match (&state.chrome.side_scroll, conversation(state)) {
        (Some((id, offset)), Some(c)) if *id == c.id => *offset,
        _ => 0,
    }
}

/// The furthest the pane scrolls: its last line at the bottom.
pub fn max_scroll(state: &AppState) -> u16 {
    let area = area(state);
    let total = conversation(state).map_or(0, |c| lines(c, area.width, &Theme::default()).len());
    u16::try_from(total)
        .unwrap_or(u16::MAX)
        .saturating_sub(area.height)
}

/// The pane's lines for `conversation`, wrapped at `width` cells.
pub fn lines(conversation: &Conversation, width: u16, theme: &Theme) -> Vec<Line<'static>> {
    let width = usize::from(width).max(LABEL + 1);
    if let Some(facts) = &conversation.session {
        return session_lines(facts, width, theme);
    }
    let mut out = metadata_lines(&conversation.metadata, width, theme);
    out.push(Line::default());
    let hint = if conversation.capabilities.edit_metadata {
        "e edit (JSON)"
    } else {
        "read-only: this conversation's metadata cannot be edited here"
    };
    out.extend(block(hint, width, theme.dim));
    out
}

fn metadata_lines(metadata: &Metadata, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    if metadata.is_none() {
        return vec![Line::styled("(no metadata)", theme.dim)];
    }
    block(
        &escape_json_invisibles(&metadata.to_pretty_json()),
        width,
        theme.base,
    )
}

/// Text wrapped at `width`, one style.
fn block(text: &str, width: usize, style: ratatui::style::Style) -> Vec<Line<'static>> {
    wrap(text, width)
        .into_iter()
        .map(|l| Line::styled(l, style))
        .collect()
}

/// `   status in_progress`: the label right-aligned in its column, the value wrapped beside it.
fn row(label: &str, value: &str, dim: bool, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let style = if dim { theme.dim } else { theme.base };
    wrap(value, width - LABEL)
        .into_iter()
        .enumerate()
        .map(|(i, part)| {
            let head = if i == 0 {
                format!("{label:>9} ")
            } else {
                " ".repeat(LABEL)
            };
            Line::from(vec![
                Span::styled(head, theme.dim),
                Span::styled(part, style),
            ])
        })
        .collect()
}

fn scoped_text(value: &Scoped<String>) -> (String, bool) {
    match value {
        Scoped::Value(v) => (sanitize_line(v), false),
        Scoped::Empty => ("—".into(), false),
        Scoped::Hidden => (HIDDEN.into(), true),
    }
}

/// The facts of an AI session (Anyreach), read-only, with "hidden by token scope" where the
/// token may not read a field.
fn session_lines(facts: &SessionFacts, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let channel = facts
        .channel
        .as_deref()
        .map_or_else(|| "—".into(), sanitize_line);
    let mut out = row("status", &sanitize_line(&facts.status), false, width, theme);
    out.extend(row("channel", &channel, false, width, theme));
    if let Some(d) = facts.direction {
        let direction = format!("{d:?}").to_lowercase();
        out.extend(row("direction", &direction, false, width, theme));
    }
    let length = facts
        .duration_seconds
        .and_then(|d| i64::try_from(d).ok())
        .map_or_else(|| "—".into(), duration);
    out.extend(row("duration", &length, false, width, theme));
    let turns = facts
        .user_turns
        .map_or_else(|| "—".into(), |t| t.to_string());
    out.extend(row("turns", &turns, false, width, theme));
    let (agent, hidden) = scoped_text(&facts.agent_name);
    out.extend(row("agent", &agent, hidden, width, theme));
    for (label, value) in [
        ("summary", &facts.summary),
        ("context", &facts.initial_context),
    ] {
        out.push(Line::default());
        out.push(Line::styled(label.to_owned(), theme.title));
        let (text, hidden) = scoped_text(value);
        out.extend(block(
            &text,
            width,
            if hidden { theme.dim } else { theme.base },
        ));
    }
    out.push(Line::default());
    out.push(Line::styled("custom metadata", theme.title));
    match &facts.custom_metadata {
        Scoped::Value(map) => {
            let json = serde_json::to_string_pretty(map).unwrap_or_default();
            out.extend(block(&escape_json_invisibles(&json), width, theme.base));
        }
        Scoped::Empty => out.push(Line::styled("(none)", theme.dim)),
        Scoped::Hidden => out.push(Line::styled(HIDDEN, theme.dim)),
    }
    out.push(Line::default());
    out.extend(block(
        "read-only: Anyreach has no API to edit a session",
        width,
        theme.dim,
    ));
    out
}
