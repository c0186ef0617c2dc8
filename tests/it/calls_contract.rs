//! Contract tests for calls: the real client against the sandbox on loopback, including the live
//! transcript stream (server-sent events) with drops and reconnects.
#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use std::time::Duration;

use serde_json::{Value, json};
use switchboard::api::StreamEnd;
use switchboard::api::{
    AgentPhone, ApiError, CallEvent, CallFilter, CallId, TranscriptTurn, merge_turns,
};
use switchboard::sandbox::{self, Fault, FaultRule, SandboxConfig, SandboxHandle};
use tokio::sync::mpsc;

const IDLE: Duration = Duration::from_secs(10);

async fn start() -> (SandboxHandle, AgentPhone) {
    let config = SandboxConfig {
        heartbeat: Duration::from_millis(200),
        ..SandboxConfig::quiet(11)
    };
    let handle = sandbox::spawn(config).await.unwrap();
    let client = AgentPhone::new(handle.http_config()).unwrap();
    (handle, client)
}

/// Follows a call's stream on a task; events come out of the channel.
fn follow(
    client: &AgentPhone,
    id: &CallId,
) -> (
    mpsc::UnboundedReceiver<CallEvent>,
    tokio::task::JoinHandle<Result<StreamEnd, ApiError>>,
) {
    let (tx, rx) = mpsc::unbounded_channel();
    let (client, id) = (client.clone(), id.clone());
    let task = tokio::spawn(async move {
        client
            .stream_transcript(&id, IDLE, move |event| {
                let _ = tx.send(event);
            })
            .await
    });
    (rx, task)
}

/// Receives events until `want` turns were merged in (or a bounded wait runs out).
async fn turns_until(
    rx: &mut mpsc::UnboundedReceiver<CallEvent>,
    transcript: &mut Vec<TranscriptTurn>,
    want: usize,
) -> Vec<CallEvent> {
    let mut seen = Vec::new();
    while transcript.len() < want {
        let event = tokio::time::timeout(Duration::from_secs(10), rx.recv())
            .await
            .expect("the stream went quiet")
            .expect("the stream ended early");
        if let CallEvent::Turns(turns) = &event {
            merge_turns(transcript, turns.clone());
        }
        seen.push(event);
    }
    seen
}

fn live_call(handle: &SandboxHandle) -> CallId {
    CallId(
        handle
            .live_calls()
            .first()
            .cloned()
            .expect("a call in progress"),
    )
}

#[tokio::test]
async fn calls_filter_by_status_direction_and_number() {
    let (handle, client) = start().await;
    let live = client
        .list_calls(
            0,
            100,
            &CallFilter {
                status: Some("in-progress".into()),
                ..CallFilter::default()
            },
        )
        .await
        .unwrap();
    let mut ids: Vec<String> = live.items.iter().map(|c| c.id.to_string()).collect();
    ids.sort();
    let mut expected = handle.live_calls();
    expected.sort();
    assert_eq!(ids, expected);
    assert!(live.items.iter().all(|c| c.ended_at.is_none()));
    let inbound = CallFilter {
        direction: Some("inbound".into()),
        ..CallFilter::default()
    };
    let page = client.list_calls(0, 100, &inbound).await.unwrap();
    assert!(!page.items.is_empty());
    assert!(
        page.items
            .iter()
            .all(|c| c.direction == Some(switchboard::api::Direction::Inbound))
    );
    let number = page.items[0].from.clone();
    let search = CallFilter {
        search: Some(number[number.len() - 6..].to_owned()),
        ..CallFilter::default()
    };
    let found = client.list_calls(0, 100, &search).await.unwrap();
    assert!(found.items.iter().any(|c| c.from == number));
    assert!(
        found
            .items
            .iter()
            .all(|c| c.from.contains(&number[number.len() - 6..])
                || c.to.contains(&number[number.len() - 6..]))
    );
}

#[tokio::test]
async fn a_finished_call_replays_its_turns_and_ends() {
    let (_handle, client) = start().await;
    let page = client
        .list_calls(
            0,
            50,
            &CallFilter {
                status: Some("completed".into()),
                ..CallFilter::default()
            },
        )
        .await
        .unwrap();
    let summary = &page.items[0];
    let call = client.get_call(&summary.id).await.unwrap();
    assert!(call.transcript.len() >= 2);
    let (mut rx, task) = follow(&client, &summary.id);
    let end = task.await.unwrap().unwrap();
    assert_eq!(end, StreamEnd::Ended);
    let mut events = Vec::new();
    while let Ok(event) = rx.try_recv() {
        events.push(event);
    }
    assert_eq!(events.first(), Some(&CallEvent::Connected));
    assert_eq!(events.last(), Some(&CallEvent::Ended));
    let mut transcript = Vec::new();
    for event in events {
        if let CallEvent::Turns(turns) = event {
            merge_turns(&mut transcript, turns);
        }
    }
    assert_eq!(transcript, call.transcript);
}

