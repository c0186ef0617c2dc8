//! The AgentPhone routes: same paths, parameters, limits, casing and error shapes as the real API.
//!
//! Parameters are validated the FastAPI way (a 422 with a pydantic `detail` list); a missing or
//! wrong bearer key is a 401; unknown ids are 404s; lists are newest first with `hasMore`/`total`.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};

use super::render as wire;
use super::send;
use super::world::MessageRange;
use crate::sandbox::Shared;
use crate::sandbox::reject::Reject;
use crate::sandbox::request::{Query, body_object};

type Reply = Result<Json<Value>, Reject>;

/// AgentPhone's routes, each behind the bearer key.
pub fn router(shared: Arc<Shared>) -> Router<Arc<Shared>> {
    Router::new()
        .route("/v1/conversations", get(list_conversations))
        .route(
            "/v1/conversations/{id}",
            get(get_conversation).patch(patch_conversation),
        )
        .route("/v1/conversations/{id}/messages", get(list_messages))
        .route("/v1/conversations/{id}/typing", post(typing))
        .route("/v1/messages", post(send::send_message))
        .route("/v1/messages/{id}/reactions", post(send::react))
        .route("/v1/calls", get(list_calls))
        .route("/v1/calls/{id}", get(get_call))
        .route("/v1/calls/{id}/transcript", get(super::calls::transcript))
        .route(
            "/v1/calls/{id}/transcript/stream",
            get(super::calls::stream),
        )
        .merge(super::contacts::router())
        .route_layer(middleware::from_fn_with_state(shared, require_key))
}

async fn require_key(State(shared): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let presented = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if presented != Some(shared.agentphone.api_key.as_str()) {
        return Reject::detail(StatusCode::UNAUTHORIZED, "Invalid or missing API key")
            .into_response();
    }
    next.run(req).await
}

async fn list_conversations(State(s): State<Arc<Shared>>, RawQuery(raw): RawQuery) -> Reply {
    let q = Query::parse(raw.as_deref());
    let limit = q.int("limit", 20, 1, Some(100))?;
    let offset = q.int("offset", 0, 0, None)?;
    let world = s.lock_world();
    let order = world.conversations_by_activity();
    let data: Vec<Value> = order
        .iter()
        .skip(offset)
        .take(limit)
        .map(|&i| wire::conversation_summary(&world, &world.conversations[i]))
        .collect();
    let has_more = offset + data.len() < order.len();
    Ok(Json(
        json!({"data": data, "hasMore": has_more, "total": order.len()}),
    ))
}

async fn get_conversation(
    State(s): State<Arc<Shared>>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Reply {
    let q = Query::parse(raw.as_deref());
    let limit = q.int("message_limit", 50, 1, Some(100))?;
    let world = s.lock_world();
    let conv = world
        .conversation_index(&id)
        .ok_or_else(|| Reject::not_found("Conversation"))?;
    Ok(Json(wire::conversation_detail(
        &world,
        &world.conversations[conv],
        limit,
    )))
}

async fn patch_conversation(
    State(s): State<Arc<Shared>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Reply {
    let body = body_object(&body)?;
    let mut world = s.lock_world();
    let conv = world
        .conversation_index(&id)
        .ok_or_else(|| Reject::not_found("Conversation"))?;
    if let Some(metadata) = body.get("metadata") {
        let replacement = match metadata {
            Value::Null => None,
            Value::Object(map) => Some(map.clone()),
            other => {
                return Err(Reject::validation(
                    "dict_type",
                    &["body", "metadata"],
                    "Input should be a valid dictionary",
                    other.clone(),
                    None,
                ));
            }
        };
        world.conversations[conv].metadata = replacement;
    }
    if let Some(name) = body.get("group_name").and_then(Value::as_str)
        && let Some(group) = world.conversations[conv].group.as_mut()
    {
        group.name = Some(name.to_owned());
    }
    Ok(Json(wire::conversation_detail(
        &world,
        &world.conversations[conv],
        50,
    )))
}

async fn list_messages(
    State(s): State<Arc<Shared>>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Reply {
    let q = Query::parse(raw.as_deref());
    let range = MessageRange {
        limit: q.int("limit", 50, 1, Some(200))?,
        before: q.time("before")?,
        after: q.time("after")?,
        after_oldest_first: s
            .agentphone
            .after_oldest_first
            .load(std::sync::atomic::Ordering::Relaxed),
    };
    let world = s.lock_world();
    let conv = world
        .conversation_index(&id)
        .ok_or_else(|| Reject::not_found("Conversation"))?;
    let (page, has_more) = world.messages(conv, range);
    let rec = &world.conversations[conv];
    let data: Vec<Value> = page.iter().map(|m| wire::message(rec, m, true)).collect();
    Ok(Json(json!({"data": data, "hasMore": has_more})))
}

async fn typing(State(s): State<Arc<Shared>>, Path(id): Path<String>) -> Reply {
    let world = s.lock_world();
    let conv = world
        .conversation_index(&id)
        .ok_or_else(|| Reject::not_found("Conversation"))?;
    let rec = &world.conversations[conv];
    if rec.channel != "imessage" {
        return Err(Reject::detail(
            StatusCode::BAD_REQUEST,
            "Typing indicators are only supported on iMessage conversations",
        ));
    }
    Ok(Json(
        json!({"conversationId": rec.id, "channel": rec.channel, "status": "sent"}),
    ))
}

async fn list_calls(State(s): State<Arc<Shared>>, RawQuery(raw): RawQuery) -> Reply {
    let q = Query::parse(raw.as_deref());
    let limit = q.int("limit", 20, 1, Some(100))?;
    let offset = q.int("offset", 0, 0, None)?;
    let world = s.lock_world();
    let status = q.get("status");
    let direction = q.get("direction");
    let kind = q.get("type");
    let search = q.get("search");
    let mut calls: Vec<_> = world
        .calls
        .iter()
        .filter(|c| status.is_none_or(|st| c.status == st))
        .filter(|c| direction.is_none_or(|d| d == wire::direction(c.inbound)))
        .filter(|c| kind.is_none_or(|k| c.kind == k))
        .filter(|c| {
            let (from, to) = world.call_parties(c);
            search.is_none_or(|needle| from.contains(needle) || to.contains(needle))
        })
        .collect();
    calls.sort_by(|a, b| {
        b.started_at
            .cmp(&a.started_at)
            .then_with(|| b.id.cmp(&a.id))
    });
    let total = calls.len();
    let data: Vec<Value> = calls
        .iter()
        .skip(offset)
        .take(limit)
        .map(|c| wire::call(&world, c, false))
        .collect();
    let has_more = offset + data.len() < total;
    Ok(Json(
        json!({"data": data, "hasMore": has_more, "total": total}),
    ))
}

async fn get_call(State(s): State<Arc<Shared>>, Path(id): Path<String>) -> Reply {
    let world = s.lock_world();
    let call = world
        .calls
        .iter()
        .find(|c| c.id == id)
        .ok_or_else(|| Reject::not_found("Call"))?;
    Ok(Json(wire::call(&world, call, true)))
}
