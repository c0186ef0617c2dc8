//! The conversation list: paging, polling the top, selection by id, filter, unread markers.

use std::collections::HashMap;

use ratatui::crossterm::event::KeyEvent;

use super::status;
use crate::api::CatchUp;
use crate::api::{
    ApiError, Contact, Conversation, ConversationId, Cursor, Direction, NextPage, Page,
};
use crate::app::action::Command;
use crate::app::effect::Effect;
use crate::app::paging::{Load, RequestId};
use crate::app::state::{AppState, LineChange};
use crate::app::view::layout;

/// Load the next page when the selection is this close to the last loaded row.
const PREFETCH_ROWS: usize = 10;
/// Unread peeks in flight at most; the rest wait their turn.
const MAX_PEEKS: usize = 8;

pub fn load_first(state: &mut AppState) -> Vec<Effect> {
    let request = state.request_id();
    state.inbox.list.load = Load::Loading(request);
    vec![Effect::LoadConversations {
        request,
        offset: 0,
        limit: state.settings.page_size,
        filter: state.inbox.list.server_filter.clone(),
    }]
}

fn load_more(state: &mut AppState) -> Vec<Effect> {
    let Some(NextPage::More(Cursor::Offset(offset))) = state.inbox.list.next else {
        return Vec::new();
    };
    if state.inbox.list.load.is_loading() {
        return Vec::new();
    }
    let request = state.request_id();
    state.inbox.list.load = Load::Loading(request);
    vec![Effect::LoadConversations {
        request,
        offset,
        limit: state.settings.page_size,
        filter: state.inbox.list.server_filter.clone(),
    }]
}

/// Loads the next page before the selection reaches the end, or while the pane is not full.
pub fn maybe_load_more(state: &mut AppState) -> Vec<Effect> {
    if matches!(state.inbox.list.load, Load::Failed(_)) {
        return Vec::new();
    }
    // With a filter, only the loaded rows are searched: typing must not page through everything
    // (`G` asks for the rest: `load_all`).
    if !state.inbox.list.filter.as_str().trim().is_empty() {
        return if state.inbox.list.load_all {
            load_more(state)
        } else {
            Vec::new()
        };
    }
    let rows = state.visible_rows();
    let at = selected_index(state, &rows).unwrap_or(0);
    let near_end = at + PREFETCH_ROWS >= rows.len();
    let unfilled = rows.len() < layout::list_rows(state);
    if near_end || unfilled {
        load_more(state)
    } else {
        Vec::new()
    }
}

/// Retries a failed page (the cursor was kept).
pub fn retry(state: &mut AppState) -> Vec<Effect> {
    if !matches!(state.inbox.list.load, Load::Failed(_)) {
        return Vec::new();
    }
    state.inbox.list.load = Load::Idle;
    if state.inbox.list.next.is_none() {
        load_first(state)
    } else {
        load_more(state)
    }
}

pub fn loaded(
    state: &mut AppState,
    request: RequestId,
    offset: u64,
    result: Result<Page<Conversation>, ApiError>,
) -> Vec<Effect> {
    if state.inbox.list.load.awaits(request) {
        page_loaded(state, offset, result)
    } else if state.sync.list.request == Some(request) {
        state.sync.list.request = None;
        top_polled(state, result)
    } else {
        Vec::new()
    }
}

