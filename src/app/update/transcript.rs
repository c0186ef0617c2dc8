//! The open call: reading it, following its live transcript stream (reconnecting after a drop
//! with a growing wait; the replay is de-duplicated by turn id), and scrolling its transcript.

use std::time::Duration;

use crate::api::StreamEnd;
use crate::api::{ApiError, Call, CallEvent, CallId, ErrorClass, merge_turns};
use crate::app::action::Command;
use crate::app::effect::Effect;
use crate::app::paging::{Load, RequestId};
use crate::app::state::{AppState, Focus, OpenCall, Stream};

use super::status;

/// Longest wait before reconnecting a dropped stream.
const MAX_RECONNECT: Duration = Duration::from_secs(30);

/// Enter on a call: open it (reading its facts and stored transcript) and focus the transcript.
pub fn open_selected(state: &mut AppState) -> Vec<Effect> {
    let Some(summary) = state.calls.selected_call().cloned() else {
        return Vec::new();
    };
    state.chrome.focus = Focus::Thread;
    if state
        .calls
        .open
        .as_ref()
        .is_some_and(|o| o.id == summary.id)
    {
        return Vec::new();
    }
    let mut effects = pause(state);
    super::find::forget(state);
    state.calls.open = Some(OpenCall::new(summary));
    effects.extend(read_call(state));
    effects
}

fn read_call(state: &mut AppState) -> Vec<Effect> {
    let request = state.request_id();
    let Some(open) = state.calls.open.as_mut() else {
        return Vec::new();
    };
    open.load = Load::Loading(request);
    vec![Effect::LoadCall {
        request,
        call: open.id.clone(),
    }]
}

/// Stops following (the view is hidden or another call opens). The transcript stays.
pub fn pause(state: &mut AppState) -> Vec<Effect> {
    let Some(open) = state.calls.open.as_mut() else {
        return Vec::new();
    };
    let following = matches!(open.stream, Stream::Open { .. } | Stream::Retrying { .. });
    if !following {
        return Vec::new();
    }
    open.stream = Stream::Off;
    vec![Effect::StopStream]
}

/// Back in the calls view: read the open call again, which resumes its stream if still live.
pub fn resume(state: &mut AppState) -> Vec<Effect> {
    match &state.calls.open {
        Some(open) if open.stream == Stream::Off && open.is_live() => read_call(state),
        _ => Vec::new(),
    }
}

/// Ctrl-R: read a call whose read failed, reconnect a stream at once.
pub fn retry(state: &mut AppState) -> Vec<Effect> {
    let Some(open) = state.calls.open.as_ref() else {
        return Vec::new();
    };
    match (&open.load, &open.stream) {
        (Load::Failed(_), _) | (_, Stream::Failed(_)) => read_call(state),
        (_, Stream::Retrying { .. }) => reconnect(state),
        _ => Vec::new(),
    }
}

/// Reconnects a dropped stream when its wait is over.
pub fn tick(state: &mut AppState) -> Vec<Effect> {
    match state.calls.open.as_ref().map(|o| &o.stream) {
        Some(Stream::Retrying { at, .. }) if *at <= state.now => reconnect(state),
        _ => Vec::new(),
    }
}

/// Reads the call again before following it again: a call that ended while the stream was
/// down is not followed (its read brings the final facts and turns).
fn reconnect(state: &mut AppState) -> Vec<Effect> {
    if let Some(open) = state.calls.open.as_mut() {
        open.stream = Stream::Off;
    }
    read_call(state)
}

fn follow(state: &mut AppState) -> Vec<Effect> {
    let request = state.request_id();
    let Some(open) = state.calls.open.as_mut() else {
        return Vec::new();
    };
    open.stream = Stream::Open {
        request,
        connected: false,
    };
    vec![Effect::StreamTranscript {
        request,
        call: open.id.clone(),
    }]
}

pub fn call_loaded(
    state: &mut AppState,
    request: RequestId,
    call: &CallId,
    result: Result<Call, ApiError>,
) -> Vec<Effect> {
    let awaited = state.calls.open.as_ref().filter(|o| &o.id == call);
    if !awaited.is_some_and(|o| o.load.awaits(request)) {
        return Vec::new();
    }
    // A read that lands after the calls view was left must not start a hidden stream.
    let shown = state.chrome.view == crate::app::state::View::Calls;
    let Some(open) = state.calls.open.as_mut() else {
        return Vec::new();
    };
    match result {
        Ok(call) => {
            open.load = Load::Idle;
            let summary = call.summary.clone();
            open.set_call(call);
            let following =
                shown && open.is_live() && matches!(open.stream, Stream::Off | Stream::Failed(_));
            if let Some(row) = state.calls.items.iter_mut().find(|c| c.id == summary.id) {
                *row = summary;
            }
            status::succeeded(state);
            if following { follow(state) } else { Vec::new() }
        }
        Err(error) => {
            open.load = Load::Failed(error.to_string());
            status::failed(state, &error, "Couldn't load the call");
            Vec::new()
        }
    }
}

