//! Calls in progress: they gain a transcript row every few seconds and end after a planned number
//! of exchanges, and `GET /v1/calls/{id}/transcript/stream` follows them with server-sent events
//! (`connected`, one `turn` per stored row, `ended`, and `: heartbeat` comments), replaying the
//! stored rows first, as the real API does. `GET /v1/calls/{id}/transcript` answers the stored
//! rows at once.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use chrono::TimeDelta;
use futures::Stream;
use serde_json::{Value, json};

use super::render as wire;
use super::seed::{self, SEED_DATA};
use super::world::{CallRec, PSTN_CALL, TranscriptRow, World};
use crate::sandbox::reject::Reject;
use crate::sandbox::{Shared, Time};

/// The status of a call that is still going on.
pub const IN_PROGRESS: &str = "in-progress";

/// Starts a call that is in progress now, with `rows` exchanges already spoken.
pub fn start(world: &mut World, now: Time, rows: usize) -> usize {
    let number = world.rng.index(world.numbers.len().max(1));
    let other = format!(
        "+1{}55502{:02}",
        world.rng.range(201, 989),
        world.rng.below(100)
    );
    let planned = rows + usize::try_from(world.rng.range(3, 7)).unwrap_or(4);
    let id = world.new_id("call");
    let agent_id = world.numbers.get(number).and_then(|n| n.agent_id.clone());
    let started_at = now - TimeDelta::seconds(i64::try_from(rows * 12 + 3).unwrap_or(3));
    world.calls.push(CallRec {
        id,
        agent_id,
        number,
        other,
        inbound: world.rng.chance(700),
        kind: PSTN_CALL,
        status: IN_PROGRESS,
        started_at,
        ended_at: None,
        recording: true,
        rows: Vec::new(),
        planned_rows: planned,
    });
    let call = world.calls.len() - 1;
    for i in 0..rows {
        let back = i64::try_from((rows - i) * 12).unwrap_or(0);
        add_row(world, call, now - TimeDelta::seconds(back));
    }
    call
}

/// The caller says something and the agent answers. Returns false when the call is over.
pub fn add_row(world: &mut World, call: usize, now: Time) -> bool {
    if world
        .calls
        .get(call)
        .is_none_or(|c| c.status != IN_PROGRESS)
    {
        return false;
    }
    let lines = &SEED_DATA.call_lines;
    let (user, agent) = lines[world.rng.index(lines.len().max(1))].clone();
    let id = world.new_id("tr");
    let user = seed::fill_random(&mut world.rng, &user);
    let agent = seed::fill_random(&mut world.rng, &agent);
    world.calls[call].rows.push(TranscriptRow {
        id,
        user,
        agent: Some(agent),
        at: now,
    });
    true
}

/// The call ends now.
pub fn end(world: &mut World, call: usize, now: Time) {
    if let Some(rec) = world
        .calls
        .get_mut(call)
        .filter(|c| c.status == IN_PROGRESS)
    {
        rec.status = "completed";
        rec.ended_at = Some(now);
    }
}

/// One step of a live call: a new exchange, or the end when its planned length is reached.
/// Returns true while the call goes on.
pub fn advance(world: &mut World, call: usize, now: Time) -> bool {
    let Some(rec) = world.calls.get(call) else {
        return false;
    };
    if rec.status != IN_PROGRESS {
        return false;
    }
    if rec.rows.len() >= rec.planned_rows {
        end(world, call, now);
        return false;
    }
    add_row(world, call, now)
}

/// `GET /v1/calls/{id}/transcript`: the whole transcript, oldest row first.
///
/// The official SDK's `calls.get_transcript` returns the body as a JSON object (`dict`) and the
/// OpenAPI leaves it untyped; its description ("each entry contains the user utterance and the
/// corresponding agent response") is the row `GET /v1/calls/{id}` carries in `transcripts`, so
/// the rows go under that name, next to the call's id. The envelope is our reading, not a
/// documented shape (see the README's compatibility notes).
pub async fn transcript(
    State(s): State<Arc<Shared>>,
    Path(id): Path<String>,
) -> Result<Json<Value>, Reject> {
    let world = s.lock_world();
    let call = world
        .calls
        .iter()
        .find(|c| c.id == id)
        .ok_or_else(|| Reject::not_found("Call"))?;
    let rows: Vec<Value> = call.rows.iter().map(wire::transcript_row).collect();
    Ok(Json(json!({"callId": call.id, "transcripts": rows})))
}

/// `GET /v1/calls/{id}/transcript/stream`.
pub async fn stream(State(s): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    let known = s.lock_world().calls.iter().any(|c| c.id == id);
    if !known {
        return Reject::detail(StatusCode::NOT_FOUND, "Call not found").into_response();
    }
    let keep_alive = KeepAlive::new()
        .interval(s.agentphone.heartbeat)
        .text("heartbeat");
    Sse::new(events(s, id))
        .keep_alive(keep_alive)
        .into_response()
}

/// What the stream has sent so far.
struct Cursor {
    shared: Arc<Shared>,
    id: String,
    connected: bool,
    sent: usize,
    ended: bool,
    changes: tokio::sync::watch::Receiver<u64>,
    drops: tokio::sync::watch::Receiver<u64>,
    stopping: tokio::sync::watch::Receiver<bool>,
}

fn events(shared: Arc<Shared>, id: String) -> impl Stream<Item = Result<Event, std::io::Error>> {
    let cursor = Cursor {
        changes: shared.agentphone.calls_changed.subscribe(),
        drops: shared.agentphone.streams_dropped.subscribe(),
        stopping: shared.stopping.subscribe(),
        shared,
        id,
        connected: false,
        sent: 0,
        ended: false,
    };
    futures::stream::unfold(cursor, |mut c| async move {
        let item = next_event(&mut c).await?;
        Some((item, c))
    })
}

/// The next event, waiting for the call to change when there is nothing to say. `None` ends the
/// stream (after `ended`); an error drops the connection (the sandbox's drop knob).
async fn next_event(c: &mut Cursor) -> Option<Result<Event, std::io::Error>> {
    if c.ended {
        return None;
    }
    loop {
        if let Some(event) = ready_event(c) {
            return Some(Ok(event));
        }
        tokio::select! {
            changed = c.changes.changed() => {
                if changed.is_err() {
                    return None;
                }
            }
            _ = c.stopping.wait_for(|stop| *stop) => return None,
            _ = c.drops.changed() => {
                return Some(Err(std::io::Error::new(
                    std::io::ErrorKind::ConnectionReset,
                    "sandbox dropped the stream",
                )));
            }
        }
    }
}

fn ready_event(c: &mut Cursor) -> Option<Event> {
    let world = c.shared.lock_world();
    let call = world.calls.iter().find(|call| call.id == c.id)?;
    if !c.connected {
        c.connected = true;
        let data = json!({"callId": call.id, "status": call.status});
        return Some(Event::default().event("connected").data(data.to_string()));
    }
    if let Some(row) = call.rows.get(c.sent) {
        c.sent += 1;
        return Some(
            Event::default()
                .event("turn")
                .data(wire::transcript_row(row).to_string()),
        );
    }
    if call.status != IN_PROGRESS {
        c.ended = true;
        let data = json!({"callId": call.id, "status": call.status});
        return Some(Event::default().event("ended").data(data.to_string()));
    }
    None
}
