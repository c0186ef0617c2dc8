//! Chatwoot JSON → domain, one record at a time ([`crate::api::lenient`]): ids are integers
//! (conversation ids are per-account display ids) or their strings, times are mostly unix
//! seconds (0 = unset) with a few ISO strings, `message_type` is an integer in replies
//! (0 incoming, 1 outgoing, 2 activity, 3 template) or its name in some payloads.

use serde_json::Value;

use crate::api::desk::{Agent, DeskFacts};
use crate::api::lenient::{Record, RecordKind, Records, Skipped, Unreadable, records};
use crate::api::model::{
    Capabilities, Conversation, ConversationDetail, ConversationId, Counterparty, Delivery,
    DeliveryStatus, Direction, Message, MessageId, Metadata, Participant, TabCounts,
};

/// `{"meta": {...counts}}`, also wrapped in `data` by older versions.
pub fn counts(value: &Value) -> TabCounts {
    let meta = value
        .get("data")
        .and_then(|d| d.get("meta"))
        .or_else(|| value.get("meta"))
        .and_then(Record::of);
    let get = |key| meta.and_then(|m| m.uint(key)).unwrap_or(0);
    TabCounts {
        mine: get("mine_count"),
        unassigned: get("unassigned_count"),
        assigned: get("assigned_count"),
        all: get("all_count"),
    }
}

/// The conversations of a list reply: `{"data": {"meta", "payload"}}` or `{"payload"}`; `None`
/// when neither holds a list.
pub fn payload(value: &Value) -> Option<&[Value]> {
    let list = value
        .get("data")
        .and_then(|d| d.get("payload"))
        .or_else(|| value.get("payload"));
    match list {
        None | Some(Value::Null) => Some(&[]),
        Some(Value::Array(items)) => Some(items),
        Some(_) => None,
    }
}

fn agent(map: Option<Record<'_>>) -> Option<Agent> {
    let map = map?;
    Some(Agent {
        id: map.uint("id")?,
        name: map.text_of(&["available_name", "name"]).unwrap_or_default(),
    })
}

fn contact(map: Option<Record<'_>>) -> Participant {
    let field = |key| map.and_then(|m| m.text(key));
    Participant {
        address: field("phone_number")
            .or_else(|| field("email"))
            .or_else(|| field("identifier"))
            .or_else(|| {
                map.and_then(|m| m.uint("id"))
                    .map(|id| format!("contact {id}"))
            })
            .unwrap_or_else(|| "unknown".into()),
        name: field("name"),
    }
}

fn desk(r: Record<'_>) -> DeskFacts {
    let meta = r.object("meta");
    DeskFacts {
        status: r.text("status").unwrap_or_else(|| "open".into()),
        priority: r.text("priority"),
        assignee: agent(meta.and_then(|m| m.object("assignee"))),
        team: meta
            .and_then(|m| m.object("team"))
            .and_then(|t| t.text("name")),
        labels: r.strings("labels"),
        inbox_id: r.uint("inbox_id"),
        snoozed_until: r.time("snoozed_until"),
    }
}

/// One conversation of the application API. Needs an `id`.
pub fn conversation(value: &Value) -> Result<Conversation, Unreadable> {
    let r = Record::new(value)?;
    let id = r.id()?;
    let meta = r.object("meta");
    let can_reply = r.flag("can_reply").unwrap_or(true);
    Ok(Conversation {
        id: ConversationId(id),
        counterparty: Counterparty::Person(contact(meta.and_then(|m| m.object("sender")))),
        our_number: None,
        our_number_id: r.text("inbox_id"),
        agent_id: None,
        channel: meta
            .and_then(|m| m.text("channel"))
            .map(|c| c.trim_start_matches("Channel::").to_lowercase()),
        last_activity_at: r.time_of(&["last_activity_at", "timestamp"]),
        preview: r
            .object("last_non_activity_message")
            .and_then(|m| m.text("content")),
        message_count: None,
        metadata: Metadata(r.map("custom_attributes").cloned()),
        created_at: r.time("created_at"),
        unread_count: r.uint("unread_count").and_then(|n| u32::try_from(n).ok()),
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
        desk: Some(Box::new(desk(r))),
    })
}

/// `message_type` as a number or its name.
fn direction(r: Record<'_>) -> Direction {
    let kind = r.uint("message_type").or_else(|| {
        let name = r.text("message_type")?;
        ["incoming", "outgoing", "activity", "template"]
            .iter()
            .position(|n| name.eq_ignore_ascii_case(n))
            .map(|i| i as u64)
    });
    match kind.unwrap_or(0) {
        0 => Direction::Inbound,
        2 => Direction::System,
        _ => Direction::Outbound,
    }
}

/// One message (application or public API). Needs an `id` and its `created_at`.
pub fn message(value: &Value) -> Result<Message, Unreadable> {
    let r = Record::new(value)?;
    let id = r.id()?;
    let sent_at = r.required_time("created_at")?;
    let direction = direction(r);
    let private = r.flag("private").unwrap_or(false);
    let delivery = (direction == Direction::Outbound && !private).then(|| Delivery {
        status: r
            .text("status")
            .map_or(DeliveryStatus::Sent, |s| DeliveryStatus::parse(&s)),
        failure_reason: r
            .object("content_attributes")
            .and_then(|c| c.text("external_error")),
        error_code: None,
        delivered_at: None,
        read_at: None,
    });
    Ok(Message {
        id: MessageId(id),
        direction,
        channel: None,
        body: r.text("content").unwrap_or_default(),
        from: None,
        to: None,
        sender: r.object("sender").map(|s| Participant {
            address: s.text("type").unwrap_or_default(),
            name: s.text_of(&["available_name", "name"]),
        }),
        media: r
            .list("attachments")
            .iter()
            .filter_map(Record::of)
            .filter_map(|a| a.text("data_url"))
            .collect(),
        reactions: Vec::new(),
        reply_to: None,
        delivery,
        sent_at,
        private,
        turn: None,
    })
}

/// The messages of `{"payload": [...]}` (or `messages`, or a bare array), oldest first by time
/// then id; unreadable ones apart.
pub fn messages(value: &Value) -> Records<Message> {
    let mut read = records(message_list(value), RecordKind::Message, message);
    read.items
        .sort_by_key(|m| (m.sent_at, numeric(&m.id).unwrap_or(0)));
    read
}

/// The raw message records of a reply: `payload`, `messages`, or a bare array.
pub fn message_list(value: &Value) -> &[Value] {
    value
        .get("payload")
        .or_else(|| value.get("messages"))
        .and_then(Value::as_array)
        .or_else(|| value.as_array())
        .map_or(&[], Vec::as_slice)
}

/// A conversation of the public client API, with its messages (unreadable ones apart).
pub fn public_conversation(
    value: &Value,
) -> Result<(ConversationDetail, Vec<Skipped>), Unreadable> {
    let r = Record::new(value)?;
    let id = r.id()?;
    let read = messages(value);
    let messages = read.items;
    let status = r.text("status").unwrap_or_else(|| "open".into());
    let conversation = Conversation {
        id: ConversationId(id),
        counterparty: Counterparty::Person(contact(r.object("contact"))),
        our_number: None,
        our_number_id: r.text("inbox_id"),
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
    Ok((
        ConversationDetail {
            conversation,
            messages,
        },
        read.skipped,
    ))
}

/// The numeric id of a message (Chatwoot's cursors are message ids).
pub fn numeric(id: &MessageId) -> Option<u64> {
    id.as_str().parse().ok()
}
