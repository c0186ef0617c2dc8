//! Moves between panes and items: opening a conversation (from the list, a search hit, an unread
//! jump, the calls view), replying, opening the metadata editor. The one reducer that calls into
//! several panes' reducers, so they never call each other and `update/` stays a tree: `update`
//! and `mouse` on top, `navigate` and `sync` under them, the panes, then their shared leaves
//! (`viewport`, `position`, `status`).

use super::{calls, compose, conversations, metadata, reading, status, thread};
use crate::api::{ConversationId, MessageId, Timestamp};
use crate::app::action::Command;
use crate::app::effect::Effect;
use crate::app::state::{AppState, Focus, View};
use crate::app::view::side;
use crate::keymap::Mode;

/// The commands that move between panes, where `mode` binds them; `None` for the rest.
pub fn command(state: &mut AppState, mode: Mode, command: Command) -> Option<Vec<Effect>> {
    let list = match mode {
        Mode::List => true,
        Mode::Filter => state.chrome.view == View::Conversations,
        Mode::Thread => false,
        Mode::Side if command == Command::EditMetadata => {
            let target = side::conversation(state).map(|c| c.id.clone());
            return Some(target.map_or_else(Vec::new, |id| metadata::open(state, &id)));
        }
        _ => return None,
    };
    let target = if list {
        state.inbox.list.selected.clone()
    } else {
        state.inbox.open.clone()
    };
    let effects = match command {
        Command::Open if list => target.map_or_else(Vec::new, |id| open(state, &id)),
        Command::Reply if list => match target {
            Some(id) => {
                let mut effects = open(state, &id);
                effects.extend(compose::start(state));
                effects
            }
            None => Vec::new(),
        },
        Command::Reply => compose::start(state),
        Command::EditMetadata => target.map_or_else(Vec::new, |id| metadata::open(state, &id)),
        _ => return None,
    };
    Some(effects)
}

/// Opens a conversation, from wherever the user is: a search hit or an unread jump from the
/// calls view goes to the conversations.
pub fn open(state: &mut AppState, id: &ConversationId) -> Vec<Effect> {
    let mut effects = calls::leave(state);
    effects.extend(thread::open(state, id));
    effects
}

/// Opens a conversation at a message (a search result).
pub fn open_at(
    state: &mut AppState,
    conversation: &ConversationId,
    at: Timestamp,
    message: MessageId,
) -> Vec<Effect> {
    let mut effects = open(state, conversation);
    effects.extend(reading::seek(state, at, message));
    effects
}

/// Selects (in the list) or opens (from the thread) the next or previous unread conversation.
pub fn jump_unread(state: &mut AppState, forward: bool) -> Vec<Effect> {
    let rows = state.visible_rows();
    let unread: Vec<usize> = rows
        .iter()
        .enumerate()
        .filter(|(_, i)| {
            let id = &state.inbox.list.items[**i].id;
            state.inbox.list.unread.contains_key(id) && state.inbox.open.as_ref() != Some(id)
        })
        .map(|(at, _)| at)
        .collect();
    if unread.is_empty() {
        status::notify(state, "No unread conversations", false);
        return Vec::new();
    }
    let current = state.inbox.list.selected.as_ref().and_then(|id| {
        rows.iter()
            .position(|&i| &state.inbox.list.items[i].id == id)
    });
    let target = match (current, forward) {
        (Some(at), true) => unread.iter().find(|&&u| u > at).or(unread.first()),
        (Some(at), false) => unread.iter().rev().find(|&&u| u < at).or(unread.last()),
        (None, true) => unread.first(),
        (None, false) => unread.last(),
    };
    let Some(&target) = target else {
        return Vec::new();
    };
    let id = state.inbox.list.items[rows[target]].id.clone();
    state.inbox.list.selected = Some(id.clone());
    if matches!(state.chrome.focus, Focus::Thread | Focus::Compose) {
        open(state, &id)
    } else {
        conversations::maybe_load_more(state)
    }
}