#[tokio::test]
async fn a_live_call_streams_new_turns_as_spoken_and_stops_on_ended() {
    let (handle, client) = start().await;
    let id = live_call(&handle);
    let stored = client.get_call(&id).await.unwrap().transcript.len();
    let (mut rx, task) = follow(&client, &id);
    let mut transcript = Vec::new();
    turns_until(&mut rx, &mut transcript, stored).await;
    assert!(handle.advance_call(id.as_str()));
    turns_until(&mut rx, &mut transcript, stored + 2).await;
    assert_eq!(
        transcript.len(),
        stored + 2,
        "one exchange: caller and agent"
    );
    // Heartbeats keep a quiet stream open.
    let quiet = tokio::time::timeout(Duration::from_millis(700), rx.recv()).await;
    assert_eq!(quiet.unwrap(), Some(CallEvent::Heartbeat));
    handle.end_call(id.as_str());
    let end = tokio::time::timeout(Duration::from_secs(10), task).await;
    assert_eq!(end.unwrap().unwrap().unwrap(), StreamEnd::Ended);
    let call = client.get_call(&id).await.unwrap();
    assert_eq!(call.summary.status, "completed");
    assert_eq!(transcript, call.transcript);
}

#[tokio::test]
async fn a_dropped_stream_reconnects_without_duplicating_turns() {
    let (handle, client) = start().await;
    let id = live_call(&handle);
    let stored = client.get_call(&id).await.unwrap().transcript.len();
    let mut transcript = Vec::new();
    let (mut rx, task) = follow(&client, &id);
    turns_until(&mut rx, &mut transcript, stored).await;
    handle.drop_streams();
    let dropped = task.await.unwrap();
    assert!(
        matches!(dropped, Err(ApiError::Connection { .. })),
        "{dropped:?}"
    );
    // Spoken while the stream was down: the replay brings it, and nothing twice.
    assert!(handle.advance_call(id.as_str()));
    let (mut rx, task) = follow(&client, &id);
    turns_until(&mut rx, &mut transcript, stored + 2).await;
    // A drop injected by the fault layer, mid-replay this time.
    handle.push_fault(FaultRule::next(Fault::Drop, 1).on_path("/stream"));
    handle.end_call(id.as_str());
    assert_eq!(task.await.unwrap().unwrap(), StreamEnd::Ended);
    let (_rx, task) = follow(&client, &id);
    assert!(matches!(
        task.await.unwrap(),
        Err(ApiError::Connection { .. })
    ));
    let (mut rx, task) = follow(&client, &id);
    assert_eq!(task.await.unwrap().unwrap(), StreamEnd::Ended);
    while let Ok(event) = rx.try_recv() {
        if let CallEvent::Turns(turns) = event {
            merge_turns(&mut transcript, turns);
        }
    }
    let call = client.get_call(&id).await.unwrap();
    assert_eq!(transcript, call.transcript, "every turn once, in order");
}

#[tokio::test]
async fn streaming_an_unknown_call_is_not_found() {
    let (_handle, client) = start().await;
    let (_rx, task) = follow(&client, &CallId("call_nope".into()));
    let err = task.await.unwrap().unwrap_err();
    assert_eq!(err.class(), switchboard::api::ErrorClass::NotFound);
}

/// A plain GET with the sandbox's key, for what our client has no method for: status and JSON.
async fn raw_get(handle: &SandboxHandle, path: &str) -> (u16, Value) {
    let url = format!("{}{path}", handle.url().as_str().trim_end_matches('/'));
    let resp = reqwest::Client::new()
        .get(url)
        .header("Authorization", format!("Bearer {}", handle.api_key()))
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap())
}

