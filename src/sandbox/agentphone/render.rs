//! The sandbox's JSON: AgentPhone's shapes, field names and casing, built from world records.
//!
//! Written independently of the client's wire structs so a misunderstanding is not mirrored on
//! both sides of the contract tests.

use chrono::SecondsFormat;
use serde_json::{Value, json};

use super::world::{CallRec, ContactRec, ConvRec, MsgRec, TranscriptRow, WEB_CALL, World};
use crate::sandbox::Time;

/// ISO-8601 UTC with `Z`, as the API sends.
pub fn time(t: Time) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

fn opt_time(t: Option<Time>) -> Value {
    t.map_or(Value::Null, |t| Value::String(time(t)))
}

/// `inbound` or `outbound`, the API's values (the calls list filters on them as given).
pub fn direction(inbound: bool) -> &'static str {
    if inbound { "inbound" } else { "outbound" }
}

fn capabilities(conv: &ConvRec) -> Value {
    let imessage = conv.channel == "imessage";
    let (available, media): (&[&str], &[&str]) = if imessage {
        (&["imessage", "sms"], &["imessage", "mms"])
    } else {
        (&["sms"], &["mms"])
    };
    let disabled = conv
        .opted_out
        .then_some("Recipient has opted out of messages (STOP)");
    json!({
        "availableChannels": available,
        "mediaChannels": media,
        "canSendMessages": disabled.is_none(),
        "media": true,
        "reactions": imessage,
        "emojiReactions": imessage,
        "sendDisabledReason": disabled,
        "sendChannel": if imessage { "imessage" } else { "sms" },
    })
}

/// The keys a conversation list item and a detail share.
fn conversation_core(world: &World, conv: &ConvRec) -> serde_json::Map<String, Value> {
    let number = &world.numbers[conv.number];
    let participants = conv.group.as_ref().map(|g| {
        g.members
            .iter()
            .map(|(id, name)| json!({"identifier": id, "name": name}))
            .collect::<Vec<_>>()
    });
    let value = json!({
        "id": conv.id,
        "agentId": conv.agent_id,
        "phoneNumberId": number.id,
        "phoneNumber": number.phone,
        "participant": conv.participant,
        "isGroup": conv.group.is_some(),
        "groupId": conv.group.as_ref().map(|g| &g.id),
        "groupName": conv.group.as_ref().and_then(|g| g.name.as_ref()),
        "groupIconUrl": null,
        "participants": participants,
        "lastMessageAt": time(conv.last_at()),
        "messageCount": conv.messages.len(),
        "metadata": conv.metadata,
        "createdAt": time(conv.created_at),
        "channel": conv.channel,
        "capabilities": capabilities(conv),
    });
    match value {
        Value::Object(map) => map,
        _ => serde_json::Map::new(),
    }
}

/// A list item: the core plus the preview (null for a media-only last message).
pub fn conversation_summary(world: &World, conv: &ConvRec) -> Value {
    let mut map = conversation_core(world, conv);
    map.insert("lastMessagePreview".into(), json!(conv.preview()));
    Value::Object(map)
}

/// The detail: the core (no preview) plus the latest `limit` messages, newest first.
pub fn conversation_detail(world: &World, conv: &ConvRec, limit: usize) -> Value {
    let mut map = conversation_core(world, conv);
    let messages: Vec<Value> = conv
        .messages
        .iter()
        .rev()
        .take(limit)
        .map(|m| message(conv, m, false))
        .collect();
    map.insert("messages".into(), Value::Array(messages));
    Value::Object(map)
}

/// A message. `flat` is the messages-list model, which adds `conversationId`.
pub fn message(conv: &ConvRec, m: &MsgRec, flat: bool) -> Value {
    let reactions: Vec<Value> = m
        .reactions
        .iter()
        .map(|r| {
            json!({"id": r.id, "reactionType": r.kind, "fromNumber": r.from,
                   "direction": direction(r.inbound), "createdAt": time(r.at)})
        })
        .collect();
    let reply_to = m
        .reply_to
        .as_ref()
        .map(|(id, excerpt)| json!({"messageId": id, "message": excerpt, "mediaUrls": []}));
    let mut value = json!({
        "id": m.id,
        "body": m.body,
        "fromNumber": m.from,
        "toNumber": m.to,
        "direction": direction(m.inbound),
        "senderIdentifier": m.sender,
        "channel": m.channel,
        "mediaUrl": m.media.first(),
        "mediaUrls": m.media,
        "receivedAt": time(m.at),
        "reactions": reactions,
        "replyTo": reply_to,
        "status": m.status,
        "failureReason": m.failure.as_ref().map(|f| &f.1),
        "errorCode": m.failure.as_ref().map(|f| &f.0),
        "deliveredAt": opt_time(m.delivered_at),
        "deliveredChannel": m.delivered_at.map(|_| &m.channel),
        "readAt": opt_time(m.read_at),
    });
    if flat {
        value["conversationId"] = json!(conv.id);
    }
    value
}

/// The SDK's `Contact`, the same in lists, reads, creates and updates.
pub fn contact(c: &ContactRec) -> Value {
    json!({"id": c.id, "phoneNumber": c.phone, "name": c.name, "email": c.email, "notes": c.notes,
           "createdAt": time(c.created_at), "updatedAt": time(c.updated_at)})
}

/// One transcript row: the caller's line and the agent's reply (SDK shape, also the SSE `turn`).
pub fn transcript_row(r: &TranscriptRow) -> Value {
    json!({"id": r.id, "transcript": r.user, "response": r.agent, "createdAt": time(r.at)})
}

/// A call; `with_transcript` adds the SDK's `transcripts` rows. `type` is the value the list's
/// `type` filter takes (the SDK's `Call` does not read it); a web call uses no number of ours, so
/// `phoneNumberId` and `phoneNumber` are null, as the spec allows.
pub fn call(world: &World, c: &CallRec, with_transcript: bool) -> Value {
    let number = Some(&world.numbers[c.number]).filter(|_| c.kind != WEB_CALL);
    let (from, to) = world.call_parties(c);
    let duration = c.ended_at.map(|e| (e - c.started_at).num_seconds());
    let agent_name = c
        .agent_id
        .as_ref()
        .and_then(|id| world.agents.iter().find(|a| &a.id == id))
        .map(|a| a.name.clone());
    let mut value = json!({
        "id": c.id, "agentId": c.agent_id, "phoneNumberId": number.map(|n| &n.id),
        "phoneNumber": number.map(|n| &n.phone), "fromNumber": from, "toNumber": to,
        "direction": direction(c.inbound), "type": c.kind, "status": c.status,
        "startedAt": time(c.started_at), "endedAt": opt_time(c.ended_at), "durationSeconds": duration,
        "lastTranscriptSnippet": c.rows.last().and_then(|r| r.agent.clone()),
        "agentName": agent_name, "recordingAvailable": c.recording,
        "recordingUrl": c.recording.then(|| format!("/v1/calls/{}/recording", c.id)),
    });
    if with_transcript {
        value["transcripts"] = c.rows.iter().map(transcript_row).collect();
    }
    value
}
