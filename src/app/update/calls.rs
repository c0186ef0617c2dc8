//! The calls view: switching to it, paging and filtering the calls list, and polling its top
//! while it is shown. The open call and its live transcript are in `transcript`.

use std::time::Duration;

use ratatui::crossterm::event::KeyEvent;

use super::list_filters::next;
use super::{status, transcript};
use crate::api::{ApiError, CallSummary, Cursor, NextPage, Page};
use crate::app::action::Command;
use crate::app::effect::Effect;
use crate::app::paging::{Load, RequestId};
use crate::app::state::{AppState, CALL_DIRECTIONS, CALL_STATUSES, Focus, View};
use crate::app::view::layout;

/// Calls per list request.
const PAGE: u32 = 50;
/// The top of the calls list is read again this often while it is shown.
const POLL: Duration = Duration::from_secs(10);
/// Load the next page when the selection is this close to the last loaded row.
const PREFETCH_ROWS: usize = 10;

/// `c`: shows the other list. Leaving the calls view stops following a live call.
pub fn toggle(state: &mut AppState) -> Vec<Effect> {
    if !state.capabilities.calls && state.chrome.view == View::Conversations {
        let text = format!(
            "{} has no separate calls list: its calls are the conversations",
            state.account.label
        );
        status::notify(state, &text, false);
        return Vec::new();
    }
    state.chrome.focus = Focus::List;
    match state.chrome.view {
        View::Conversations => {
            state.chrome.view = View::Calls;
            state.inbox.list.filter_editing = false;
            let mut effects = if state.calls.next.is_none() && !state.calls.load.is_loading() {
                load_first(state)
            } else {
                poll_now(state)
            };
            effects.extend(transcript::resume(state));
            effects
        }
        View::Calls => {
            state.chrome.view = View::Conversations;
            state.calls.search_editing = false;
            state.calls.poll_due = None;
            transcript::pause(state)
        }
    }
}

/// Back to the conversations (a thread is being opened from the calls view).
pub fn leave(state: &mut AppState) -> Vec<Effect> {
    if state.chrome.view == View::Calls {
        toggle(state)
    } else {
        Vec::new()
    }
}

fn load_first(state: &mut AppState) -> Vec<Effect> {
    let request = state.request_id();
    state.calls.load = Load::Loading(request);
    state.calls.poll = None;
    vec![effect(state, request, 0)]
}

fn effect(state: &AppState, request: RequestId, offset: u64) -> Effect {
    Effect::LoadCalls {
        request,
        offset,
        limit: PAGE,
        filter: state.calls.filter.clone(),
    }
}

/// The filters changed: start over from the first page (replies to the old filters are stale).
fn reload(state: &mut AppState) -> Vec<Effect> {
    state.calls.items.clear();
    state.calls.selected = 0;
    state.calls.offset = 0;
    state.calls.next = None;
    state.calls.total = None;
    load_first(state)
}

fn load_more(state: &mut AppState) -> Vec<Effect> {
    let Some(NextPage::More(Cursor::Offset(offset))) = state.calls.next else {
        return Vec::new();
    };
    if state.calls.load.is_loading() {
        return Vec::new();
    }
    let request = state.request_id();
    state.calls.load = Load::Loading(request);
    vec![effect(state, request, offset)]
}

fn maybe_load_more(state: &mut AppState) -> Vec<Effect> {
    if matches!(state.calls.load, Load::Failed(_)) {
        return Vec::new();
    }
    let near_end = state.calls.selected + PREFETCH_ROWS >= state.calls.items.len();
    if near_end || state.calls.items.len() < layout::list_rows(state) {
        load_more(state)
    } else {
        Vec::new()
    }
}

/// Reads the top of the list again (the calls poll); merges by id.
fn poll_now(state: &mut AppState) -> Vec<Effect> {
    if state.calls.poll.is_some() || state.calls.next.is_none() {
        return Vec::new();
    }
    let request = state.request_id();
    state.calls.poll = Some(request);
    state.calls.poll_due = None;
    vec![effect(state, request, 0)]
}

/// Ctrl-R in the calls view: poll now, retry what failed.
pub fn refresh(state: &mut AppState) -> Vec<Effect> {
    let mut effects = if matches!(state.calls.load, Load::Failed(_)) {
        state.calls.load = Load::Idle;
        if state.calls.next.is_none() {
            load_first(state)
        } else {
            load_more(state)
        }
    } else {
        poll_now(state)
    };
    effects.extend(transcript::retry(state));
    effects
}

/// The clock moved: the calls poll and the stream's reconnection.
pub fn tick(state: &mut AppState) -> Vec<Effect> {
    if state.chrome.view != View::Calls {
        return Vec::new();
    }
    let mut effects = Vec::new();
    if state.calls.poll_due.is_some_and(|due| due <= state.now) {
        effects.extend(poll_now(state));
    }
    effects.extend(transcript::tick(state));
    effects
}

