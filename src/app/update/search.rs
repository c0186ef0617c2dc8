//! The search box: typed text becomes a full-text query of the cache as it is typed; a result
//! opens its conversation at the message.

use ratatui::crossterm::event::KeyEvent;

use super::navigate;
use crate::app::action::Command;
use crate::app::effect::Effect;
use crate::app::paging::RequestId;
use crate::app::state::{AppState, LineChange, Overlay, SearchPanel, SearchStatus};
use crate::cache::SearchHit;

/// Results moved over by page up / page down.
const PAGE: usize = 10;
/// Letters or digits needed before a search runs (one letter matches half the history).
const MIN_CHARS: usize = 2;

fn panel(state: &mut AppState) -> Option<&mut SearchPanel> {
    match &mut state.chrome.overlay {
        Some(Overlay::Search(panel)) => Some(panel),
        _ => None,
    }
}

/// Opens the search box with the last search, and runs it again (the cache may hold more now).
/// Opens the search overlay with the list's filter (searching the cache for what the loaded
/// rows lack) or else the last search.
pub fn open(state: &mut AppState) -> Vec<Effect> {
    let filter = state.inbox.list.filter.as_str().trim();
    let query = if filter.is_empty() {
        state.inbox.last_search.clone()
    } else {
        filter.to_owned()
    };
    state.chrome.overlay = Some(Overlay::Search(SearchPanel::new(&query)));
    run(state)
}

/// Editing in the search box: a new search runs when the text changed.
pub fn input(state: &mut AppState, key: &KeyEvent) -> Vec<Effect> {
    match panel(state).map(|panel| panel.query.key(key)) {
        Some(LineChange::Text) => run(state),
        _ => Vec::new(),
    }
}

pub fn paste(state: &mut AppState, text: &str) -> Vec<Effect> {
    match panel(state).map(|panel| panel.query.paste(text)) {
        Some(LineChange::Text) => run(state),
        _ => Vec::new(),
    }
}

/// Searches for what is typed now; an answer to an older query is dropped when it comes.
fn run(state: &mut AppState) -> Vec<Effect> {
    let request = state.request_id();
    let Some(panel) = panel(state) else {
        return Vec::new();
    };
    let query = panel.query.as_str().to_owned();
    let enough = query.chars().filter(|c| c.is_alphanumeric()).count() >= MIN_CHARS;
    if enough {
        panel.status = SearchStatus::Searching(request);
    } else {
        panel.status = SearchStatus::Idle;
        panel.hits.clear();
        panel.shown_for.clear();
        panel.selected = 0;
    }
    state.inbox.last_search.clone_from(&query);
    if enough {
        vec![Effect::Search { request, query }]
    } else {
        Vec::new()
    }
}

pub fn results(
    state: &mut AppState,
    request: RequestId,
    result: Result<Vec<SearchHit>, String>,
) -> Vec<Effect> {
    let Some(panel) = panel(state) else {
        return Vec::new();
    };
    if panel.status != SearchStatus::Searching(request) {
        return Vec::new();
    }
    match result {
        Ok(hits) => {
            panel.hits = hits;
            panel.selected = 0;
            panel.status = SearchStatus::Done;
            panel.shown_for = panel.query.as_str().to_owned();
        }
        Err(error) => panel.status = SearchStatus::Failed(crate::text::sanitize_line(&error)),
    }
    Vec::new()
}

pub fn command(state: &mut AppState, command: Command) -> Vec<Effect> {
    let Some(panel) = panel(state) else {
        return Vec::new();
    };
    let last = panel.hits.len().saturating_sub(1);
    match command {
        Command::Down => panel.selected = (panel.selected + 1).min(last),
        Command::Up => panel.selected = panel.selected.saturating_sub(1),
        Command::PageDown => panel.selected = (panel.selected + PAGE).min(last),
        Command::PageUp => panel.selected = panel.selected.saturating_sub(PAGE),
        Command::Open => return choose(state),
        Command::Back => state.chrome.overlay = None,
        _ => {}
    }
    Vec::new()
}

/// Opens the chosen result: the conversation, at the message when a message matched.
fn choose(state: &mut AppState) -> Vec<Effect> {
    let hit = match &state.chrome.overlay {
        Some(Overlay::Search(panel)) => panel.hits.get(panel.selected).cloned(),
        _ => None,
    };
    let Some(hit) = hit else {
        return Vec::new();
    };
    state.chrome.overlay = None;
    match hit.message {
        Some((id, at)) => navigate::open_at(state, &hit.conversation, at, id),
        None => navigate::open(state, &hit.conversation),
    }
}
