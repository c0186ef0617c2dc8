//! The Chatwoot routes (application API of account 1, public client API): the router, the
//! token check, and the reads (lists, counts, one conversation, messages).

use std::sync::Arc;

use axum::extract::{Path, RawQuery, Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};

use super::actions;
use super::answer::{Reply, account, body_text, error, messages_page, not_found};
use super::data::{AGENTS, ConvRec, MsgRec, TOKEN};
use super::public;
use super::render::{agent_json, conversation_json, message_json, messages_meta};
use crate::sandbox::Shared;
use crate::sandbox::request::Query;

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
    let one_conv = format!("{base}/{{id}}");
    let app = Router::new()
        .route("/api/v1/profile", get(profile))
        .route(base, get(list))
        .route(&format!("{base}/meta"), get(meta))
        .route(&one_conv, get(one))
        .route(&format!("{one_conv}/messages"), get(messages).post(create))
        .route(
            &format!("{one_conv}/toggle_status"),
            post(actions::toggle_status),
        )
        .route(
            &format!("{one_conv}/toggle_priority"),
            post(actions::toggle_priority),
        )
        .route(&format!("{one_conv}/assignments"), post(actions::assign))
        .route(
            &format!("{one_conv}/labels"),
            get(actions::labels).post(actions::set_labels),
        )
        .route(
            &format!("{one_conv}/custom_attributes"),
            post(actions::custom_attributes),
        )
        .route(
            &format!("{one_conv}/update_last_seen"),
            post(actions::update_last_seen),
        )
        .route_layer(middleware::from_fn(auth));
    let contact = "/public/api/v1/inboxes/{inbox}/contacts/{contact}/conversations";
    app.route(contact, get(public::list))
        .route(&format!("{contact}/{{id}}"), get(public::one))
        .route(
            &format!("{contact}/{{id}}/messages"),
            get(public::messages).post(public::create),
        )
}

async fn profile() -> Json<Value> {
    Json(agent_json(Some(AGENTS[0].0)))
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

/// Whether a conversation belongs to an assignee tab (`me`, `unassigned`, `assigned`, `all`).
fn in_tab(conv: &ConvRec, tab: &str) -> bool {
    match tab {
        "me" => conv.assignee == Some(AGENTS[0].0),
        "unassigned" => conv.assignee.is_none(),
        "assigned" => conv.assignee.is_some(),
        _ => true,
    }
}

async fn list(State(s): State<Arc<Shared>>, Path(a): Path<u64>, RawQuery(raw): RawQuery) -> Reply {
    account(a)?;
    let q = Query::parse(raw.as_deref());
    let page = q.int("page", 1, 1, None)?;
    let desk = s.lock_desk();
    let size = desk.page_size;
    let rows = selected(&desk.conversations, &q);
    let tab = q.get("assignee_type").unwrap_or("all");
    let payload: Vec<Value> = rows
        .iter()
        .filter(|c| in_tab(c, tab))
        .skip((page - 1).saturating_mul(size))
        .take(size)
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

async fn messages(
    State(s): State<Arc<Shared>>,
    Path((a, id)): Path<(u64, u64)>,
    RawQuery(raw): RawQuery,
) -> Reply {
    account(a)?;
    let q = Query::parse(raw.as_deref());
    let mut desk = s.lock_desk();
    let conv = desk.find(id).ok_or_else(not_found)?;
    let ordered: Vec<&MsgRec> = conv.messages.iter().collect();
    let payload: Vec<Value> = messages_page(&ordered, &q)
        .into_iter()
        .map(|m| message_json(conv, m))
        .collect();
    Ok(Json(
        json!({"meta": messages_meta(conv), "payload": payload}),
    ))
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
