//! Connection health and notices: what a request's success or failure does to the connection
//! and the polls' pace, and the status-bar notice. A leaf: every pane's reducer reports here.

use std::time::Duration;

use chrono::TimeDelta;

use crate::api::ApiError;
use crate::app::state::{AppState, Connection, Notice};

/// A request succeeded: the connection is live.
pub fn succeeded(state: &mut AppState) {
    state.sync.connection = Connection::Live;
    state.sync.failures = 0;
    state.sync.last_success = Some(state.now);
    if state
        .chrome
        .notice
        .as_ref()
        .is_some_and(|n| n.until_success)
    {
        state.chrome.notice = None;
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
    if let Some(notice) = state.chrome.notice.as_mut() {
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

/// Clears the notice: a dialog that says it all opens, and the status bar must show its keys, not
/// an older notice about something else.
pub fn clear(state: &mut AppState) {
    state.chrome.notice = None;
}

/// Shows a notice in the status bar.
pub fn notify(state: &mut AppState, text: &str, error: bool) {
    state.chrome.notice = Some(Notice {
        text: crate::text::sanitize_line(text),
        error,
        at: state.now,
        until_success: false,
    });
}
