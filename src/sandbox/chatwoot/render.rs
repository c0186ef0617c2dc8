//! The desk's JSON, in the shapes of Chatwoot's jbuilder views (`api/v1/models/_message`,
//! `api/v1/conversations/partials/_conversation`, `public/api/v1/models/_conversation`).

use serde_json::{Value, json};

use super::data::{ACCOUNT, AGENTS, ConvRec, INBOXES, MsgRec, TEAMS};

pub fn message_json(conv: &ConvRec, m: &MsgRec) -> Value {
    let sender = m.sender.as_ref().map(
        |(id, name, kind)| json!({"id": id, "name": name, "available_name": name, "type": kind}),
    );
    let mut value = json!({
        "id": m.id, "content": m.content, "inbox_id": conv.inbox, "conversation_id": conv.id,
        "message_type": m.kind, "content_type": "text", "status": m.status, "created_at": m.at,
        "private": m.private, "source_id": null, "sender": sender,
        "content_attributes": m.error.as_ref().map_or(json!({}), |e| json!({"external_error": e})),
    });
    if let Some(url) = &m.attachment {
        value["attachments"] = json!([{"id": m.id, "message_id": m.id, "file_type": "image", "account_id": ACCOUNT,
            "extension": "jpg", "data_url": url, "thumb_url": url, "file_size": 48_213}]);
    }
    value
}

/// An agent (`api/v1/models/_agent`), or `null`.
pub fn agent_json(id: Option<u64>) -> Value {
    let agent = id.and_then(|a| AGENTS.iter().find(|(i, _)| *i == a));
    agent.map_or(Value::Null, |(id, name)| {
        let role = if *id == AGENTS[0].0 {
            "administrator"
        } else {
            "agent"
        };
        json!({"id": id, "name": name, "available_name": name, "account_id": ACCOUNT,
               "email": format!("{}@example.com", name.to_lowercase()), "role": role,
               "availability_status": "online", "confirmed": true, "thumbnail": ""})
    })
}

/// A team (`render json: @team`), or `null`.
pub fn team_json(id: Option<u64>) -> Value {
    let team = id.and_then(|t| TEAMS.iter().find(|(i, _)| *i == t));
    team.map_or(Value::Null, |(id, name)| {
        json!({"id": id, "name": name, "description": "", "allow_auto_assign": true, "account_id": ACCOUNT})
    })
}

fn meta_json(conv: &ConvRec) -> Value {
    let channel = INBOXES
        .iter()
        .find(|i| i.0 == conv.inbox)
        .map_or("Channel::Api", |i| i.2);
    let mut meta = json!({
        "sender": {"id": conv.contact.0, "name": conv.contact.1, "phone_number": conv.contact.2, "type": "contact"},
        "channel": channel, "hmac_verified": false,
    });
    if conv.assignee.is_some() {
        meta["assignee"] = agent_json(conv.assignee);
    }
    if conv.team.is_some() {
        meta["team"] = team_json(conv.team);
    }
    meta
}

/// The conversation partial: every time a unix-seconds integer, 0 when unset, except
/// `snoozed_until` (an ISO string or null).
pub fn conversation_json(conv: &ConvRec) -> Value {
    let last = conv.messages.last();
    let last_chat = conv.messages.iter().rev().find(|m| m.kind != 2);
    json!({
        "meta": meta_json(conv),
        "id": conv.id, "account_id": ACCOUNT, "uuid": format!("uuid-{}", conv.id), "inbox_id": conv.inbox,
        "messages": last.map(|m| vec![message_json(conv, m)]).unwrap_or_default(),
        "labels": conv.labels, "status": conv.status, "priority": conv.priority, "muted": false,
        "can_reply": conv.inbox != 2 || !conv.id.is_multiple_of(7),
        "snoozed_until": conv.snoozed_until.and_then(|s| chrono::DateTime::from_timestamp(s, 0)).map(|t| t.to_rfc3339()),
        "custom_attributes": conv.custom, "additional_attributes": {},
        "created_at": conv.messages.first().map_or(0, |m| m.at), "timestamp": conv.last_activity(),
        "last_activity_at": conv.last_activity(),
        "agent_last_seen_at": conv.agent_last_seen_at, "assignee_last_seen_at": conv.assignee_last_seen_at,
        "contact_last_seen_at": conv.contact_last_seen_at,
        "first_reply_created_at": conv.first_reply_created_at(), "waiting_since": conv.waiting_since(),
        "unread_count": conv.unread_count(), "sla_policy_id": null,
        "last_non_activity_message": last_chat.map(|m| message_json(conv, m)),
    })
}

fn iso(secs: i64) -> Value {
    let time = (secs > 0)
        .then(|| chrono::DateTime::from_timestamp(secs, 0))
        .flatten();
    time.map_or(Value::Null, |t| Value::String(t.to_rfc3339()))
}

/// The `meta` of a message list: the read marks here are ISO strings, not integers.
pub fn messages_meta(conv: &ConvRec) -> Value {
    json!({
        "labels": conv.labels, "additional_attributes": {},
        "contact": {"id": conv.contact.0, "name": conv.contact.1, "phone_number": conv.contact.2},
        "assignee": agent_json(conv.assignee),
        "agent_last_seen_at": iso(conv.agent_last_seen_at),
        "assignee_last_seen_at": iso(conv.assignee_last_seen_at),
    })
}

/// A message the contact may see (not a private note, not an activity line).
pub fn public_visible(m: &MsgRec) -> bool {
    m.kind != 2 && !m.private
}

/// A message in the public API (`public/api/v1/models/_message`): no inbox, privacy, status or
/// channel source id.
pub fn public_message_json(conv: &ConvRec, m: &MsgRec) -> Value {
    let mut value = message_json(conv, m);
    if let Some(map) = value.as_object_mut() {
        for key in ["inbox_id", "private", "source_id", "status"] {
            map.remove(key);
        }
    }
    value
}

/// The public API's conversation: the contact's view, without notes and activity lines.
pub fn public_json(conv: &ConvRec) -> Value {
    let visible: Vec<Value> = conv
        .messages
        .iter()
        .filter(|m| public_visible(m))
        .map(|m| public_message_json(conv, m))
        .collect();
    json!({"id": conv.id, "uuid": format!("uuid-{}", conv.id), "inbox_id": conv.inbox, "status": conv.status,
           "contact_last_seen_at": conv.contact_last_seen_at, "agent_last_seen_at": conv.agent_last_seen_at,
           "messages": visible,
           "contact": {"id": conv.contact.0, "name": conv.contact.1, "phone_number": conv.contact.2}})
}
