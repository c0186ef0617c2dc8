//! The local cache as `update` sees it: the list painted from it at start, read positions
//! written back to it as they move.

use super::{conversations, status};
use crate::app::effect::Effect;
use crate::app::state::AppState;
use crate::cache::Snapshot;

/// The cached list and read positions arrived (before the server's first page, usually).
pub fn loaded(state: &mut AppState, result: Result<Snapshot, String>) -> Vec<Effect> {
    state.work.cache_loaded = true;
    let snapshot = match result {
        Ok(snapshot) => snapshot,
        Err(error) => {
            status::notify(
                state,
                &format!("The cache could not be read: {error}"),
                true,
            );
            return Vec::new();
        }
    };
    // The cache's positions are the user's; they replace the defaults a first page may have set.
    for (id, at) in snapshot.seen {
        state.inbox.list.seen_dirty.remove(&id);
        state.inbox.list.seen.insert(id, at);
    }
    let server_answered = state.inbox.list.next.is_some();
    if !server_answered && state.inbox.list.items.is_empty() && !snapshot.conversations.is_empty() {
        state.inbox.list.items = snapshot.conversations;
        state.inbox.list.from_cache = true;
        state.reposition();
        if state.inbox.list.selected.is_none() {
            state.inbox.list.selected = state
                .visible_rows()
                .first()
                .map(|&i| state.inbox.list.items[i].id.clone());
        }
        return Vec::new();
    }
    if server_answered {
        let ids: Vec<_> = state
            .inbox
            .list
            .items
            .iter()
            .map(|c| c.id.clone())
            .collect();
        return conversations::peek_behind(state, &ids);
    }
    Vec::new()
}

/// Writes read positions that moved, once the cache's own have been read (so a default never
/// overwrites what the user really saw).
pub fn flush_seen(state: &mut AppState) -> Vec<Effect> {
    if !state.work.cache_loaded || state.inbox.list.seen_dirty.is_empty() {
        return Vec::new();
    }
    let mut moved: Vec<_> = state
        .inbox
        .list
        .seen_dirty
        .drain()
        .filter_map(|id| state.inbox.list.seen.get(&id).map(|at| (id, *at)))
        .collect();
    moved.sort();
    vec![Effect::SaveSeen(moved)]
}
