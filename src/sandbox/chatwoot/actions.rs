//! Changes to one conversation through the application API: status, priority, assignment,
//! labels, custom attributes, read marks. Each answers as Chatwoot's controller does.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde_json::{Value, json};

use super::answer::{Reply, account, body_text, error, not_found};
use super::data::{AGENTS, TEAMS};
use super::render::{agent_json, team_json};
use crate::sandbox::Shared;
use crate::sandbox::reject::Reject;

pub async fn toggle_status(
    State(s): State<Arc<Shared>>,
    Path((a, id)): Path<(u64, u64)>,
    Json(body): Json<Value>,
) -> Reply {
    account(a)?;
    let status = body_text(&body, "status")?;
    if !["open", "pending", "snoozed", "resolved"].contains(&status.as_str()) {
        return Err(error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Status is not included in the list",
        ));
    }
    let now = s.now().timestamp();
    let mut desk = s.lock_desk();
    let conv = desk.find(id).ok_or_else(not_found)?;
    conv.snoozed_until = (status == "snoozed")
        .then(|| body.get("snoozed_until").and_then(Value::as_i64))
        .flatten();
    let line = format!("Conversation was marked {status} by {}", AGENTS[0].1);
    conv.status.clone_from(&status);
    desk.add(id, &line, 2, false, None, now);
    Ok(Json(
        json!({"meta": {}, "payload": {"success": true, "current_status": status, "conversation_id": id}}),
    ))
}

/// `toggle_priority`: `self.priority = priority.presence`, so `null`, `""` or no key clear it;
/// a value outside the enum raises `ArgumentError`, which nothing rescues (a 500, nothing
/// stored). Answers `head :ok`.
pub async fn toggle_priority(
    State(s): State<Arc<Shared>>,
    Path((a, id)): Path<(u64, u64)>,
    Json(body): Json<Value>,
) -> Result<StatusCode, Reject> {
    account(a)?;
    let priority = match body.get("priority") {
        None | Some(Value::Null) => None,
        Some(Value::String(p)) if p.is_empty() => None,
        Some(Value::String(p)) if ["low", "medium", "high", "urgent"].contains(&p.as_str()) => {
            Some(p.clone())
        }
        Some(_) => {
            return Err(Reject(
                StatusCode::INTERNAL_SERVER_ERROR,
                json!({"status": 500, "error": "Internal Server Error"}),
            ));
        }
    };
    let mut desk = s.lock_desk();
    desk.find(id).ok_or_else(not_found)?.priority = priority;
    Ok(StatusCode::OK)
}

/// `assignments`: with `assignee_id` the agent found by that id, or nobody when none is
/// (`null` unassigns); else with `team_id` the team, or none. Renders the agent or team, or
/// `null`, and leaves an activity line when the assignee changed.
pub async fn assign(
    State(s): State<Arc<Shared>>,
    Path((a, id)): Path<(u64, u64)>,
    Json(body): Json<Value>,
) -> Reply {
    account(a)?;
    let now = s.now().timestamp();
    let mut desk = s.lock_desk();
    let conv = desk.find(id).ok_or_else(not_found)?;
    let by = AGENTS[0].1;
    let (line, reply) = if let Some(agent) = body.get("assignee_id") {
        let found = id_in(agent, &AGENTS);
        let line = match found {
            _ if found.map(|f| f.0) == conv.assignee => None,
            Some((_, name)) => Some(format!("Assigned to {name} by {by}")),
            None => Some(format!("Conversation unassigned by {by}")),
        };
        conv.assignee = found.map(|f| f.0);
        (line, agent_json(conv.assignee))
    } else if let Some(team) = body.get("team_id") {
        let found = id_in(team, &TEAMS);
        let old = conv.team.and_then(|t| TEAMS.iter().find(|(i, _)| *i == t));
        let line = match (found, old) {
            _ if found.map(|f| f.0) == conv.team => None,
            (Some((_, name)), _) => Some(format!("Assigned to {name} by {by}")),
            (None, old) => Some(format!(
                "Unassigned from {} by {by}",
                old.map_or("a team", |o| o.1)
            )),
        };
        conv.team = found.map(|f| f.0);
        (line, team_json(conv.team))
    } else {
        (None, Value::Null)
    };
    if let Some(line) = line {
        desk.add(id, &line, 2, false, None, now);
    }
    Ok(Json(reply))
}

/// The record with that id (a number, or a numeric string as Rails casts it).
fn id_in(value: &Value, records: &[(u64, &'static str)]) -> Option<(u64, &'static str)> {
    let id = value
        .as_u64()
        .or_else(|| value.as_str().and_then(|s| s.trim().parse().ok()))?;
    records.iter().copied().find(|(i, _)| *i == id)
}

/// `GET …/labels`: `{"payload": [...]}`.
pub async fn labels(State(s): State<Arc<Shared>>, Path((a, id)): Path<(u64, u64)>) -> Reply {
    account(a)?;
    let mut desk = s.lock_desk();
    let conv = desk.find(id).ok_or_else(not_found)?;
    Ok(Json(json!({"payload": conv.labels})))
}

/// `POST …/labels`: replaces the whole set.
pub async fn set_labels(
    State(s): State<Arc<Shared>>,
    Path((a, id)): Path<(u64, u64)>,
    Json(body): Json<Value>,
) -> Reply {
    account(a)?;
    let list: Vec<String> = body
        .get("labels")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect();
    let mut desk = s.lock_desk();
    desk.find(id)
        .ok_or_else(not_found)?
        .labels
        .clone_from(&list);
    Ok(Json(json!({"payload": list})))
}

pub async fn custom_attributes(
    State(s): State<Arc<Shared>>,
    Path((a, id)): Path<(u64, u64)>,
    Json(body): Json<Value>,
) -> Reply {
    account(a)?;
    let attributes = body
        .get("custom_attributes")
        .filter(|v| v.is_object())
        .cloned()
        .ok_or_else(|| {
            error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "custom_attributes must be a hash",
            )
        })?;
    let mut desk = s.lock_desk();
    desk.find(id).ok_or_else(not_found)?.custom = attributes.clone();
    Ok(Json(json!({"custom_attributes": attributes})))
}

/// `update_last_seen`: the agent read the conversation now (and so did its assignee, when
/// that is the agent). Answers `head :ok`.
pub async fn update_last_seen(
    State(s): State<Arc<Shared>>,
    Path((a, id)): Path<(u64, u64)>,
) -> Result<StatusCode, Reject> {
    account(a)?;
    let now = s.now().timestamp();
    let mut desk = s.lock_desk();
    let conv = desk.find(id).ok_or_else(not_found)?;
    conv.agent_last_seen_at = now;
    if conv.assignee == Some(AGENTS[0].0) {
        conv.assignee_last_seen_at = now;
    }
    Ok(StatusCode::OK)
}