pub fn loaded(
    state: &mut AppState,
    request: RequestId,
    offset: u64,
    result: Result<Page<CallSummary>, ApiError>,
) -> Vec<Effect> {
    let polled = state.calls.poll == Some(request);
    if !polled && !state.calls.load.awaits(request) {
        return Vec::new();
    }
    if polled {
        state.calls.poll = None;
        state.calls.poll_due = Some(state.now + status::delta(POLL));
    }
    let page = match result {
        Ok(page) => page,
        Err(error) => {
            if !polled {
                state.calls.load = Load::Failed(error.to_string());
            }
            status::failed(state, &error, "Couldn't load calls");
            return Vec::new();
        }
    };
    status::succeeded(state);
    if polled {
        // The poll's count is the newest: the title's count follows new calls.
        state.calls.total = page.total.or(state.calls.total);
        merge_top(state, page.items);
        return Vec::new();
    }
    state.calls.load = Load::Idle;
    state.calls.total = page.total.or(state.calls.total);
    append(state, offset, page.items);
    state.calls.next = Some(page.next);
    if offset == 0 {
        state.calls.poll_due = Some(state.now + status::delta(POLL));
    }
    maybe_load_more(state)
}

/// A page at `offset`: rows already there (moved down by newer calls) are replaced, not repeated.
fn append(state: &mut AppState, offset: u64, items: Vec<CallSummary>) {
    if offset == 0 {
        state.calls.items.clear();
    }
    for call in items {
        match state.calls.items.iter_mut().find(|c| c.id == call.id) {
            Some(known) => *known = call,
            None => state.calls.items.push(call),
        }
    }
}

/// The poll's first page: updates known rows and puts new calls on top, keeping the selection
/// on the same call.
fn merge_top(state: &mut AppState, items: Vec<CallSummary>) {
    let selected = state.calls.selected_call().map(|c| c.id.clone());
    let mut fresh = Vec::new();
    for call in items {
        match state.calls.items.iter_mut().find(|c| c.id == call.id) {
            Some(known) => *known = call,
            None => fresh.push(call),
        }
    }
    if !fresh.is_empty() {
        fresh.extend(std::mem::take(&mut state.calls.items));
        state.calls.items = fresh;
    }
    if let Some(id) = selected {
        state.calls.selected = state
            .calls
            .items
            .iter()
            .position(|c| c.id == id)
            .unwrap_or(0);
    }
}

/// Keys of the calls list.
pub fn command(state: &mut AppState, command: Command) -> Vec<Effect> {
    let len = state.calls.items.len();
    let at = state.calls.selected;
    let page = layout::list_rows(state).max(1);
    let target = match command {
        Command::Down => at + 1,
        Command::Up => at.saturating_sub(1),
        Command::PageDown => at + page,
        Command::PageUp => at.saturating_sub(page),
        Command::Top => 0,
        Command::Bottom => len.saturating_sub(1),
        other => return other_command(state, other),
    };
    state.calls.selected = target.min(len.saturating_sub(1));
    keep_selection_visible(state);
    maybe_load_more(state)
}

fn other_command(state: &mut AppState, command: Command) -> Vec<Effect> {
    match command {
        Command::Open => transcript::open_selected(state),
        Command::StatusFilter => {
            state.calls.filter.status = next(&CALL_STATUSES, state.calls.filter.status.as_deref());
            reload(state)
        }
        Command::DirectionFilter => {
            state.calls.filter.direction =
                next(&CALL_DIRECTIONS, state.calls.filter.direction.as_deref());
            reload(state)
        }
        Command::Filter => {
            state.calls.search_editing = true;
            let search = state.calls.filter.search.as_deref().unwrap_or_default();
            state.calls.search.set(search);
            Vec::new()
        }
        Command::Accept => {
            state.calls.search_editing = false;
            let search = state.calls.search.as_str().trim().to_owned();
            state.calls.filter.search = (!search.is_empty()).then_some(search);
            reload(state)
        }
        Command::ClearFilter => {
            state.calls.search_editing = false;
            state.calls.search.clear();
            if state.calls.filter == crate::api::CallFilter::default() {
                // Nothing to clear: the list and the selection stay.
                return Vec::new();
            }
            state.calls.filter = crate::api::CallFilter::default();
            reload(state)
        }
        _ => Vec::new(),
    }
}

/// Editing in the number search box (the server is asked on enter).
pub fn search_input(state: &mut AppState, key: &KeyEvent) -> Vec<Effect> {
    state.calls.search.key(key);
    Vec::new()
}

pub fn search_paste(state: &mut AppState, text: &str) -> Vec<Effect> {
    state.calls.search.paste(text);
    Vec::new()
}

/// Scrolls the list just enough to keep the selected row on screen.
pub fn keep_selection_visible(state: &mut AppState) {
    let offset = crate::app::view::layout::keep_visible(
        state.calls.offset,
        state.calls.selected,
        layout::list_rows(state),
        state.calls.items.len(),
    );
    state.calls.offset = offset;
}
