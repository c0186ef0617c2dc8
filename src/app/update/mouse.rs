//! The mouse (when turned on): the wheel scrolls the pane under the pointer, a click selects.

use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};

use super::{calls, compose, conversations, metadata, side, transcript, viewport};
use crate::app::action::Command;
use crate::app::effect::Effect;
use crate::app::state::{AppState, Focus};
use crate::app::view::layout;

/// Lines (thread) or rows (list) one wheel step moves.
const WHEEL_STEP: i32 = 3;

pub fn event(state: &mut AppState, event: MouseEvent) -> Vec<Effect> {
    if !state.settings.mouse || state.chrome.overlay.is_some() {
        return Vec::new();
    }
    let panes = layout::panes(
        state,
        Rect::new(0, 0, state.chrome.width, state.chrome.height),
    );
    let at = Position::new(event.column, event.row);
    let inside = |pane: Option<Rect>| pane.is_some_and(|r| r.contains(at));
    let wheel = match event.kind {
        MouseEventKind::ScrollUp => -WHEEL_STEP,
        MouseEventKind::ScrollDown => WHEEL_STEP,
        MouseEventKind::Down(MouseButton::Left) => 0,
        _ => return Vec::new(),
    };
    if state.mode() == crate::keymap::Mode::Diff {
        // The difference dialog covers the panes: the wheel scrolls it, a click does nothing.
        let command = if wheel < 0 {
            Command::Up
        } else {
            Command::Down
        };
        let steps = if wheel == 0 { 0 } else { WHEEL_STEP };
        for _ in 0..steps {
            metadata::dialog_command(state, command);
        }
        return Vec::new();
    }
    if state.chrome.view == crate::app::state::View::Calls {
        return calls_view(state, &panes, at, wheel, event.row);
    }
    if inside(panes.meta) && state.inbox.editor.is_none() {
        // The side pane (a popup over the thread below 140 columns): a click focuses it, the
        // wheel scrolls it.
        if wheel == 0 {
            state.chrome.focus = Focus::Side;
            return Vec::new();
        }
        let command = if wheel < 0 {
            Command::Up
        } else {
            Command::Down
        };
        for _ in 0..WHEEL_STEP {
            side::command(state, command);
        }
        return Vec::new();
    }
    if inside(panes.list) {
        if wheel == 0 {
            return click_row(state, panes.list.unwrap_or_default(), event.row);
        }
        let command = if wheel < 0 {
            Command::Up
        } else {
            Command::Down
        };
        let mut effects = Vec::new();
        for _ in 0..WHEEL_STEP {
            effects.extend(conversations::command(state, command));
        }
        return effects;
    }
    if inside(panes.thread) {
        if wheel == 0 {
            state.chrome.focus = Focus::Thread;
            return Vec::new();
        }
        return viewport::scroll_lines(state, wheel);
    }
    if inside(panes.compose) && wheel == 0 {
        return compose::start(state);
    }
    Vec::new()
}

/// The calls view: the wheel moves through the calls or scrolls the transcript; a click picks.
fn calls_view(
    state: &mut AppState,
    panes: &layout::Panes,
    at: Position,
    wheel: i32,
    row: u16,
) -> Vec<Effect> {
    let inside = |pane: Option<Rect>| pane.is_some_and(|r| r.contains(at));
    let command = if wheel < 0 {
        Command::Up
    } else {
        Command::Down
    };
    if let Some(list) = panes.list.filter(|_| inside(panes.list)) {
        state.chrome.focus = Focus::List;
        if wheel == 0 {
            let filtered = state.calls.search_editing
                || state.calls.filter != crate::api::CallFilter::default();
            let first = list.y + 1 + u16::from(filtered);
            let Some(below) = row.checked_sub(first) else {
                return Vec::new();
            };
            let index = state.calls.offset + usize::from(below / 2);
            if index >= state.calls.items.len() {
                return Vec::new();
            }
            state.calls.selected = index;
            return Vec::new();
        }
        let mut effects = Vec::new();
        for _ in 0..WHEEL_STEP {
            effects.extend(calls::command(state, command));
        }
        return effects;
    }
    if inside(panes.thread) && state.calls.open.is_some() {
        state.chrome.focus = Focus::Thread;
        if wheel != 0 {
            for _ in 0..WHEEL_STEP {
                transcript::command(state, command);
            }
        }
    }
    Vec::new()
}

/// Selects the conversation drawn at screen row `row` (two lines per conversation).
fn click_row(state: &mut AppState, list: Rect, row: u16) -> Vec<Effect> {
    state.chrome.focus = Focus::List;
    let filter_rows =
        u16::from(state.inbox.list.filter_editing || !state.inbox.list.filter.is_empty());
    let first = list.y + 1 + filter_rows;
    if row < first {
        return Vec::new();
    }
    let index = state.inbox.list.offset + usize::from((row - first) / 2);
    let rows = state.visible_rows();
    if let Some(&i) = rows.get(index) {
        state.inbox.list.selected = Some(state.inbox.list.items[i].id.clone());
    }
    conversations::maybe_load_more(state)
}
