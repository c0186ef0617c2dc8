//! Where the user reads: the "new messages" divider where they left off, opening a thread at a
//! search result (loading the pages down to it), and jumping between unread conversations.

use super::viewport::{anchor_at, maybe_prefetch, measure};
use super::{conversations, status, thread};
use crate::api::{ConversationId, MessageId, Timestamp};
use crate::app::effect::Effect;
use crate::app::paging;
use crate::app::scroll::Top;
use crate::app::state::{AppState, Focus, Scroll, Thread};

fn open_thread(state: &mut AppState) -> Option<&mut Thread> {
    state.open.as_ref().and_then(|id| state.threads.get_mut(id))
}

/// After messages arrived in the open thread: place the divider, finish a seek.
pub fn settle(state: &mut AppState) -> Vec<Effect> {
    place_divider(state);
    let mut effects = resolve_seek(state);
    effects.extend(super::find::settle(state));
    effects
}

/// Puts the divider above the first message newer than where the user left off, once that
/// message is loaded; when the new messages do not fit on screen, starts reading there.
pub fn place_divider(state: &mut AppState) {
    let Some(thread) = open_thread(state) else {
        return;
    };
    let Some(since) = thread.unread_since else {
        return;
    };
    let first_new = thread.messages.partition_point(|m| m.sent_at <= since);
    if first_new >= thread.messages.len() || (first_new == 0 && !thread.at_beginning()) {
        // Nothing new loaded yet, or where the user left off is further back.
        return;
    }
    thread.divider = Some(thread.messages[first_new].id.clone());
    thread.unread_since = None;
    if thread.scroll != Scroll::Bottom || thread.seek_to.is_some() {
        return;
    }
    let hidden = measure(state, |_, top, _, _| top.index > first_new).unwrap_or(false);
    if hidden && let Some(thread) = open_thread(state) {
        thread.scroll = anchor_at(
            &thread.messages,
            Top {
                index: first_new,
                offset: 0,
            },
        );
    }
}

/// Opens a conversation at a message (a search result): loads pages back to it, shows it at
/// the top of the pane and marks it.
pub fn open_at(
    state: &mut AppState,
    conversation: &ConversationId,
    at: Timestamp,
    message: MessageId,
) -> Vec<Effect> {
    let mut effects = thread::open(state, conversation);
    if let Some(thread) = open_thread(state) {
        thread.seek_top = false;
        thread.seek_to = Some((at, message.clone()));
        thread.mark = Some(message);
        thread.unread_since = None;
    }
    effects.extend(resolve_seek(state));
    effects
}

/// Shows the sought message once it is loaded; until then keeps loading older pages.
fn resolve_seek(state: &mut AppState) -> Vec<Effect> {
    let Some(thread) = open_thread(state) else {
        return Vec::new();
    };
    let Some((at, id)) = thread.seek_to.clone() else {
        return Vec::new();
    };
    let Some(first) = thread.messages.first() else {
        // The newest page is still on its way.
        return Vec::new();
    };
    let found = paging::position(&thread.messages, at, &id);
    let reached = found.is_some() || first.sent_at < at || thread.at_beginning();
    if !reached {
        thread.scroll = anchor_at(&thread.messages, Top::START);
        return thread::load_older(state);
    }
    let index = found.unwrap_or_else(|| thread.messages.partition_point(|m| m.sent_at < at));
    thread.scroll = anchor_at(&thread.messages, Top { index, offset: 0 });
    thread.seek_to = None;
    if found.is_none() {
        // Deleted since it was cached: the thread opens at its place in time.
        status::notify(
            state,
            "That message is no longer in the conversation",
            false,
        );
    }
    maybe_prefetch(state)
}

/// Selects (in the list) or opens (from the thread) the next or previous unread conversation.
pub fn jump_unread(state: &mut AppState, forward: bool) -> Vec<Effect> {
    let rows = state.visible_rows();
    let unread: Vec<usize> = rows
        .iter()
        .enumerate()
        .filter(|(_, i)| {
            let id = &state.list.items[**i].id;
            state.list.unread.contains_key(id) && state.open.as_ref() != Some(id)
        })
        .map(|(at, _)| at)
        .collect();
    if unread.is_empty() {
        status::notify(state, "No unread conversations", false);
        return Vec::new();
    }
    let current = state
        .list
        .selected
        .as_ref()
        .and_then(|id| rows.iter().position(|&i| &state.list.items[i].id == id));
    let target = match (current, forward) {
        (Some(at), true) => unread.iter().find(|&&u| u > at).or(unread.first()),
        (Some(at), false) => unread.iter().rev().find(|&&u| u < at).or(unread.last()),
        (None, true) => unread.first(),
        (None, false) => unread.last(),
    };
    let Some(&target) = target else {
        return Vec::new();
    };
    let id = state.list.items[rows[target]].id.clone();
    state.list.selected = Some(id.clone());
    if matches!(state.focus, Focus::Thread | Focus::Compose) {
        thread::open(state, &id)
    } else {
        conversations::maybe_load_more(state)
    }
}
