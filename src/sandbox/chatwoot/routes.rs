//! The Chatwoot routes (application API of account 1, public client API).

use std::sync::Arc;

use axum::extract::{Path, RawQuery, Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};

use super::data::{ACCOUNT, AGENTS, ConvRec, TOKEN, conversation_json, message_json};
use crate::sandbox::Shared;
use crate::sandbox::json::Reject;
use crate::sandbox::routes::Query;

type Reply = Result<Json<Value>, Reject>;

fn error(status: StatusCode, text: &str) -> Reject {
    Reject(status, json!({ "error": text }))
}

fn not_found() -> Reject {
    error(StatusCode::NOT_FOUND, "Resource could not be found")
}

async fn auth(req: Request, next: Next) -> Response {
    let token = req
        .headers()
        .get("api_access_token")
        .and_then(|v| v.to_str().ok());
    if token != Some(TOKEN) {
        return error(StatusCode::UNAUTHORIZED, "Invalid Access Token").into_response();
    }
    next.run(req).await
}

pub fn router() -> Router<Arc<Shared>> {
    let base = "/api/v1/accounts/{account}/conversations";
    let app = Router::new()
        .route("/api/v1/profile", get(profile))
        .route(base, get(list))
        .route(&format!("{base}/meta"), get(meta))
        .route(&format!("{base}/{{id}}"), get(one))
        .route(
            &format!("{base}/{{id}}/messages"),
            get(messages).post(create),
        )
        .route(&format!("{base}/{{id}}/toggle_status"), post(toggle_status))
        .route(
            &format!("{base}/{{id}}/toggle_priority"),
            post(toggle_priority),
        )
        .route(&format!("{base}/{{id}}/assignments"), post(assign))
        .route(&format!("{base}/{{id}}/labels"), post(labels))
        .route(
            &format!("{base}/{{id}}/custom_attributes"),
            post(custom_attributes),
        )
        .route_layer(middleware::from_fn(auth));
    let public = "/public/api/v1/inboxes/{inbox}/contacts/{contact}/conversations";
    app.route(public, get(public_list))
        .route(&format!("{public}/{{id}}"), get(public_one))
        .route(
            &format!("{public}/{{id}}/messages"),
            get(public_messages).post(public_create),
        )
}

async fn profile() -> Json<Value> {
    Json(
        json!({"id": AGENTS[0].0, "name": AGENTS[0].1, "available_name": AGENTS[0].1, "account_id": ACCOUNT}),
    )
}

fn account(id: u64) -> Result<(), Reject> {
    if id == ACCOUNT {
        Ok(())
    } else {
        Err(error(
            StatusCode::UNAUTHORIZED,
            "You are not authorized to do this action",
        ))
    }
}

/// The conversations the query selects (all assignee tabs), newest activity first.
fn selected<'a>(all: &'a [ConvRec], q: &Query) -> Vec<&'a ConvRec> {
    let status = q.get("status").unwrap_or("open");
    let inbox = q.get("inbox_id").and_then(|i| i.parse::<u64>().ok());
    let label = q.get("labels[]");
    let mut rows: Vec<&ConvRec> = all
        .iter()
        .filter(|c| status == "all" || c.status == status)
        .filter(|c| inbox.is_none_or(|i| c.inbox == i))
        .filter(|c| label.is_none_or(|l| c.labels.iter().any(|x| x == l)))
        .collect();
    rows.sort_by_key(|c| std::cmp::Reverse((c.last_activity(), c.id)));
    rows
}

fn counts(rows: &[&ConvRec]) -> Value {
    let mine = rows
        .iter()
        .filter(|c| c.assignee == Some(AGENTS[0].0))
        .count();
    let unassigned = rows.iter().filter(|c| c.assignee.is_none()).count();
    json!({"mine_count": mine, "unassigned_count": unassigned, "assigned_count": rows.len() - unassigned, "all_count": rows.len()})
}