fn page_loaded(
    state: &mut AppState,
    offset: u64,
    result: Result<Page<Conversation>, ApiError>,
) -> Vec<Effect> {
    match result {
        Ok(page) => {
            status::succeeded(state);
            state.inbox.list.load = Load::Idle;
            state.inbox.list.from_cache = false;
            state.inbox.list.total = page.total.or(state.inbox.list.total);
            let behind = note_seen(state, &page.items);
            // A later page that brings no conversation the list lacks ends the list: a server that
            // ignores the page number (and sends no counts) would otherwise be asked forever.
            let known = |c: &Conversation| state.conversation(&c.id).is_some();
            let nothing_new = offset > 0 && !page.items.is_empty() && page.items.iter().all(known);
            merge(state, page.items);
            state.inbox.list.next = Some(if nothing_new {
                NextPage::End
            } else {
                page.next
            });
            if state.inbox.list.selected.is_none() {
                state.inbox.list.selected = state
                    .visible_rows()
                    .first()
                    .map(|&i| state.inbox.list.items[i].id.clone());
            }
            if offset == 0 && state.sync.list.due.is_none() {
                status::schedule_list(state, true);
            }
            let mut effects = maybe_load_more(state);
            effects.extend(peek_behind(state, &behind));
            effects
        }
        Err(error) => {
            state.inbox.list.load = Load::Failed(error.to_string());
            status::failed(state, &error, "Couldn't load conversations");
            Vec::new()
        }
    }
}

fn top_polled(state: &mut AppState, result: Result<Page<Conversation>, ApiError>) -> Vec<Effect> {
    let page = match result {
        Ok(page) => page,
        Err(error) => {
            status::failed(state, &error, "Couldn't refresh conversations");
            return Vec::new();
        }
    };
    status::succeeded(state);
    state.inbox.list.total = page.total.or(state.inbox.list.total);
    let changed = merge(state, page.items);
    status::schedule_list(state, !changed.is_empty());
    if changed.is_empty() {
        return Vec::new();
    }
    let mut effects = Vec::new();
    if state
        .inbox
        .open
        .as_ref()
        .is_some_and(|open| changed.contains(open))
    {
        state.sync.thread.due = Some(state.now);
    }
    effects.extend(peek_changed(state, &changed));
    effects
}

/// Conversations first seen get their latest activity as the read position (nothing before
/// the app knew them counts as unread); returns those with activity past the user's position.
fn note_seen(state: &mut AppState, items: &[Conversation]) -> Vec<ConversationId> {
    let mut behind = Vec::new();
    for conv in items {
        let at = conv.last_activity_at.unwrap_or(state.now);
        match state.inbox.list.seen.get(&conv.id) {
            Some(seen) if *seen < at => behind.push(conv.id.clone()),
            Some(_) => {}
            None => {
                state.inbox.list.seen.insert(conv.id.clone(), at);
                state.inbox.list.seen_dirty.insert(conv.id.clone());
            }
        }
    }
    behind
}

/// Peeks at conversations whose activity is past the user's read position (after a restart).
pub fn peek_behind(state: &mut AppState, ids: &[ConversationId]) -> Vec<Effect> {
    let behind: Vec<ConversationId> = ids
        .iter()
        .filter(|id| {
            let activity = state.conversation(id).and_then(|c| c.last_activity_at);
            let seen = state.inbox.list.seen.get(*id);
            matches!((activity, seen), (Some(a), Some(s)) if a > *s)
        })
        .cloned()
        .collect();
    peek_changed(state, &behind)
}

/// Conversations with new activity that are not open: ask whether the news is inbound, a few
/// at a time (the rest queue).
fn peek_changed(state: &mut AppState, changed: &[ConversationId]) -> Vec<Effect> {
    for id in changed {
        let queued = state.inbox.list.peek_queue.contains(id);
        if state.inbox.open.as_ref() != Some(id)
            && !state.inbox.list.peeks.contains_key(id)
            && !queued
        {
            state.inbox.list.peek_queue.push_back(id.clone());
        }
    }
    start_peeks(state)
}

fn start_peeks(state: &mut AppState) -> Vec<Effect> {
    let mut effects = Vec::new();
    while state.inbox.list.peeks.len() < MAX_PEEKS {
        let Some(id) = state.inbox.list.peek_queue.pop_front() else {
            break;
        };
        if state.inbox.open.as_ref() == Some(&id) || state.inbox.list.peeks.contains_key(&id) {
            continue;
        }
        let since = state
            .inbox
            .list
            .seen
            .get(&id)
            .copied()
            .unwrap_or(state.started_at);
        let request = state.request_id();
        state.inbox.list.peeks.insert(id.clone(), request);
        effects.push(Effect::Peek {
            request,
            conversation: id,
            since,
        });
    }
    effects
}

