//! Find in the open thread or transcript. Enter goes to the nearest match above what is on
//! screen; `n` to the next one further back, loading older pages of a thread when no match is
//! loaded there (until one is found or the beginning is reached); `N` forward again.

use ratatui::crossterm::event::KeyEvent;

use super::viewport::{anchor_at, highlighted_message};
use super::{position, status};
use crate::api::Message;
use crate::app::action::Command;
use crate::app::effect::Effect;
use crate::app::scroll::Top;
use crate::app::state::{AppState, FindAt, Scroll, View};
use crate::text::{contains_ignoring_case, sanitize};

/// `/` in a thread or transcript.
pub fn start(state: &mut AppState) -> Vec<Effect> {
    state.find.editing = true;
    state.find.input.set(&state.find.query);
    Vec::new()
}

/// The place of the current match is forgotten (the query stays).
pub fn reset(state: &mut AppState) {
    state.find.current = None;
    state.find.seeking = false;
}

/// Another thread or call was opened: its find starts afresh (a query, its highlights and a
/// half-typed box belong to the one left).
pub fn forget(state: &mut AppState) {
    state.find = crate::app::state::Find::default();
}

/// Keys of the find box.
pub fn command(state: &mut AppState, command: Command) -> Vec<Effect> {
    state.find.editing = false;
    reset(state);
    if command != Command::Accept {
        state.find.query.clear();
        return Vec::new();
    }
    state.find.query = state.find.input.as_str().trim().to_owned();
    if state.find.query.is_empty() {
        return Vec::new();
    }
    jump(state, true, true)
}

/// Editing in the find box (the query is looked for on enter).
pub fn input(state: &mut AppState, key: &KeyEvent) -> Vec<Effect> {
    state.find.input.key(key);
    Vec::new()
}

pub fn paste(state: &mut AppState, text: &str) -> Vec<Effect> {
    state.find.input.paste(text);
    Vec::new()
}

/// `n` (further back) and `N` (forward).
pub fn next(state: &mut AppState, older: bool) -> Vec<Effect> {
    if state.find.query.is_empty() {
        status::notify(
            state,
            "Nothing to find yet: / types what to look for",
            false,
        );
        return Vec::new();
    }
    jump(state, older, false)
}

/// After older messages arrived: a search further back goes on.
pub fn settle(state: &mut AppState) -> Vec<Effect> {
    if state.find.seeking && state.chrome.view == View::Conversations {
        jump(state, true, false)
    } else {
        Vec::new()
    }
}

fn jump(state: &mut AppState, older: bool, inclusive: bool) -> Vec<Effect> {
    if state.chrome.view == View::Calls {
        transcript_jump(state, older, inclusive);
        Vec::new()
    } else {
        thread_jump(state, older, inclusive)
    }
}

fn matches(message: &Message, query: &str) -> bool {
    contains_ignoring_case(&sanitize(&message.body), query)
}

fn thread_jump(state: &mut AppState, older: bool, inclusive: bool) -> Vec<Effect> {
    // Where to look from: the match shown, else what is on screen (the bottom when following).
    let following = state
        .open_thread()
        .is_none_or(|t| t.scroll == Scroll::Bottom);
    let reference = match &state.find.current {
        Some(FindAt::Message(id)) => Some(id.clone()),
        _ if following => None,
        _ => highlighted_message(state).map(|m| m.id),
    };
    let query = state.find.query.clone();
    let Some(thread) = state
        .inbox
        .open
        .as_ref()
        .and_then(|id| state.inbox.threads.get_mut(id))
    else {
        return Vec::new();
    };
    let messages = &thread.messages;
    let from = reference
        .and_then(|id| messages.iter().position(|m| m.id == id))
        .unwrap_or(messages.len());
    let found = if older {
        let end = if inclusive {
            (from + 1).min(messages.len())
        } else {
            from
        };
        messages[..end].iter().rposition(|m| matches(m, &query))
    } else {
        let start = (from + 1).min(messages.len());
        messages[start..]
            .iter()
            .position(|m| matches(m, &query))
            .map(|i| i + start)
    };
    if let Some(index) = found {
        let id = messages[index].id.clone();
        thread.scroll = anchor_at(messages, Top { index, offset: 0 });
        thread.seek_top = false;
        thread.mark = Some(id.clone());
        state.find.current = Some(FindAt::Message(id));
        state.find.seeking = false;
        return super::viewport::maybe_prefetch(state);
    }
    if older && !thread.at_beginning() {
        state.find.seeking = true;
        status::notify(
            state,
            &format!("Looking further back for “{query}”…"),
            false,
        );
        return position::load_older(state);
    }
    state.find.seeking = false;
    let which = if older {
        "further back"
    } else {
        "further forward"
    };
    status::notify(state, &format!("No match for “{query}” {which}"), false);
    Vec::new()
}

fn transcript_jump(state: &mut AppState, older: bool, inclusive: bool) {
    let (width, height) = crate::app::view::transcript::viewport(state);
    let query = state.find.query.clone();
    let Some(open) = state.calls.open.as_mut() else {
        return;
    };
    let turns = &open.transcript;
    let from = match state.find.current {
        Some(FindAt::Turn(i)) => i.min(turns.len()),
        _ if open.back == 0 => turns.len(),
        _ => crate::app::view::transcript::turn_at_bottom(open, width, height),
    };
    let hit = |t: &crate::api::TranscriptTurn| contains_ignoring_case(&sanitize(&t.text), &query);
    let found = if older {
        let end = if inclusive {
            (from + 1).min(turns.len())
        } else {
            from
        };
        turns[..end].iter().rposition(hit)
    } else {
        let start = (from + 1).min(turns.len());
        turns[start..].iter().position(hit).map(|i| i + start)
    };
    let Some(index) = found else {
        let which = if older {
            "further back"
        } else {
            "further forward"
        };
        status::notify(state, &format!("No match for “{query}” {which}"), false);
        return;
    };
    open.back = crate::app::view::transcript::back_to_show(open, index, width, height);
    state.find.current = Some(FindAt::Turn(index));
}