/// `calls.get_transcript` in the official SDK returns a JSON object (`-> dict`). The rows are the
/// ones `GET /v1/calls/{id}` carries in `transcripts` (one exchange each), in the same order.
#[tokio::test]
async fn the_full_transcript_holds_the_calls_rows_in_order() {
    let (handle, _client) = start().await;
    let id = handle.with_world(|w| {
        let call = w.calls.iter().find(|c| c.rows.len() >= 2).unwrap();
        call.id.clone()
    });
    let (status, call) = raw_get(&handle, &format!("/v1/calls/{id}")).await;
    assert_eq!(status, 200);
    let (status, body) = raw_get(&handle, &format!("/v1/calls/{id}/transcript")).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.is_object(), "the SDK reads a JSON object: {body}");
    assert_eq!(body["callId"], json!(id));
    assert_eq!(body["transcripts"], call["transcripts"]);
    for row in body["transcripts"].as_array().unwrap() {
        for key in ["id", "transcript", "createdAt"] {
            assert!(row[key].is_string(), "{key} in {row}");
        }
        assert!(row["response"].is_string() || row["response"].is_null());
    }
    let (status, body) = raw_get(&handle, "/v1/calls/call_nope/transcript").await;
    assert_eq!(status, 404);
    assert!(body["detail"].is_string(), "{body}");
}

/// `GET /v1/calls?…` with `query`, every page of 100: the rows and the `total` the server said.
async fn all_calls(handle: &SandboxHandle, query: &str) -> (Vec<Value>, u64) {
    let (mut rows, mut total) = (Vec::new(), 0);
    for page in 0..20 {
        let path = format!("/v1/calls?limit=100&offset={}&{query}", page * 100);
        let (status, body) = raw_get(handle, &path).await;
        assert_eq!(status, 200, "{path}: {body}");
        total = body["total"].as_u64().unwrap();
        rows.extend(body["data"].as_array().unwrap().iter().cloned());
        if !body["hasMore"].as_bool().unwrap() {
            break;
        }
    }
    (rows, total)
}

/// `type` (`pstn`, `web`) filters the calls list like `status` and `direction`, each call says
/// which it is, and the two kinds make up the whole list.
#[tokio::test]
async fn calls_filter_by_type_and_carry_it() {
    let (handle, client) = start().await;
    let (all, total) = all_calls(&handle, "").await;
    assert_eq!(all.len() as u64, total);
    let mut parts = 0;
    for kind in ["pstn", "web"] {
        let (rows, total) = all_calls(&handle, &format!("type={kind}")).await;
        assert!(!rows.is_empty(), "no {kind} call in the seeded world");
        assert_eq!(rows.len() as u64, total);
        assert!(rows.iter().all(|c| c["type"] == kind), "{kind}");
        parts += total;
    }
    assert_eq!(parts, total, "pstn and web make up the list");
    assert!(
        all.iter()
            .all(|c| c["type"] == "pstn" || c["type"] == "web")
    );
    let web = CallFilter {
        kind: Some("web".into()),
        ..CallFilter::default()
    };
    let page = client.list_calls(0, 100, &web).await.unwrap();
    let got: Vec<String> = page.items.iter().map(|c| c.id.to_string()).collect();
    let want: Vec<&Value> = all.iter().filter(|c| c["type"] == "web").collect();
    assert_eq!(
        got,
        want.iter()
            .map(|c| c["id"].as_str().unwrap())
            .collect::<Vec<_>>()
    );
    // A browser call uses none of our numbers; it still has the from/to strings the SDK requires.
    for c in want {
        assert!(
            c["phoneNumberId"].is_null() && c["phoneNumber"].is_null(),
            "{c}"
        );
        assert!(
            c["fromNumber"].is_string() && c["toNumber"].is_string(),
            "{c}"
        );
    }
    let (_, none) = all_calls(&handle, "type=bogus").await;
    assert_eq!(none, 0, "an unknown type matches no call");
}

/// A direction the API does not know (`web` is a type, not a direction) matches no call; it
/// used to fall through to the outbound calls.
#[tokio::test]
async fn an_unknown_direction_matches_no_call() {
    let (handle, _client) = start().await;
    for direction in ["web", "bogus"] {
        let (rows, total) = all_calls(&handle, &format!("direction={direction}")).await;
        assert_eq!((rows.len(), total), (0, 0), "direction={direction}");
    }
    let (_, inbound) = all_calls(&handle, "direction=inbound").await;
    let (_, outbound) = all_calls(&handle, "direction=outbound").await;
    let (_, total) = all_calls(&handle, "").await;
    assert_eq!(inbound + outbound, total);
}