pub fn peeked(
    state: &mut AppState,
    request: RequestId,
    conversation: &ConversationId,
    result: Result<CatchUp, ApiError>,
) -> Vec<Effect> {
    if state.inbox.list.peeks.get(conversation) != Some(&request) {
        return Vec::new();
    }
    state.inbox.list.peeks.remove(conversation);
    let mut effects = start_peeks(state);
    effects.extend(peek_result(state, conversation, result));
    effects
}

fn peek_result(
    state: &mut AppState,
    conversation: &ConversationId,
    result: Result<CatchUp, ApiError>,
) -> Vec<Effect> {
    let Ok(catch_up) = result else {
        // Unknown, but something happened: mark it without a count rather than say nothing.
        state
            .inbox
            .list
            .unread
            .entry(conversation.clone())
            .or_insert(0);
        return Vec::new();
    };
    let since = state
        .inbox
        .list
        .seen
        .get(conversation)
        .copied()
        .unwrap_or(state.started_at);
    let inbound = catch_up
        .messages
        .iter()
        .filter(|m| m.direction == Direction::Inbound && m.sent_at > since)
        .count();
    let before = state
        .inbox
        .list
        .unread
        .get(conversation)
        .copied()
        .unwrap_or(0);
    let count = u32::try_from(inbound).unwrap_or(u32::MAX);
    if inbound == 0 && catch_up.complete && !state.inbox.list.unread.contains_key(conversation) {
        // Only our side spoke since: nothing was missed, so the read position moves on (and
        // the next start need not ask again).
        if let Some(newest) = catch_up.messages.last().map(|m| m.sent_at)
            && newest > since
        {
            state.inbox.list.seen.insert(conversation.clone(), newest);
            state.inbox.list.seen_dirty.insert(conversation.clone());
        }
    }
    if inbound == 0 || state.inbox.open.as_ref() == Some(conversation) {
        return Vec::new();
    }
    state.inbox.list.unread.insert(conversation.clone(), count);
    if count > before {
        super::notify::inbound(state, conversation, &catch_up.messages)
    } else {
        Vec::new()
    }
}

/// Merges rows by id, keeps newest activity first; returns the ids that are new or have new
/// activity. The selection is an id, so it stays on its conversation when rows move.
pub(super) fn merge(state: &mut AppState, incoming: Vec<Conversation>) -> Vec<ConversationId> {
    let mut index: HashMap<ConversationId, usize> = state
        .inbox
        .list
        .items
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.clone(), i))
        .collect();
    let mut changed = Vec::new();
    let touched: Vec<ConversationId> = incoming.iter().map(|c| c.id.clone()).collect();
    for conv in incoming {
        if let Some(&i) = index.get(&conv.id) {
            if conv.last_activity_at > state.inbox.list.items[i].last_activity_at {
                changed.push(conv.id.clone());
            }
            state.inbox.list.items[i] = conv;
        } else {
            // Indexed at once: a page that lists a new conversation twice shows it once.
            changed.push(conv.id.clone());
            index.insert(conv.id.clone(), state.inbox.list.items.len());
            state.inbox.list.items.push(conv);
        }
    }
    state.inbox.list.items.sort_by(|a, b| {
        b.last_activity_at
            .cmp(&a.last_activity_at)
            .then_with(|| b.id.cmp(&a.id))
    });
    state.reposition();
    state.reindex(&touched);
    changed
}

