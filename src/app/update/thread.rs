//! The open thread: the latest page on open, older pages as the user scrolls up (prefetched before
//! the top), polling for newer ones, and a viewport anchored to a message so nothing jumps.

use crate::app::view::time::Zone;

use super::position::{load_older, mark_seen, to_bottom};
use super::viewport::{anchor_at, maybe_prefetch, scroll_lines};
use super::{reading, status};
use crate::api::CatchUp;
use crate::api::{ApiError, ConversationId, Message, Page};
use crate::app::action::Command;
use crate::app::effect::Effect;
use crate::app::paging::{self, Load, Merged, RequestId};
use crate::app::scroll::Top;
use crate::app::state::{AppState, Focus, Inbox, Scroll, Thread};
use crate::app::view::blocks;
use crate::app::view::layout;

/// Threads kept in memory besides the open one.
const MAX_CACHED_THREADS: usize = 30;
/// Messages kept in memory in those threads, together (the local cache holds the rest, and
/// gives them back in a millisecond when the thread is opened again).
const MAX_IDLE_MESSAGES: usize = 20_000;

pub fn merge_into(thread: &mut Thread, messages: Vec<Message>) -> Merged {
    let merged = paging::merge_messages(&mut thread.messages, &mut thread.ids, messages);
    for id in &merged.updated {
        thread.heights.map.remove(id);
    }
    let ids = &thread.ids;
    thread.outbox.retain(|sent| !ids.contains(&sent.id));
    merged
}

/// Opens a conversation: shows what is cached at once, loads or polls for the rest. (Moving to
/// it from elsewhere, such as the calls view, is `navigate::open`.)
pub fn open(state: &mut AppState, id: &ConversationId) -> Vec<Effect> {
    if state.inbox.open.as_ref() != Some(id) {
        leave_current(state);
        super::find::forget(state);
    }
    state.inbox.open = Some(id.clone());
    state.inbox.list.selected = Some(id.clone());
    state.chrome.focus = Focus::Thread;
    let version = state.chrome.version;
    // Where the user left off, when something new arrived since: the divider goes there.
    let left_off = state
        .inbox
        .list
        .unread
        .contains_key(id)
        .then(|| state.inbox.list.seen.get(id).copied())
        .flatten();
    let thread = state
        .inbox
        .threads
        .entry(id.clone())
        .or_insert_with(|| Thread::new(id.clone()));
    thread.last_used = version;
    thread.unread_since = left_off;
    let needs_load = thread.messages.is_empty() && !thread.latest.is_loading();
    evict(&mut state.inbox);
    mark_seen(&mut state.inbox, id);
    if needs_load {
        return load_latest(state, id, true);
    }
    state.sync.thread.due = Some(state.now);
    reading::settle(state)
}

/// Forgets the requests of the thread being left: their replies will be dropped as stale.
fn leave_current(state: &mut AppState) {
    if let Some(thread) = state
        .inbox
        .open
        .as_ref()
        .and_then(|id| state.inbox.threads.get_mut(id))
    {
        if thread.latest.is_loading() {
            thread.latest = Load::Idle;
        }
        if thread.older_load.is_loading() {
            thread.older_load = Load::Idle;
        }
        thread.seek_top = false;
        thread.seek_to = None;
        thread.mark = None;
        thread.divider = None;
        thread.unread_since = None;
    }
    state.sync.thread.request = None;
    state.sync.thread.interval = state.settings.thread_poll;
}

/// Keeps at most `MAX_CACHED_THREADS` threads besides the open one, holding at most
/// `MAX_IDLE_MESSAGES` messages together; the least recently used go first.
pub(super) fn evict(inbox: &mut Inbox) {
    loop {
        let idle = inbox
            .threads
            .values()
            .filter(|t| Some(&t.conversation) != inbox.open.as_ref());
        let (count, messages) = idle
            .clone()
            .fold((0, 0), |(n, m), t| (n + 1, m + t.messages.len()));
        if count <= MAX_CACHED_THREADS && messages <= MAX_IDLE_MESSAGES {
            return;
        }
        let victim = idle
            .min_by_key(|t| t.last_used)
            .map(|t| t.conversation.clone());
        match victim {
            Some(id) => inbox.threads.remove(&id),
            None => return,
        };
    }
}

