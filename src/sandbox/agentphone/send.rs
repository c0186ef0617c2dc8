//! `POST /v1/messages` and `POST /v1/messages/{id}/reactions`: snake case bodies and replies.
//!
//! A sent message joins the thread between the sending number and the recipient (creating the
//! thread when there is none), starts as `sent`, and is delivered (or fails, for a landline) a few
//! seconds later through the traffic task.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde_json::{Map, Value, json};

use super::traffic::Event;
use super::world::{ConvRec, MsgRec, ReactionRec, World};
use crate::sandbox::reject::Reject;
use crate::sandbox::request::body_object;
use crate::sandbox::{Shared, Time};

const CLASSIC_REACTIONS: [&str; 6] = ["love", "like", "dislike", "laugh", "emphasize", "question"];

fn bad_request(detail: &str) -> Reject {
    Reject::detail(StatusCode::BAD_REQUEST, detail)
}

/// The validated parts of a send request.
struct SendRequest {
    body: String,
    to: String,
    number: usize,
    media: Vec<String>,
    reply_to: Option<String>,
}

fn string_field(body: &Map<String, Value>, name: &str) -> Result<Option<String>, Reject> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(Reject::validation(
            "string_type",
            &["body", name],
            "Input should be a valid string",
            other.clone(),
            None,
        )),
    }
}

fn parse_send(world: &World, body: &Map<String, Value>) -> Result<SendRequest, Reject> {
    let Some(text) = string_field(body, "body")? else {
        return Err(Reject::validation(
            "missing",
            &["body", "body"],
            "Field required",
            Value::Object(body.clone()),
            None,
        ));
    };
    let to = string_field(body, "to_number")?
        .ok_or_else(|| bad_request("Either to_number or recipients is required"))?;
    let number = if let Some(id) = string_field(body, "number_id")? {
        world.numbers.iter().position(|n| n.id == id)
    } else if let Some(phone) = string_field(body, "from_number")? {
        world.numbers.iter().position(|n| n.phone == phone)
    } else if let Some(agent) = string_field(body, "agent_id")? {
        world
            .numbers
            .iter()
            .position(|n| n.agent_id.as_deref() == Some(agent.as_str()))
    } else {
        return Err(bad_request(
            "One of agent_id, number_id or from_number is required",
        ));
    }
    .ok_or_else(|| Reject::not_found("Phone number"))?;
    let media: Vec<String> = match body.get("media_urls") {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => string_field(body, "media_url")?.into_iter().collect(),
    };
    if media.iter().any(|u| !u.starts_with("https://")) {
        return Err(bad_request("media_urls must be public HTTPS URLs"));
    }
    if text.is_empty() && media.is_empty() {
        return Err(bad_request("A message needs a body or media"));
    }
    Ok(SendRequest {
        body: text,
        to,
        number,
        media,
        reply_to: string_field(body, "reply_to_message_id")?,
    })
}

/// The thread for a send, created when the recipient is new.
fn thread_for(world: &mut World, req: &SendRequest, now: Time) -> usize {
    if let Some(conv) = world.find_thread(req.number, &req.to) {
        return conv;
    }
    let (agent_id, channel) = {
        let number = &world.numbers[req.number];
        (number.agent_id.clone(), number.kind)
    };
    let conv = ConvRec {
        id: world.new_id("conv"),
        agent_id,
        number: req.number,
        participant: req.to.clone(),
        group: None,
        metadata: None,
        created_at: now,
        channel,
        undeliverable: false,
        opted_out: false,
        topic: 0,
        messages: Vec::new(),
    };
    world.add_conversation(conv)
}

pub async fn send_message(
    State(s): State<Arc<Shared>>,
    body: Bytes,
) -> Result<Json<Value>, Reject> {
    let body = body_object(&body)?;
    let now = s.now();
    let mut world = s.lock_world();
    let req = parse_send(&world, &body)?;
    let conv = thread_for(&mut world, &req, now);
    let rec = &world.conversations[conv];
    if rec.opted_out {
        return Err(bad_request("Recipient has opted out of messages (STOP)"));
    }
    let imessage = rec.channel == "imessage";
    let channel = match (imessage, req.media.is_empty()) {
        (true, _) => "imessage",
        (false, true) => "sms",
        (false, false) => "mms",
    };
    let reply = req
        .reply_to
        .as_ref()
        .filter(|_| imessage)
        .and_then(|id| rec.messages.iter().find(|m| &m.id == id))
        .map(|parent| {
            (
                parent.id.clone(),
                parent.body.chars().take(60).collect::<String>(),
            )
        });
    let unresolved = req.reply_to.is_some().then_some(reply.is_none());
    let at = now.max(rec.last_at());
    let conv_id = rec.id.clone();
    let from = world.numbers[req.number].phone.clone();
    let seq = world.next_seq();
    let msg = MsgRec {
        id: world.new_id("msg"),
        seq,
        at,
        inbound: false,
        body: req.body,
        channel: channel.to_owned(),
        from: from.clone(),
        to: req.to.clone(),
        sender: None,
        media: req.media.clone(),
        reactions: Vec::new(),
        reply_to: reply,
        status: Some("sent".into()),
        failure: None,
        delivered_at: None,
        read_at: None,
    };
    let id = msg.id.clone();
    world.add_message(conv, msg);
    drop(world);
    s.schedule(
        2,
        Event::Deliver {
            message: id.clone(),
        },
    );
    Ok(Json(json!({
        "id": id, "status": "sent", "channel": channel, "from_number": from, "to_number": req.to,
        "conversation_id": conv_id, "media_urls": req.media,
        "reply_to_message_id": body.get("reply_to_message_id"), "reply_parent_unresolved": unresolved,
    })))
}

pub async fn react(
    State(s): State<Arc<Shared>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, Reject> {
    let body = body_object(&body)?;
    let Some(kind) = string_field(&body, "reaction")? else {
        return Err(Reject::validation(
            "missing",
            &["body", "reaction"],
            "Field required",
            Value::Object(body),
            None,
        ));
    };
    let now = s.now();
    let mut world = s.lock_world();
    let (conv, pos) = world
        .find_message(&id)
        .ok_or_else(|| Reject::not_found("Message"))?;
    if world.conversations[conv].channel != "imessage" {
        return Err(bad_request(
            "Reactions are only supported on iMessage conversations",
        ));
    }
    let classic = CLASSIC_REACTIONS.contains(&kind.as_str());
    if !classic && kind.is_ascii() {
        return Err(bad_request(
            "Unsupported reaction: use a classic tapback or an emoji",
        ));
    }
    let reaction_id = world.new_id("rxn");
    let from = world.numbers[world.conversations[conv].number]
        .phone
        .clone();
    world.conversations[conv].messages[pos]
        .reactions
        .push(ReactionRec {
            id: reaction_id.clone(),
            kind: kind.clone(),
            from,
            inbound: false,
            at: now,
        });
    Ok(Json(
        json!({"id": reaction_id, "reaction_type": kind, "message_id": id, "channel": "imessage"}),
    ))
}
