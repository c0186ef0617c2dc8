//! Calls flows: the real `update` and runtime, headless, against the sandbox on 127.0.0.1. A
//! supervisor opens the calls view, follows a live call while it is spoken, survives a dropped
//! stream without duplicated turns, and sees the call end.
#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use crate::common::quiet_settings;

use std::time::Duration;

use switchboard::api::{AgentPhone, CallId};
use switchboard::app::action::Command;
use switchboard::app::headless::Headless;
use switchboard::app::state::{AppState, Stream};
use switchboard::sandbox::{self, SandboxConfig, SandboxHandle};

const WAIT: Duration = Duration::from_secs(20);

async fn start() -> (SandboxHandle, Headless) {
    let config = SandboxConfig {
        heartbeat: Duration::from_millis(300),
        ..SandboxConfig::quiet(5)
    };
    let handle = sandbox::spawn(config).await.unwrap();
    let mut http = handle.http_config();
    http.request_timeout = Duration::from_secs(2);
    let client = AgentPhone::new(http).unwrap();
    let settings = quiet_settings();
    let app = Headless::start(client, settings, 160, 48);
    (handle, app)
}

fn transcript_len(s: &AppState) -> usize {
    s.calls.open.as_ref().map_or(0, |o| o.transcript.len())
}

fn turn_ids(s: &AppState) -> Vec<(Option<String>, String)> {
    let open = s.calls.open.as_ref().unwrap();
    let turns = open.transcript.iter();
    turns
        .map(|t| (t.id.clone(), format!("{:?}", t.role)))
        .collect()
}

fn stream_requests(handle: &SandboxHandle) -> usize {
    let requests = handle.requests();
    requests
        .iter()
        .filter(|r| r.path.ends_with("/transcript/stream"))
        .count()
}

/// The stream is open and the stored turns are in.
fn following(s: &AppState) -> bool {
    s.calls.open.as_ref().is_some_and(|o| {
        matches!(
            o.stream,
            Stream::Open {
                connected: true,
                ..
            }
        ) && !o.transcript.is_empty()
    })
}

/// Switches to the calls view and opens the newest call, which is live; returns its id.
async fn open_live_call(handle: &SandboxHandle, app: &mut Headless) -> CallId {
    app.command(Command::Calls);
    assert!(
        app.run_until(WAIT, |s| s.calls.items.len() >= 20).await,
        "calls load"
    );
    // Live calls are the newest, so they are on top; open the first.
    let live = handle.live_calls();
    let first = app.state.calls.items[0].id.clone();
    assert!(live.contains(&first.to_string()), "a live call is on top");
    app.command(Command::Open);
    assert!(app.run_until(WAIT, following).await, "the stream connects");
    first
}

#[tokio::test]
async fn a_supervisor_follows_a_live_call_through_a_drop_to_its_end() {
    let (handle, mut app) = start().await;
    let first = open_live_call(&handle, &mut app).await;
    let stored = transcript_len(&app.state);
    // A new exchange is spoken: it appears without asking.
    assert!(handle.advance_call(first.as_str()));
    assert!(
        app.run_until(WAIT, |s| transcript_len(s) == stored + 2)
            .await
    );
    // The connection drops; the app reconnects by itself and the replay adds nothing twice.
    let before = stream_requests(&handle);
    handle.drop_streams();
    assert!(
        app.run_until(WAIT, |s| {
            matches!(
                s.calls.open.as_ref().unwrap().stream,
                Stream::Retrying { .. }
            )
        })
        .await
    );
    assert!(
        handle.advance_call(first.as_str()),
        "spoken while disconnected"
    );
    assert!(
        app.run_until(WAIT, |s| transcript_len(s) == stored + 4)
            .await
    );
    // The call is read again first (bringing what was said meanwhile), then followed again.
    assert!(
        app.run_until(WAIT, following).await,
        "the stream is followed again"
    );
    assert_eq!(stream_requests(&handle), before + 1, "one reconnection");
    let ids = turn_ids(&app.state);
    let unique: std::collections::HashSet<_> = ids.iter().collect();
    assert_eq!(ids.len(), unique.len(), "no turn twice");
    // The call ends: the stream stops and the facts are read again.
    handle.end_call(first.as_str());
    let ended = |s: &AppState| {
        s.calls.open.as_ref().is_some_and(|o| {
            o.stream == Stream::Ended && o.summary.status == "completed" && !o.load.is_loading()
        })
    };
    assert!(app.run_until(WAIT, ended).await, "the call ends");
    let call = AgentPhone::new(handle.http_config())
        .unwrap()
        .get_call(&CallId(first.to_string()))
        .await
        .unwrap();
    assert_eq!(
        app.state.calls.open.as_ref().unwrap().transcript,
        call.transcript
    );
    // Nothing more is requested for an ended call while the app idles.
    let after = stream_requests(&handle);
    assert!(!app.run_until(Duration::from_millis(1500), |_| false).await);
    assert_eq!(stream_requests(&handle), after);
    let screen = app.render();
    let text: String = screen
        .content()
        .iter()
        .map(ratatui::buffer::Cell::symbol)
        .collect();
    assert!(
        text.contains("call ended"),
        "the transcript says the call ended"
    );
}