/// One event of the live stream. Heartbeats change nothing, so they cost no redraw.
pub fn stream_event(state: &mut AppState, request: RequestId, event: CallEvent) -> Vec<Effect> {
    let (width, _) = crate::app::view::transcript::viewport(state);
    let Some(open) = state.calls.open.as_mut() else {
        return Vec::new();
    };
    let Stream::Open {
        request: current,
        connected,
    } = &mut open.stream
    else {
        return Vec::new();
    };
    if *current != request {
        return Vec::new();
    }
    match event {
        CallEvent::Heartbeat => Vec::new(),
        CallEvent::Connected => {
            *connected = true;
            Vec::new()
        }
        CallEvent::Turns(turns) => {
            let (count, lines) = (
                open.transcript.len(),
                crate::app::view::transcript::total_height(open, width),
            );
            let added = merge_turns(&mut open.transcript, turns);
            if added > 0 {
                // New words are progress: a later drop starts its backoff over.
                open.reconnects = 0;
            }
            if open.back > 0 {
                // Whatever grew (new turns, or a turn completed in place) grew below the
                // viewport: move up by as much so what is read stays put.
                let grown =
                    crate::app::view::transcript::total_height(open, width).saturating_sub(lines);
                open.back = open.back.saturating_add(grown);
                open.new_below += open.transcript.len() - count;
            }
            Vec::new()
        }
        CallEvent::Ended => {
            open.stream = Stream::Ended;
            // The call's final facts (status, duration) come with a fresh read.
            read_call(state)
        }
    }
}

/// The stream closed. Without `ended` it is reconnected after a wait that grows with each try.
pub fn stream_closed(
    state: &mut AppState,
    request: RequestId,
    result: Result<StreamEnd, ApiError>,
) -> Vec<Effect> {
    let now = state.now;
    let current = state.calls.open.as_ref().map(|o| &o.stream);
    let Some(&Stream::Open {
        request: current, ..
    }) = current
    else {
        return Vec::new();
    };
    if current != request {
        return Vec::new();
    }
    let Some(open) = state.calls.open.as_mut() else {
        return Vec::new();
    };
    match &result {
        Ok(StreamEnd::Ended) => {
            open.stream = Stream::Ended;
            return Vec::new();
        }
        // Refusals that a retry cannot change (the call is gone, the key or request is wrong):
        // stop and say so; ctrl-r reads the call again.
        Err(e)
            if matches!(
                e.class(),
                ErrorClass::Auth
                    | ErrorClass::NotFound
                    | ErrorClass::Validation
                    | ErrorClass::Conflict
                    | ErrorClass::Status
                    | ErrorClass::Unsupported
            ) =>
        {
            open.stream = Stream::Failed(e.to_string());
            return Vec::new();
        }
        _ => {}
    }
    let wait = Duration::from_secs(1 << open.reconnects.min(5)).min(MAX_RECONNECT);
    open.reconnects += 1;
    open.stream = Stream::Retrying {
        at: now + status::delta(wait),
    };
    let why = result
        .err()
        .map_or_else(|| "closed".to_owned(), |e| e.to_string());
    status::notify(
        state,
        &format!(
            "Live transcript dropped ({why}); reconnecting in {}s",
            wait.as_secs()
        ),
        false,
    );
    Vec::new()
}

/// Keys of the transcript pane.
pub fn command(state: &mut AppState, command: Command) -> Vec<Effect> {
    let (width, height) = crate::app::view::transcript::viewport(state);
    let page = height.saturating_sub(2).max(1);
    let Some(open) = state.calls.open.as_mut() else {
        return Vec::new();
    };
    match command {
        Command::Up => open.back = open.back.saturating_add(1),
        Command::Down => open.back = open.back.saturating_sub(1),
        Command::PageUp => open.back = open.back.saturating_add(page),
        Command::PageDown => open.back = open.back.saturating_sub(page),
        Command::Top => open.back = u16::MAX,
        Command::Bottom => open.back = 0,
        Command::Back => {
            state.chrome.focus = Focus::List;
            return Vec::new();
        }
        _ => return Vec::new(),
    }
    let total = crate::app::view::transcript::total_height(open, width);
    open.back = open.back.min(total.saturating_sub(height));
    if open.back == 0 {
        open.new_below = 0;
    }
    Vec::new()
}
