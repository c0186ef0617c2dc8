//! Chatwoot JSON → domain, read leniently from `Value`: ids are integers (conversation ids are
//! per-account display ids), times are mostly unix seconds (0 = unset) with a few ISO strings,
//! `message_type` is an integer in replies (0 incoming, 1 outgoing, 2 activity, 3 template).

use chrono::DateTime;
use serde_json::{Map, Value};

use crate::api::agentphone::parse_time;
use crate::api::desk::{Agent, DeskFacts};
use crate::api::model::{
    Capabilities, Conversation, ConversationId, Counterparty, Delivery, DeliveryStatus, Direction,
    Message, MessageId, Metadata, Participant, Timestamp,
};

/// Conversation counts per assignee bucket (`conversations/meta`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub mine: u64,
    pub unassigned: u64,
    pub assigned: u64,
    pub all: u64,
}

fn obj(value: &Value) -> Option<&Map<String, Value>> {
    value.as_object()
}

fn text(map: &Map<String, Value>, key: &str) -> Option<String> {
    map.get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

fn int(map: &Map<String, Value>, key: &str) -> Option<u64> {
    match map.get(key)? {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// Unix seconds (0 is unset) or an ISO string.
pub fn time(value: Option<&Value>) -> Option<Timestamp> {
    match value? {
        Value::Number(n) => n
            .as_i64()
            .filter(|s| *s > 0)
            .and_then(|s| DateTime::from_timestamp(s, 0)),
        Value::String(s) => parse_time(s),
        _ => None,
    }
}

/// `{"meta": {...counts}}`, also wrapped in `data` by older versions.
pub fn counts(value: &Value) -> Counts {
    let meta = value
        .get("data")
        .and_then(|d| d.get("meta"))
        .or_else(|| value.get("meta"))
        .and_then(obj);
    let get = |key| meta.and_then(|m| int(m, key)).unwrap_or(0);
    Counts {
        mine: get("mine_count"),
        unassigned: get("unassigned_count"),
        assigned: get("assigned_count"),
        all: get("all_count"),
    }
}

fn agent(value: Option<&Value>) -> Option<Agent> {
    let map = value.and_then(obj)?;
    Some(Agent {
        id: int(map, "id")?,
        name: text(map, "available_name")
            .or_else(|| text(map, "name"))
            .unwrap_or_default(),
    })
}

fn contact(value: Option<&Value>) -> Participant {
    let map = value.and_then(obj);
    let field = |key| map.and_then(|m| text(m, key));
    Participant {
        address: field("phone_number")
            .or_else(|| field("email"))
            .or_else(|| field("identifier"))
            .or_else(|| {
                map.and_then(|m| int(m, "id"))
                    .map(|id| format!("contact {id}"))
            })
            .unwrap_or_else(|| "unknown".into()),
        name: field("name"),
    }
}

/// One conversation of the application API.
pub fn conversation(value: &Value) -> Option<Conversation> {
    let map = obj(value)?;
    let id = int(map, "id")?;
    let meta = map.get("meta").and_then(obj);
    let preview = map
        .get("last_non_activity_message")
        .and_then(obj)
        .and_then(|m| text(m, "content"));
    let labels = map
        .get("labels")
        .and_then(Value::as_array)
        .map(|l| {
            l.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let desk = DeskFacts {
        status: text(map, "status").unwrap_or_else(|| "open".into()),
        priority: text(map, "priority"),
        assignee: agent(meta.and_then(|m| m.get("assignee"))),
        team: meta
            .and_then(|m| m.get("team"))
            .and_then(obj)
            .and_then(|t| text(t, "name")),
        labels,
        inbox_id: int(map, "inbox_id"),
        snoozed_until: time(map.get("snoozed_until")),
    };
    let can_reply = map
        .get("can_reply")
        .and_then(Value::as_bool)
        .unwrap_or(true);
    Some(Conversation {
        id: ConversationId(id.to_string()),
        counterparty: Counterparty::Person(contact(meta.and_then(|m| m.get("sender")))),
        our_number: None,
        our_number_id: int(map, "inbox_id").map(|i| i.to_string()),
        agent_id: None,
        channel: meta
            .and_then(|m| text(m, "channel"))
            .map(|c| c.trim_start_matches("Channel::").to_lowercase()),
        last_activity_at: time(map.get("last_activity_at")).or_else(|| time(map.get("timestamp"))),
        preview,
        message_count: None,
        metadata: Metadata(map.get("custom_attributes").and_then(obj).cloned()),
        created_at: time(map.get("created_at")),
        unread_count: int(map, "unread_count").and_then(|n| u32::try_from(n).ok()),
        capabilities: Capabilities {
            can_send: can_reply,
            send_disabled_reason: (!can_reply)
                .then(|| "the channel's reply window is closed (can_reply is false)".into()),
            typing: false,
            reactions: false,
            media: false,
            edit_metadata: true,
        },
        session: None,
        desk: Some(Box::new(desk)),
    })
}

/// One message (application or public API).
pub fn message(value: &Value) -> Option<Message> {
    let map = obj(value)?;
    let id = int(map, "id")?;
    let kind = int(map, "message_type").unwrap_or(0);
    let direction = match kind {
        0 => Direction::Inbound,
        2 => Direction::System,
        _ => Direction::Outbound,
    };
    let sender = map.get("sender").and_then(obj);
    let media = map
        .get("attachments")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|a| obj(a).and_then(|a| text(a, "data_url")))
                .collect()
        })
        .unwrap_or_default();
    let failure = map
        .get("content_attributes")
        .and_then(obj)
        .and_then(|c| text(c, "external_error"));
    let private = map.get("private").and_then(Value::as_bool).unwrap_or(false);
    let delivery = (direction == Direction::Outbound && !private).then(|| Delivery {
        status: text(map, "status").map_or(DeliveryStatus::Sent, |s| DeliveryStatus::parse(&s)),
        failure_reason: failure,
        error_code: None,
        delivered_at: None,
        read_at: None,
    });
    Some(Message {
        id: MessageId(id.to_string()),
        direction,
        channel: None,
        body: text(map, "content").unwrap_or_default(),
        from: None,
        to: None,
        sender: sender.map(|s| Participant {
            address: text(s, "type").unwrap_or_default(),
            name: text(s, "available_name").or_else(|| text(s, "name")),
        }),
        media,
        reactions: Vec::new(),
        reply_to: None,
        delivery,
        sent_at: time(map.get("created_at")).unwrap_or(DateTime::UNIX_EPOCH),
        private,
        turn: None,
    })
}

/// The messages of `{"payload": [...]}` (or a bare array), oldest first by time then id.
pub fn messages(value: &Value) -> Vec<Message> {
    let list = value
        .get("payload")
        .or_else(|| value.get("messages"))
        .and_then(Value::as_array)
        .or_else(|| value.as_array());
    let mut out: Vec<Message> = list.into_iter().flatten().filter_map(message).collect();
    out.sort_by_key(|m| (m.sent_at, m.id.as_str().parse::<u64>().unwrap_or(0)));
    out
}

/// A conversation of the public client API, with its messages.
pub fn public_conversation(value: &Value) -> Option<crate::api::model::ConversationDetail> {
    let map = obj(value)?;
    let id = int(map, "id")?;
    let messages = messages(value);
    let status = text(map, "status").unwrap_or_else(|| "open".into());
    let conversation = Conversation {
        id: ConversationId(id.to_string()),
        counterparty: Counterparty::Person(contact(map.get("contact"))),
        our_number: None,
        our_number_id: int(map, "inbox_id").map(|i| i.to_string()),
        agent_id: None,
        channel: Some("api".into()),
        last_activity_at: messages.last().map(|m| m.sent_at),
        preview: messages.last().map(|m| m.body.clone()),
        message_count: Some(u64::try_from(messages.len()).unwrap_or(0)),
        metadata: Metadata(None),
        created_at: messages.first().map(|m| m.sent_at),
        unread_count: None,
        capabilities: Capabilities {
            can_send: status != "resolved",
            send_disabled_reason: (status == "resolved")
                .then(|| "the conversation is resolved".into()),
            typing: false,
            reactions: false,
            media: false,
            edit_metadata: false,
        },
        session: None,
        // A contact has no triage to do.
        desk: None,
    };
    Some(crate::api::model::ConversationDetail {
        conversation,
        messages,
    })
}

/// The numeric id of a message (Chatwoot's cursors are message ids).
pub fn numeric(id: &MessageId) -> Option<u64> {
    id.as_str().parse().ok()
}