/// Asks for the newest page; `from_cache` lets the local cache answer when it holds it.
fn load_latest(state: &mut AppState, id: &ConversationId, from_cache: bool) -> Vec<Effect> {
    let request = state.request_id();
    let limit = state.settings.thread_page;
    let Some(thread) = state.inbox.threads.get_mut(id) else {
        return Vec::new();
    };
    thread.latest = Load::Loading(request);
    thread.requests += 1;
    vec![Effect::LoadThread {
        request,
        conversation: id.clone(),
        cursor: None,
        limit,
        from_cache,
    }]
}

/// Polls the open thread for messages newer than the newest loaded one.
pub fn poll(state: &mut AppState) -> Vec<Effect> {
    let Some(id) = state.inbox.open.clone() else {
        return Vec::new();
    };
    let Some(thread) = state.inbox.threads.get_mut(&id) else {
        return Vec::new();
    };
    if matches!(thread.latest, Load::Failed(_)) {
        // The first page failed: the poll timer retries it (with the connection's backoff).
        thread.latest = Load::Idle;
        return load_latest(state, &id, true);
    }
    if thread.latest.is_loading() || thread.older.is_none() {
        return Vec::new();
    }
    let Some((since, newest)) = thread.messages.last().map(|m| (m.sent_at, m.id.clone())) else {
        return load_latest(state, &id, true);
    };
    let request = state.request_id();
    state.sync.thread.request = Some(request);
    if let Some(thread) = state.inbox.threads.get_mut(&id) {
        thread.requests += 1;
    }
    vec![Effect::PollThread {
        request,
        conversation: id,
        since,
        newest: Some(newest),
    }]
}

/// Retries a failed load of the open thread.
pub fn retry(state: &mut AppState) -> Vec<Effect> {
    let Some(id) = state.inbox.open.clone() else {
        return Vec::new();
    };
    let Some(thread) = state.inbox.threads.get_mut(&id) else {
        return Vec::new();
    };
    if matches!(thread.latest, Load::Failed(_)) {
        thread.latest = Load::Idle;
        return load_latest(state, &id, true);
    }
    if matches!(thread.older_load, Load::Failed(_)) {
        thread.older_load = Load::Idle;
        return load_older(state);
    }
    Vec::new()
}

pub fn loaded(
    state: &mut AppState,
    request: RequestId,
    conversation: &ConversationId,
    result: Result<Page<Message>, ApiError>,
    cached: bool,
) -> Vec<Effect> {
    let Some(thread) = state.inbox.threads.get(conversation) else {
        return Vec::new();
    };
    if thread.latest.awaits(request) {
        latest_loaded(state, conversation, result, cached)
    } else if thread.older_load.awaits(request) {
        older_loaded(state, conversation, result, cached)
    } else {
        Vec::new()
    }
}

/// The newest page arrived; from the cache, the server is asked for anything newer at once.
fn latest_loaded(
    state: &mut AppState,
    id: &ConversationId,
    result: Result<Page<Message>, ApiError>,
    cached: bool,
) -> Vec<Effect> {
    let page = match result {
        Ok(page) => page,
        Err(error) => {
            if let Some(thread) = state.inbox.threads.get_mut(id) {
                thread.latest = Load::Failed(error.to_string());
            }
            status::failed(state, &error, "Couldn't load the conversation");
            return Vec::new();
        }
    };
    if !cached {
        status::succeeded(state);
    }
    let Some(thread) = state.inbox.threads.get_mut(id) else {
        return Vec::new();
    };
    thread.latest = Load::Idle;
    merge_into(thread, page.items);
    thread.gaps.extend(page.gaps);
    if thread.older.is_none() {
        thread.older = Some(page.next);
    }
    if state.inbox.open.as_ref() != Some(id) {
        return Vec::new();
    }
    mark_seen(&mut state.inbox, id);
    let mut effects = reading::settle(state);
    if cached {
        state.sync.thread.due = Some(state.now);
    } else {
        status::schedule_thread(state, true);
    }
    effects.extend(maybe_prefetch(state));
    effects
}