async fn list(State(s): State<Arc<Shared>>, Path(a): Path<u64>, RawQuery(raw): RawQuery) -> Reply {
    account(a)?;
    let q = Query::parse(raw.as_deref());
    let page = q.int("page", 1, 1, None)?;
    let desk = s.lock_desk();
    let rows = selected(&desk.conversations, &q);
    let tab: Vec<&ConvRec> = match q.get("assignee_type").unwrap_or("all") {
        "me" => rows
            .iter()
            .copied()
            .filter(|c| c.assignee == Some(AGENTS[0].0))
            .collect(),
        "unassigned" => rows
            .iter()
            .copied()
            .filter(|c| c.assignee.is_none())
            .collect(),
        "assigned" => rows
            .iter()
            .copied()
            .filter(|c| c.assignee.is_some())
            .collect(),
        _ => rows.clone(),
    };
    let payload: Vec<Value> = tab
        .iter()
        .skip((page - 1).saturating_mul(25))
        .take(25)
        .map(|c| conversation_json(c))
        .collect();
    Ok(Json(
        json!({"data": {"meta": counts(&rows), "payload": payload}}),
    ))
}

async fn meta(State(s): State<Arc<Shared>>, Path(a): Path<u64>, RawQuery(raw): RawQuery) -> Reply {
    account(a)?;
    let q = Query::parse(raw.as_deref());
    let desk = s.lock_desk();
    Ok(Json(
        json!({"meta": counts(&selected(&desk.conversations, &q))}),
    ))
}

async fn one(State(s): State<Arc<Shared>>, Path((a, id)): Path<(u64, u64)>) -> Reply {
    account(a)?;
    let mut desk = s.lock_desk();
    let conv = desk.find(id).ok_or_else(not_found)?;
    Ok(Json(conversation_json(conv)))
}

/// The latest 20, 20 before `before`, or up to 100 after `after`; oldest first.
fn page(conv: &ConvRec, q: &Query) -> Vec<Value> {
    let before = q.get("before").and_then(|b| b.parse::<u64>().ok());
    let after = q.get("after").and_then(|b| b.parse::<u64>().ok());
    let chosen: Vec<_> = match (before, after) {
        (_, Some(after)) => conv
            .messages
            .iter()
            .filter(|m| m.id > after)
            .take(100)
            .collect(),
        (Some(before), None) => {
            let older: Vec<_> = conv.messages.iter().filter(|m| m.id < before).collect();
            older[older.len().saturating_sub(20)..].to_vec()
        }
        (None, None) => conv.messages[conv.messages.len().saturating_sub(20)..]
            .iter()
            .collect(),
    };
    chosen.into_iter().map(|m| message_json(conv, m)).collect()
}

async fn messages(
    State(s): State<Arc<Shared>>,
    Path((a, id)): Path<(u64, u64)>,
    RawQuery(raw): RawQuery,
) -> Reply {
    account(a)?;
    let q = Query::parse(raw.as_deref());
    let mut desk = s.lock_desk();
    let conv = desk.find(id).ok_or_else(not_found)?;
    let meta =
        json!({"labels": conv.labels, "contact": {"id": conv.contact.0, "name": conv.contact.1}});
    Ok(Json(json!({"meta": meta, "payload": page(conv, &q)})))
}

fn body_text(body: &Value, key: &str) -> Result<String, Reject> {
    body.get(key)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| {
            error(
                StatusCode::UNPROCESSABLE_ENTITY,
                &format!("{key} is missing"),
            )
        })
}

async fn create(
    State(s): State<Arc<Shared>>,
    Path((a, id)): Path<(u64, u64)>,
    Json(body): Json<Value>,
) -> Reply {
    account(a)?;
    let content = body_text(&body, "content")?;
    let private = body
        .get("private")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let now = s.now().timestamp();
    let mut desk = s.lock_desk();
    let agent = Some((AGENTS[0].0, AGENTS[0].1.to_owned(), "user"));
    let msg = desk
        .add(id, &content, 1, private, agent, now)
        .ok_or_else(not_found)?;
    let conv = desk.find(id).ok_or_else(not_found)?;
    Ok(Json(message_json(conv, &msg)))
}

