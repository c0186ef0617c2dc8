//! The side pane without an editor (pane 3): the open or selected conversation's metadata or
//! session facts, read-only. Scrolling by the lines `view::side` lays out; `e` (the editor) is
//! `navigate`'s, as from the list and the thread.

use crate::app::action::Command;
use crate::app::effect::Effect;
use crate::app::state::{AppState, Focus};
use crate::app::view::side;

/// Keys of the side pane.
pub fn command(state: &mut AppState, command: Command) -> Vec<Effect> {
    let Some(id) = side::conversation(state).map(|c| c.id.clone()) else {
        state.chrome.focus = Focus::List;
        return Vec::new();
    };
    let at = side::scroll(state);
    let max = side::max_scroll(state);
    let page = side::area(state).height.saturating_sub(1).max(1);
    let target = match command {
        Command::Down => at.saturating_add(1),
        Command::Up => at.saturating_sub(1),
        Command::PageDown => at.saturating_add(page),
        Command::PageUp => at.saturating_sub(page),
        Command::Top => 0,
        Command::Bottom => max,
        Command::Back => {
            back(state);
            return Vec::new();
        }
        _ => return Vec::new(),
    };
    state.chrome.side_scroll = Some((id, target.min(max)));
    Vec::new()
}

/// Leaves the side pane: to the thread when one is open, else to the list.
pub fn back(state: &mut AppState) {
    state.chrome.focus = if state.inbox.open.is_some() {
        Focus::Thread
    } else {
        Focus::List
    };
}