fn older_loaded(
    state: &mut AppState,
    id: &ConversationId,
    result: Result<Page<Message>, ApiError>,
    cached: bool,
) -> Vec<Effect> {
    let tz = state.tz;
    let Some(thread) = state.inbox.threads.get_mut(id) else {
        return Vec::new();
    };
    let page = match result {
        Ok(page) => page,
        Err(error) => {
            thread.older_load = Load::Failed(error.to_string());
            thread.seek_top = false;
            // A find looking further back stops too; `n` asks again.
            state.find.seeking = false;
            status::failed(state, &error, "Couldn't load older messages");
            return Vec::new();
        }
    };
    thread.older_load = Load::Idle;
    let extra_before = anchor_extra(thread, tz);
    merge_into(thread, page.items);
    thread.gaps.extend(page.gaps);
    thread.older = Some(page.next);
    keep_anchor(thread, extra_before, tz);
    if thread.seek_top {
        thread.scroll = anchor_at(&thread.messages, Top::START);
    }
    if !cached {
        status::succeeded(state);
    }
    if state.inbox.open.as_ref() != Some(id) {
        return Vec::new();
    }
    let mut effects = reading::settle(state);
    effects.extend(maybe_prefetch(state));
    effects
}

/// Rows above the anchor message (history header, day separator) before a merge.
fn anchor_extra(thread: &Thread, tz: Zone) -> u16 {
    match &thread.scroll {
        Scroll::Anchor { at, id, .. } => paging::position(&thread.messages, *at, id)
            .map_or(0, |i| blocks::top_height(thread, i, tz)),
        Scroll::Bottom => 0,
    }
}

/// After older messages arrive the anchor message may lose its header rows; shift the offset so
/// the same line stays at the top (no jump).
fn keep_anchor(thread: &mut Thread, extra_before: u16, tz: Zone) {
    let extra_after = anchor_extra(thread, tz);
    if let Scroll::Anchor { offset, .. } = &mut thread.scroll {
        *offset = offset.saturating_sub(extra_before.saturating_sub(extra_after));
    }
}

pub fn polled(
    state: &mut AppState,
    request: RequestId,
    conversation: &ConversationId,
    result: Result<CatchUp, ApiError>,
) -> Vec<Effect> {
    if state.sync.thread.request != Some(request) {
        return Vec::new();
    }
    state.sync.thread.request = None;
    let catch_up = match result {
        Ok(catch_up) => catch_up,
        Err(error) => {
            status::failed(state, &error, "Couldn't check for new messages");
            return Vec::new();
        }
    };
    status::succeeded(state);
    let Some(thread) = state.inbox.threads.get_mut(conversation) else {
        return Vec::new();
    };
    if !catch_up.complete {
        // Too much arrived to fill the gap: start again from the newest page.
        *thread = Thread::new(conversation.clone());
        status::notify(
            state,
            "Many new messages arrived: the thread was reloaded",
            false,
        );
        return load_latest(state, conversation, false);
    }
    let merged = merge_into(thread, catch_up.messages);
    thread.gaps.extend(catch_up.gaps);
    let changed = !merged.added.is_empty() || !merged.updated.is_empty();
    if !merged.added.is_empty() {
        reading::place_divider(state);
        let Some(thread) = state.inbox.threads.get_mut(conversation) else {
            return Vec::new();
        };
        if thread.scroll == Scroll::Bottom {
            mark_seen(&mut state.inbox, conversation);
        } else {
            thread.new_below += merged.added.len();
        }
    }
    if changed {
        super::outcome::reconcile(state, conversation);
        super::viewport::trim_older(state);
    }
    status::schedule_thread(state, changed);
    Vec::new()
}

pub fn command(state: &mut AppState, command: Command) -> Vec<Effect> {
    let (_, view) = layout::thread_text_viewport(state);
    let page = i32::from(view.saturating_sub(2).max(1));
    match command {
        Command::Up => scroll_lines(state, -1),
        Command::Down => scroll_lines(state, 1),
        Command::PageUp => scroll_lines(state, -page),
        Command::PageDown => scroll_lines(state, page),
        Command::Top => seek_top(state),
        Command::Bottom => {
            to_bottom(state);
            Vec::new()
        }
        Command::Back => {
            state.chrome.focus = Focus::List;
            Vec::new()
        }
        _ => Vec::new(),
    }
}

fn seek_top(state: &mut AppState) -> Vec<Effect> {
    let Some(thread) = state
        .inbox
        .open
        .as_ref()
        .and_then(|id| state.inbox.threads.get_mut(id))
    else {
        return Vec::new();
    };
    thread.scroll = anchor_at(&thread.messages, Top::START);
    thread.seek_top = true;
    thread.seek_to = None;
    load_older(state)
}
