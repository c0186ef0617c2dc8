//! Polling: the clock tick and the polls that are due.
//!
//! The list and the open thread each poll on their own timer. A poll that finds nothing new
//! stretches its interval (up to a cap); a change resets it. Failures put the connection offline
//! with a capped, jittered backoff; a 429 holds every poll until its `Retry-After` has passed.

use super::thread;
use crate::app::effect::Effect;
use crate::app::state::{AppState, Connection};

/// Info notices disappear after this long; errors stay until replaced.
const NOTICE_SECONDS: i64 = 8;

/// The clock tick. It draws (the one place besides `update`'s rule that decides so) when the
/// clock face changed, a notice expired, or it started something (a poll shows as loading, a send
/// check as "checking").
pub fn tick(state: &mut AppState, now: crate::api::Timestamp) -> Vec<Effect> {
    let before = clock_face(state);
    state.now = now;
    let mut effects = run_due(state);
    effects.extend(super::calls::tick(state));
    effects.extend(super::outcome::due_checks(state));
    effects.extend(super::work::persist(state));
    if state
        .chrome
        .notice
        .as_ref()
        .is_some_and(|n| !n.error && (now - n.at).num_seconds() >= NOTICE_SECONDS)
    {
        state.chrome.notice = None;
        state.touch();
    }
    if clock_face(state) != before || !effects.is_empty() {
        state.touch();
    }
    effects
}

/// What on screen depends on the clock: the minute (relative times, "synced at"), and the seconds
/// of a countdown while offline or rate limited.
fn clock_face(state: &AppState) -> (i64, i64) {
    let minute = state.now.timestamp() / 60;
    let countdown = match &state.sync.connection {
        Connection::Offline { retry_at } | Connection::RateLimited { until: retry_at } => {
            (*retry_at - state.now).num_seconds().max(0)
        }
        _ => -1,
    };
    (minute, countdown)
}

fn held_back(state: &AppState) -> bool {
    matches!(&state.sync.connection, Connection::RateLimited { until } if *until > state.now)
}

/// Starts the polls that are due.
pub fn run_due(state: &mut AppState) -> Vec<Effect> {
    let mut effects = Vec::new();
    if held_back(state) {
        return effects;
    }
    let now = state.now;
    let list_due =
        state.sync.list.due.is_some_and(|d| d <= now) && state.sync.list.request.is_none();
    if list_due {
        state.sync.list.due = None;
        if state.inbox.list.next.is_none() {
            if !state.inbox.list.load.is_loading() {
                effects.extend(super::conversations::load_first(state));
            }
        } else {
            let request = state.request_id();
            state.sync.list.request = Some(request);
            effects.push(Effect::LoadConversations {
                request,
                offset: 0,
                limit: state.settings.page_size,
                filter: state.inbox.list.server_filter.clone(),
            });
        }
    }
    let thread_due =
        state.sync.thread.due.is_some_and(|d| d <= now) && state.sync.thread.request.is_none();
    if thread_due {
        state.sync.thread.due = None;
        effects.extend(thread::poll(state));
    }
    effects
}