async fn toggle_status(
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

async fn toggle_priority(
    State(s): State<Arc<Shared>>,
    Path((a, id)): Path<(u64, u64)>,
    Json(body): Json<Value>,
) -> Reply {
    account(a)?;
    let priority = body_text(&body, "priority")?;
    let mut desk = s.lock_desk();
    let conv = desk.find(id).ok_or_else(not_found)?;
    conv.priority = (priority != "none").then_some(priority);
    Ok(Json(json!({})))
}

async fn assign(
    State(s): State<Arc<Shared>>,
    Path((a, id)): Path<(u64, u64)>,
    Json(body): Json<Value>,
) -> Reply {
    account(a)?;
    let agent = body.get("assignee_id").and_then(Value::as_u64);
    let found = agent
        .and_then(|x| AGENTS.iter().find(|(i, _)| *i == x))
        .ok_or_else(not_found)?;
    let now = s.now().timestamp();
    let mut desk = s.lock_desk();
    desk.find(id).ok_or_else(not_found)?.assignee = Some(found.0);
    desk.add(
        id,
        &format!("Assigned to {} by {}", found.1, AGENTS[0].1),
        2,
        false,
        None,
        now,
    );
    Ok(Json(
        json!({"id": found.0, "name": found.1, "available_name": found.1}),
    ))
}

async fn labels(
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

async fn custom_attributes(
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

/// The public API: the contact's conversations in that inbox, found by their source id.
fn contact_convs<'a>(all: &'a [ConvRec], inbox: &str, contact: &str) -> Vec<&'a ConvRec> {
    let inbox: Option<u64> = inbox.strip_prefix("inbox-").and_then(|i| i.parse().ok());
    all.iter()
        .filter(|c| Some(c.inbox) == inbox && c.source_id == contact)
        .collect()
}

/// One of the contact's conversations, or the API's 404.
fn contact_conv<'a>(
    all: &'a [ConvRec],
    inbox: &str,
    contact: &str,
    id: u64,
) -> Result<&'a ConvRec, Reject> {
    let convs = contact_convs(all, inbox, contact);
    convs.into_iter().find(|c| c.id == id).ok_or_else(not_found)
}

fn public_json(conv: &ConvRec) -> Value {
    let visible: Vec<Value> = conv
        .messages
        .iter()
        .filter(|m| m.kind != 2 && !m.private)
        .map(|m| message_json(conv, m))
        .collect();
    json!({"id": conv.id, "uuid": format!("uuid-{}", conv.id), "inbox_id": conv.inbox, "status": conv.status,
           "contact_last_seen_at": 0, "agent_last_seen_at": 0, "messages": visible,
           "contact": {"id": conv.contact.0, "name": conv.contact.1, "phone_number": conv.contact.2}})
}

async fn public_list(
    State(s): State<Arc<Shared>>,
    Path((inbox, contact)): Path<(String, String)>,
) -> Reply {
    let desk = s.lock_desk();
    let convs = contact_convs(&desk.conversations, &inbox, &contact);
    if convs.is_empty() {
        return Err(not_found());
    }
    Ok(Json(Value::Array(
        convs.into_iter().map(public_json).collect(),
    )))
}

async fn public_one(
    State(s): State<Arc<Shared>>,
    Path((inbox, contact, id)): Path<(String, String, u64)>,
) -> Reply {
    let desk = s.lock_desk();
    let conv = contact_conv(&desk.conversations, &inbox, &contact, id)?;
    Ok(Json(public_json(conv)))
}

async fn public_messages(
    State(s): State<Arc<Shared>>,
    Path((inbox, contact, id)): Path<(String, String, u64)>,
) -> Reply {
    let desk = s.lock_desk();
    let conv = contact_conv(&desk.conversations, &inbox, &contact, id)?;
    Ok(Json(public_json(conv)["messages"].clone()))
}

async fn public_create(
    State(s): State<Arc<Shared>>,
    Path((inbox, contact, id)): Path<(String, String, u64)>,
    Json(body): Json<Value>,
) -> Reply {
    let content = body_text(&body, "content")?;
    let now = s.now().timestamp();
    let mut desk = s.lock_desk();
    let conv = contact_conv(&desk.conversations, &inbox, &contact, id)?;
    let sender = Some((conv.contact.0, conv.contact.1.clone(), "contact"));
    let msg = desk
        .add(id, &content, 0, false, sender, now)
        .ok_or_else(not_found)?;
    let conv = desk.find(id).ok_or_else(not_found)?;
    Ok(Json(message_json(conv, &msg)))
}
