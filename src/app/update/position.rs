//! Where the reader is in the open thread, at its two ends: following the newest message (and
//! having seen it), and asking for the page before the oldest. A leaf, so the thread, its
//! viewport, find and reading all reach it without reaching each other.

use crate::api::{ConversationId, NextPage};
use crate::app::effect::Effect;
use crate::app::paging::Load;
use crate::app::state::{AppState, Inbox, Scroll};

/// Follows the newest message again and clears the "new messages" marker.
pub fn to_bottom(state: &mut AppState) {
    let Some(id) = state.inbox.open.clone() else {
        return;
    };
    if let Some(thread) = state.inbox.threads.get_mut(&id) {
        thread.scroll = Scroll::Bottom;
        thread.new_below = 0;
        thread.seek_top = false;
    }
    mark_seen(&mut state.inbox, &id);
}

/// The user has seen everything up to the newest message.
pub fn mark_seen(inbox: &mut Inbox, id: &ConversationId) {
    let list = &mut inbox.list;
    list.unread.remove(id);
    let newest = inbox
        .threads
        .get(id)
        .and_then(|t| t.messages.last())
        .map(|m| m.sent_at);
    let activity = list.conversation(id).and_then(|c| c.last_activity_at);
    if let Some(at) = newest.max(activity) {
        let before = list.seen.insert(id.clone(), at);
        if before.is_none_or(|b| b < at) {
            list.seen_dirty.insert(id.clone());
        }
    }
}

/// Asks for the page before the oldest loaded message (the cache answers when it can).
pub fn load_older(state: &mut AppState) -> Vec<Effect> {
    let request = state.request_id();
    let limit = state.settings.thread_page;
    let Some(thread) = state
        .inbox
        .open
        .as_ref()
        .and_then(|id| state.inbox.threads.get_mut(id))
    else {
        return Vec::new();
    };
    let Some(NextPage::More(cursor)) = thread.older.clone() else {
        return Vec::new();
    };
    if thread.older_load.is_loading() || thread.latest.is_loading() {
        return Vec::new();
    }
    thread.older_load = Load::Loading(request);
    thread.requests += 1;
    let conversation = thread.conversation.clone();
    vec![Effect::LoadThread {
        request,
        conversation,
        cursor: Some(cursor),
        limit,
        from_cache: true,
    }]
}
