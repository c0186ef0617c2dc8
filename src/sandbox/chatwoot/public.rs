//! The public client API: a contact's conversations in an API inbox, found by the pair of
//! identifiers (no token), and writing as the contact.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use serde_json::Value;

use super::answer::{Reply, body_text, messages_page, not_found};
use super::data::ConvRec;
use super::render::{public_json, public_message_json, public_visible};
use crate::sandbox::Shared;
use crate::sandbox::request::Query;

/// The contact's conversations in that inbox, found by their source id.
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
) -> Result<&'a ConvRec, super::super::reject::Reject> {
    let convs = contact_convs(all, inbox, contact);
    convs.into_iter().find(|c| c.id == id).ok_or_else(not_found)
}

pub async fn list(
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

pub async fn one(
    State(s): State<Arc<Shared>>,
    Path((inbox, contact, id)): Path<(String, String, u64)>,
) -> Reply {
    let desk = s.lock_desk();
    let conv = contact_conv(&desk.conversations, &inbox, &contact, id)?;
    Ok(Json(public_json(conv)))
}

/// The messages the contact sees, paged as the application API pages them (`MessageFinder`
/// with `filter_internal_messages`): the latest 20 unless `before`/`after` say otherwise.
pub async fn messages(
    State(s): State<Arc<Shared>>,
    Path((inbox, contact, id)): Path<(String, String, u64)>,
    RawQuery(raw): RawQuery,
) -> Reply {
    let q = Query::parse(raw.as_deref());
    let desk = s.lock_desk();
    let conv = contact_conv(&desk.conversations, &inbox, &contact, id)?;
    let visible: Vec<_> = conv.messages.iter().filter(|m| public_visible(m)).collect();
    let page = messages_page(&visible, &q);
    Ok(Json(Value::Array(
        page.into_iter()
            .map(|m| public_message_json(conv, m))
            .collect(),
    )))
}

pub async fn create(
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
    Ok(Json(public_message_json(conv, &msg)))
}