pub fn contacts_loaded(
    state: &mut AppState,
    result: Result<Vec<Contact>, ApiError>,
) -> Vec<Effect> {
    if let Ok(contacts) = result {
        state.inbox.contacts = contacts
            .into_iter()
            .filter_map(|c| Some((c.address, c.name?)))
            .collect();
        state.reindex_all();
    }
    Vec::new()
}

/// Scrolls the list just enough to keep the selected row on screen.
pub fn keep_selection_visible(state: &mut AppState) {
    let selected = state.inbox.list.selected.clone();
    let at = if state.inbox.list.filter.as_str().trim().is_empty() {
        selected.and_then(|id| state.inbox.list.items.iter().position(|c| c.id == id))
    } else {
        let rows = state.visible_rows();
        selected_index(state, &rows)
    };
    let len = state.inbox.list.items.len();
    let offset = crate::app::view::layout::keep_visible(
        state.inbox.list.offset,
        at.unwrap_or(0),
        layout::list_rows(state),
        len,
    );
    if offset != state.inbox.list.offset {
        state.inbox.list.offset = offset;
    }
}

fn selected_index(state: &AppState, rows: &[usize]) -> Option<usize> {
    let selected = state.inbox.list.selected.as_ref()?;
    rows.iter()
        .position(|&i| &state.inbox.list.items[i].id == selected)
}

fn select_at(state: &mut AppState, rows: &[usize], at: usize) {
    if let Some(&i) = rows.get(at.min(rows.len().saturating_sub(1))) {
        state.inbox.list.selected = Some(state.inbox.list.items[i].id.clone());
    }
}

pub fn command(state: &mut AppState, command: Command) -> Vec<Effect> {
    let rows = state.visible_rows();
    let at = selected_index(state, &rows);
    let page = layout::list_rows(state).max(1);
    let target = match command {
        Command::Down => at.map_or(0, |a| a + 1),
        Command::Up => at.map_or(0, |a| a.saturating_sub(1)),
        Command::PageDown => at.map_or(0, |a| a + page),
        Command::PageUp => at.map_or(0, |a| a.saturating_sub(page)),
        Command::Top => 0,
        Command::Bottom => {
            // While filtering, the end of the list is the end of every page: load the rest.
            if !state.inbox.list.filter.as_str().trim().is_empty() {
                state.inbox.list.load_all = true;
            }
            rows.len().saturating_sub(1)
        }
        other => return other_command(state, other),
    };
    select_at(state, &rows, target);
    maybe_load_more(state)
}

fn other_command(state: &mut AppState, command: Command) -> Vec<Effect> {
    match command {
        Command::Filter => {
            state.inbox.list.filter_editing = true;
            Vec::new()
        }
        Command::Accept => {
            state.inbox.list.filter_editing = false;
            Vec::new()
        }
        Command::ClearFilter => {
            state.inbox.list.filter.clear();
            state.inbox.list.filter_editing = false;
            filter_changed(state)
        }
        _ => Vec::new(),
    }
}

/// Editing in the filter box: the rows are filtered again when the text changed.
pub fn filter_input(state: &mut AppState, key: &KeyEvent) -> Vec<Effect> {
    match state.inbox.list.filter.key(key) {
        LineChange::Text => filter_changed(state),
        LineChange::Cursor | LineChange::None => Vec::new(),
    }
}

pub fn filter_paste(state: &mut AppState, text: &str) -> Vec<Effect> {
    match state.inbox.list.filter.paste(text) {
        LineChange::Text => filter_changed(state),
        LineChange::Cursor | LineChange::None => Vec::new(),
    }
}

/// Keeps the selection on a visible row after the filter changed.
pub fn filter_changed(state: &mut AppState) -> Vec<Effect> {
    if state.inbox.list.filter.as_str().trim().is_empty() {
        state.inbox.list.load_all = false;
    } else {
        state.ensure_index();
    }
    let rows = state.visible_rows();
    if selected_index(state, &rows).is_none() {
        select_at(state, &rows, 0);
    }
    Vec::new()
}
