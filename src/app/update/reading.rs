//! Where the user reads: the "new messages" divider where they left off, and seeking the open
//! thread to a search result (loading the pages down to it). Opening and jumping between
//! conversations is `navigate`.

use super::viewport::{anchor_at, maybe_prefetch, measure};
use super::{position, status};
use crate::api::{MessageId, Timestamp};
use crate::app::effect::Effect;
use crate::app::paging;
use crate::app::scroll::Top;
use crate::app::state::{AppState, Scroll, Thread};

fn open_thread(state: &mut AppState) -> Option<&mut Thread> {
    state
        .inbox
        .open
        .as_ref()
        .and_then(|id| state.inbox.threads.get_mut(id))
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

/// Seeks the open thread to a message (a search result): loads pages back to it, shows it at
/// the top of the pane and marks it.
pub fn seek(state: &mut AppState, at: Timestamp, message: MessageId) -> Vec<Effect> {
    if let Some(thread) = open_thread(state) {
        thread.seek_top = false;
        thread.seek_to = Some((at, message.clone()));
        thread.mark = Some(message);
        thread.unread_since = None;
    }
    resolve_seek(state)
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
        return position::load_older(state);
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
