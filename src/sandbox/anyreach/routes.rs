//! Anyreach's two routes, `GET /core/conversations` and `GET /core/conversations/{id}`, with
//! the key checks: the organisation key sees every field, the read-only token the safe ones.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::{Json, Router, routing::get};
use chrono::{SecondsFormat, TimeDelta};
use serde_json::{Value, json};

use super::data::SessionRec;
use super::{ORG_ID, ORG_KEY, READ_ONLY_TOKEN};
use crate::api::anyreach::wire::unbase64;
use crate::api::lenient::parse_time;
use crate::sandbox::reject::Reject;
use crate::sandbox::request::Query;
use crate::sandbox::{Shared, Time};

fn iso(t: Time) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The session as the API returns it; `full` adds the sensitive fields, `transcript` the items.
fn wire(s: &SessionRec, full: bool, transcript: bool) -> Value {
    let mut value = json!({
        "id": s.id, "organization_id": ORG_ID, "direction": s.direction, "channel": s.channel,
        "status": s.status, "user_id": s.user_id, "agent_id": s.agent.0, "agent_version_id": format!("{}_v3", s.agent.0),
        "agent_number": (s.channel == "telephone").then_some("+14155550190"), "web_widget_id": (s.channel == "webrtc").then_some("wdg_1"),
        "duration": s.duration, "user_turn_count": s.items.iter().filter(|i| i["role"] == "user").count(),
        "created_at": iso(s.created_at), "updated_at": iso(s.created_at + TimeDelta::seconds(i64::try_from(s.duration.unwrap_or(0)).unwrap_or(0))),
    });
    if full {
        value["agent"] = json!({"id": s.agent.0, "name": s.agent.1});
        value["summary"] = json!(s.summary);
        value["initial_context"] = json!(s.initial_context);
        value["custom_metadata"] = s.custom_metadata.clone().unwrap_or(Value::Null);
        if transcript {
            value["conversation"] = json!({"items": s.items});
            value["recording_details"] = json!({});
        }
    }
    value
}

/// The scope of the presented credential, or the refusal.
fn scope(req: &Request) -> Result<bool, Reject> {
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let org = req
        .headers()
        .get("x-anyreach-org")
        .and_then(|v| v.to_str().ok());
    match bearer.and_then(|b| b.strip_prefix("Bearer ")) {
        Some(ORG_KEY) => Ok(true),
        Some(READ_ONLY_TOKEN) if org == Some(ORG_ID) => Ok(false),
        Some(READ_ONLY_TOKEN) => Err(Reject::detail(
            StatusCode::UNAUTHORIZED,
            "Token is missing organization claim.",
        )),
        _ => Err(Reject::detail(
            StatusCode::UNAUTHORIZED,
            "Invalid authentication credentials",
        )),
    }
}

/// Marks the request with its scope (`true`: sensitive fields allowed).
async fn auth(mut req: Request, next: Next) -> Response {
    match scope(&req) {
        Ok(full) => {
            req.extensions_mut().insert(Sensitive(full));
            next.run(req).await
        }
        Err(refusal) => refusal.into_response(),
    }
}

#[derive(Clone, Copy)]
struct Sensitive(bool);

pub fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/core/conversations", get(list))
        .route("/core/conversations/{id}", get(one))
        .route_layer(axum::middleware::from_fn(auth))
}

async fn list(
    State(s): State<Arc<Shared>>,
    axum::Extension(Sensitive(full)): axum::Extension<Sensitive>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Value>, Reject> {
    let q = Query::parse(raw.as_deref());
    let limit = q.int("limit", 20, 1, Some(100))?;
    let before = match q.get("cursor") {
        None => None,
        Some(c) => Some(
            unbase64(c)
                .and_then(|b| String::from_utf8(b).ok())
                .and_then(|t| parse_time(&t))
                .ok_or_else(|| Reject::detail(StatusCode::BAD_REQUEST, "Invalid cursor"))?,
        ),
    };
    let after = q.get("created_after").and_then(parse_time);
    let until = q.get("created_before").and_then(parse_time);
    let sessions = s.lock_sessions();
    let rows: Vec<Value> = sessions
        .iter()
        // Keyset on created_at, inclusive: rows sharing the boundary instant come again.
        .filter(|r| before.is_none_or(|b| r.created_at <= b))
        .filter(|r| ["channel", "status", "direction"].iter().all(|k| {
            q.get(k).is_none_or(|v| v == match *k { "channel" => r.channel, "status" => r.status, _ => r.direction })
        }))
        .filter(|r| after.is_none_or(|a| r.created_at >= a) && until.is_none_or(|u| r.created_at <= u))
        .filter(|r| q.get("user_id").is_none_or(|u| r.user_id.to_lowercase().contains(&u.to_lowercase())))
        .take(limit)
        .map(|r| wire(r, full, false))
        .collect();
    Ok(Json(Value::Array(rows)))
}

async fn one(
    State(s): State<Arc<Shared>>,
    axum::Extension(Sensitive(full)): axum::Extension<Sensitive>,
    Path(id): Path<String>,
) -> Result<Json<Value>, Reject> {
    let sessions = s.lock_sessions();
    let session = sessions
        .iter()
        .find(|r| r.id == id)
        .ok_or_else(|| Reject::not_found("Conversation"))?;
    Ok(Json(wire(session, full, true)))
}
