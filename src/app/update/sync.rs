//! Polling, connection health and notices.
//!
//! The list and the open thread each poll on their own timer. A poll that finds nothing new
//! stretches its interval (up to a cap); a change resets it. Failures put the connection offline
//! with a capped, jittered backoff; a 429 holds every poll until its `Retry-After` has passed.

use std::time::Duration;

use chrono::TimeDelta;

use super::thread;
use crate::api::ApiError;
use crate::app::effect::Effect;
use crate::app::state::{AppState, Connection, Notice};

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
        .notice
        .as_ref()
        .is_some_and(|n| !n.error && (now - n.at).num_seconds() >= NOTICE_SECONDS)
    {
        state.notice = None;
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
        if state.list.next.is_none() {
            if !state.list.load.is_loading() {
                effects.extend(super::conversations::load_first(state));
            }
        } else {
            let request = state.request_id();
            state.sync.list.request = Some(request);
            effects.push(Effect::LoadConversations {
                request,
                offset: 0,
                limit: state.settings.page_size,
                filter: state.list.server_filter.clone(),
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

/// A request succeeded: the connection is live.
pub fn succeeded(state: &mut AppState) {
    state.sync.connection = Connection::Live;
    state.sync.failures = 0;
    state.sync.last_success = Some(state.now);
    if state.notice.as_ref().is_some_and(|n| n.until_success) {
        state.notice = None;
    }
}

/// A request failed: update the connection, push the polls back, and tell the user.
pub fn failed(state: &mut AppState, error: &ApiError, what: &str) {
    let now = state.now;
    let retry_at = match error {
        ApiError::RateLimited { retry_after, .. } => {
            let until = now + delta(retry_after.unwrap_or(Duration::from_secs(5)));
            state.sync.connection = Connection::RateLimited { until };
            Some(until)
        }
        ApiError::Auth { .. } => {
            state.sync.connection = Connection::AuthFailed;
            Some(now + delta(state.settings.offline_max))
        }
        ApiError::Timeout { .. } | ApiError::Connection { .. } | ApiError::Server { .. } => {
            state.sync.failures += 1;
            let retry_at = now + delta(backoff(state));
            state.sync.connection = Connection::Offline { retry_at };
            Some(retry_at)
        }
        // The same reply will not read better a second later: wait the longest pace at once. The
        // server answered, so the connection stays as it was.
        ApiError::Decode { .. } => Some(now + delta(state.settings.offline_max)),
        // The request was wrong, not the connection.
        ApiError::NotFound { .. }
        | ApiError::Validation { .. }
        | ApiError::Conflict { .. }
        | ApiError::Status { .. }
        | ApiError::Unsupported { .. } => None,
    };
    let now = state.now;
    for poll in [&mut state.sync.list, &mut state.sync.thread] {
        poll.due = match (retry_at, poll.due) {
            (Some(at), due) => Some(due.map_or(at, |d| d.max(at))),
            // The request was refused but the connection works: keep polling at the idle pace,
            // so one odd 404 never stops the inbox from updating.
            (None, None) if poll.request.is_none() => Some(now + delta(poll.interval)),
            (None, due) => due,
        };
    }
    let text = format!("{what}: {error}");
    tracing::warn!("{text}");
    notify(state, &text, true);
    // A failure of the connection (not of one request, nor a reply that could not be read) is
    // over once any request succeeds.
    if let Some(notice) = state.notice.as_mut() {
        notice.until_success = retry_at.is_some() && !matches!(error, ApiError::Decode { .. });
    }
}

/// Records the server sent could not be read and were skipped: say so once, where to look.
pub fn skipped(state: &mut AppState, counts: &[(crate::api::lenient::RecordKind, usize)]) {
    if let Some(text) = crate::api::skips::describe(counts) {
        notify(state, &format!("{text} · details in the log"), true);
    }
}

/// Offline backoff: 1 s, 2 s, 4 s … capped, with ±20 % jitter.
fn backoff(state: &mut AppState) -> Duration {
    let exp = state.sync.failures.saturating_sub(1).min(10);
    let base = Duration::from_secs(1 << exp).min(state.settings.offline_max);
    base.mul_f64(0.8 + state.rng.unit() * 0.4)
}

/// A duration as a clock step, at most a day (so `now + delta` can never overflow).
pub fn delta(d: Duration) -> TimeDelta {
    TimeDelta::from_std(d)
        .unwrap_or(TimeDelta::MAX)
        .min(TimeDelta::days(1))
}

/// Schedules the next list poll: back to the base interval after a change, longer when idle.
pub fn schedule_list(state: &mut AppState, changed: bool) {
    let (base, max) = (state.settings.list_poll, state.settings.list_poll_max);
    let interval = next_interval(state.sync.list.interval, base, max, changed);
    state.sync.list.interval = interval;
    state.sync.list.due = Some(state.now + delta(interval));
}

/// Schedules the next poll of the open thread.
pub fn schedule_thread(state: &mut AppState, changed: bool) {
    let (base, max) = (state.settings.thread_poll, state.settings.thread_poll_max);
    let interval = next_interval(state.sync.thread.interval, base, max, changed);
    state.sync.thread.interval = interval;
    state.sync.thread.due = Some(state.now + delta(interval));
}

fn next_interval(current: Duration, base: Duration, max: Duration, changed: bool) -> Duration {
    if changed {
        base
    } else {
        current.mul_f64(1.5).clamp(base, max.max(base))
    }
}

/// Shows a notice in the status bar.
pub fn notify(state: &mut AppState, text: &str, error: bool) {
    state.notice = Some(Notice {
        text: crate::text::sanitize_line(text),
        error,
        at: state.now,
        until_success: false,
    });
}
