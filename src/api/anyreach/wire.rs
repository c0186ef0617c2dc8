//! Anyreach JSON → domain, read field by field from `Value`: a field the token's scope hides is
//! absent (not null), and that difference is kept (`Scoped::Hidden` vs `Scoped::Empty`). The
//! transcript is a LiveKit-style `{"items": [...]}` list: messages, tool calls paired with their
//! outputs by `call_id`, handoffs; an item type this version does not know is shown as a system
//! line naming it, and an item that cannot be read is skipped and reported.

use std::collections::HashMap;

use chrono::{DateTime, TimeDelta, Utc};
use serde_json::Value;

use crate::api::lenient::{Record, RecordKind, Skipped, Unreadable};
use crate::api::model::{
    Capabilities, Conversation, ConversationDetail, ConversationId, Counterparty, Direction,
    Message, MessageId, Metadata, Participant, Timestamp,
};
use crate::api::session::{Scoped, SessionFacts, TurnInfo, TurnKind};

/// Why an Anyreach session cannot be answered or edited from the inbox.
pub const NO_REPLY: &str =
    "Anyreach has no API for a human reply (its send endpoint speaks to the AI as the user)";

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard Base64 with padding (the list cursor).
pub fn base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(B64[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Decodes standard or URL-safe Base64 (padding optional); `None` when it is not Base64.
pub fn unbase64(text: &str) -> Option<Vec<u8>> {
    let mut bits = 0u32;
    let mut count = 0;
    let mut out = Vec::new();
    for c in text.trim_end_matches('=').bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        bits = bits << 6 | u32::from(v);
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push(u8::try_from(bits >> count & 0xFF).ok()?);
        }
    }
    Some(out)
}

/// The sessions of a list reply: a bare array (as documented), or one under `data` or `items`.
pub fn rows(value: &Value) -> Option<&[Value]> {
    match value {
        Value::Array(rows) => Some(rows),
        Value::Object(_) => ["data", "items"]
            .iter()
            .find_map(|key| value.get(*key).and_then(Value::as_array))
            .map(Vec::as_slice),
        _ => None,
    }
}

/// A sensitive field: absent is hidden by scope, null or empty is empty.
fn scoped<T>(r: Record<'_>, key: &str, read: impl Fn(&Value) -> Option<T>) -> Scoped<T> {
    if !r.has(key) {
        return Scoped::Hidden;
    }
    r.raw(key)
        .and_then(read)
        .map_or(Scoped::Empty, Scoped::Value)
}

fn direction(raw: Option<&str>) -> Option<Direction> {
    match raw? {
        "inbound" => Some(Direction::Inbound),
        "outbound" => Some(Direction::Outbound),
        _ => None,
    }
}

fn facts(r: Record<'_>) -> SessionFacts {
    let nonempty = |v: &Value| v.as_str().filter(|s| !s.is_empty()).map(str::to_owned);
    SessionFacts {
        status: r.text("status").unwrap_or_else(|| "unknown".into()),
        channel: r.text("channel"),
        direction: direction(r.text("direction").as_deref()),
        duration_seconds: r.uint("duration"),
        user_turns: r.uint("user_turn_count"),
        agent_name: scoped(r, "agent", |v| Record::of(v)?.text("name")),
        summary: scoped(r, "summary", nonempty),
        initial_context: scoped(r, "initial_context", nonempty),
        custom_metadata: scoped(r, "custom_metadata", |v| {
            v.as_object().filter(|m| !m.is_empty()).cloned()
        }),
        // A list item never carries the transcript; without the sensitive scope nothing does.
        transcript_hidden: !r.has("summary") && !r.has("conversation"),
    }
}

/// One session as a conversation of the list. Needs an `id`.
pub fn session(value: &Value) -> Result<Conversation, Unreadable> {
    let r = Record::new(value)?;
    let id = r.id()?;
    let facts = facts(r);
    let created = r.time("created_at");
    let preview = facts.summary.value().cloned().or_else(|| {
        let channel = facts.channel.clone().unwrap_or_else(|| "session".into());
        Some(format!("{channel} · {}", facts.status))
    });
    let metadata = Metadata(facts.custom_metadata.value().cloned());
    Ok(Conversation {
        id: ConversationId(id),
        counterparty: Counterparty::Person(Participant {
            address: r.text("user_id").unwrap_or_else(|| "unknown".into()),
            name: None,
        }),
        our_number: r.text("agent_number"),
        our_number_id: None,
        agent_id: r.text("agent_id"),
        channel: facts.channel.clone(),
        last_activity_at: created.or_else(|| r.time("updated_at")),
        preview,
        message_count: facts.user_turns,
        metadata,
        created_at: created,
        unread_count: None,
        capabilities: Capabilities {
            can_send: false,
            send_disabled_reason: Some(NO_REPLY.into()),
            typing: false,
            reactions: false,
            media: false,
            edit_metadata: false,
        },
        session: Some(Box::new(facts)),
        desk: None,
    })
}

/// A session with its transcript as messages (oldest first); transcript items that cannot be
/// read are returned apart.
pub fn detail(value: &Value) -> Result<(ConversationDetail, Vec<Skipped>), Unreadable> {
    let mut conversation = session(value)?;
    let r = Record::new(value)?;
    if let Some(facts) = conversation.session.as_mut() {
        facts.transcript_hidden = !r.has("conversation");
    }
    let start = conversation
        .created_at
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
    let items = r
        .object("conversation")
        .map_or(&[][..], |c| c.list("items"));
    let (messages, skipped) = transcript(items, start);
    Ok((
        ConversationDetail {
            conversation,
            messages,
        },
        skipped,
    ))
}

/// The transcript items as messages in spoken order, and the items that could not be read.
/// An item type this version does not know is shown as a system line naming it.
fn transcript(items: &[Value], start: Timestamp) -> (Vec<Message>, Vec<Skipped>) {
    let mut messages: Vec<Message> = Vec::new();
    let mut skipped = Vec::new();
    // Tool calls by `call_id`, to put each output on its call.
    let mut calls: HashMap<String, usize> = HashMap::new();
    let mut last = start;
    for (i, item) in items.iter().enumerate() {
        let map = match Record::new(item) {
            Ok(map) => map,
            Err(why) => {
                skipped.push(Skipped::new(RecordKind::Turn, i, item, why));
                continue;
            }
        };
        // Item times are unix seconds (floats); without one, keep the order after the last.
        let at = map
            .time("created_at")
            .unwrap_or_else(|| last + TimeDelta::microseconds(1))
            .max(last);
        last = at;
        let id = map.text("id").unwrap_or_else(|| format!("item_{i}"));
        let kind = map.text("type").unwrap_or_else(|| "message".into());
        match kind.as_str() {
            "message" => messages.push(chat_message(map, id, at)),
            "function_call" => {
                if let Some(call_id) = map.text("call_id") {
                    calls.insert(call_id, messages.len());
                }
                messages.push(tool_call(map, id, at));
            }
            "function_call_output" => {
                let call = map.text("call_id").and_then(|c| calls.get(&c).copied());
                pair_output(&mut messages, call, map, id, at);
            }
            "agent_handoff" => messages.push(handoff(map, id, at)),
            other => {
                let body = format!("({other})");
                messages.push(message(
                    id,
                    Direction::System,
                    body,
                    at,
                    TurnInfo::default(),
                ));
            }
        }
    }
    (messages, skipped)
}

fn handoff(map: Record<'_>, id: String, at: Timestamp) -> Message {
    let to = map.text("new_agent_id");
    let body = format!("handed off to {}", to.as_deref().unwrap_or("another agent"));
    let info = TurnInfo {
        kind: Some(TurnKind::Handoff { to }),
        ..TurnInfo::default()
    };
    message(id, Direction::System, body, at, info)
}

fn message(
    id: String,
    direction: Direction,
    body: String,
    at: Timestamp,
    info: TurnInfo,
) -> Message {
    let plain = info == TurnInfo::default();
    Message {
        id: MessageId(id),
        direction,
        channel: None,
        body,
        from: None,
        to: None,
        sender: None,
        media: Vec::new(),
        reactions: Vec::new(),
        reply_to: None,
        delivery: None,
        sent_at: at,
        private: false,
        turn: (!plain).then(|| Box::new(info)),
    }
}

/// A spoken line; a missing or unknown role is a system line.
fn chat_message(map: Record<'_>, id: String, at: Timestamp) -> Message {
    let direction = match map.text("role").unwrap_or_default().as_str() {
        "user" => Direction::Inbound,
        "assistant" => Direction::Outbound,
        _ => Direction::System,
    };
    let body = map
        .list("content")
        .iter()
        .map(|part| match part {
            Value::String(s) => s.clone(),
            other => format!(
                "[{}]",
                Record::of(other)
                    .and_then(|o| o.text("type"))
                    .unwrap_or_else(|| "content".into())
            ),
        })
        .collect::<Vec<_>>()
        .join("\n");
    let latency = map.object("metrics").and_then(|m| m.float("e2e_latency"));
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // seconds → ms, small
    let info = TurnInfo {
        kind: None,
        interrupted: map.flag("interrupted").unwrap_or(false),
        latency_ms: latency.filter(|l| *l >= 0.0).map(|l| (l * 1000.0).round() as u32),
        #[allow(clippy::cast_possible_truncation)] // a 0–1 confidence
        confidence: map.float("transcript_confidence").map(|c| c as f32),
    };
    message(id, direction, body, at, info)
}

fn tool_call(map: Record<'_>, id: String, at: Timestamp) -> Message {
    let name = map.text("name").unwrap_or_else(|| "tool".into());
    let arguments = map.text("arguments").unwrap_or_default();
    let body = format!("{name} {arguments}");
    let info = TurnInfo {
        kind: Some(TurnKind::ToolCall {
            name,
            arguments,
            output: None,
            is_error: false,
        }),
        ..TurnInfo::default()
    };
    message(id, Direction::System, body, at, info)
}

/// Puts a tool's output on its call (by `call_id`); an output without a call stands alone.
fn pair_output(
    messages: &mut Vec<Message>,
    call: Option<usize>,
    map: Record<'_>,
    id: String,
    at: Timestamp,
) {
    let output = map.text("output").unwrap_or_default();
    let failed = map.flag("is_error").unwrap_or(false);
    if let Some(call) = call.and_then(|i| messages.get_mut(i))
        && let Some(info) = call.turn.as_mut()
        && let Some(TurnKind::ToolCall {
            output: slot,
            is_error,
            ..
        }) = info.kind.as_mut()
    {
        *slot = Some(output);
        *is_error = failed;
        return;
    }
    let name = map.text("name").unwrap_or_else(|| "tool".into());
    let info = TurnInfo {
        kind: Some(TurnKind::ToolCall {
            name: name.clone(),
            arguments: String::new(),
            output: Some(output.clone()),
            is_error: failed,
        }),
        ..TurnInfo::default()
    };
    messages.push(message(
        id,
        Direction::System,
        format!("{name} {output}"),
        at,
        info,
    ));
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn base64_round_trips_and_matches_the_standard() {
        assert_eq!(
            base64(b"2026-11-23T12:00:00Z"),
            "MjAyNi0xMS0yM1QxMjowMDowMFo="
        );
        for text in [
            "",
            "a",
            "ab",
            "abc",
            "abcd",
            "2026-11-23T12:00:00.123456+00:00",
        ] {
            assert_eq!(unbase64(&base64(text.as_bytes())).unwrap(), text.as_bytes());
        }
        assert!(unbase64("not base64!").is_none());
    }

    #[test]
    fn tool_calls_pair_with_outputs_and_scope_hidden_fields_are_hidden() {
        let value = json!({
            "id": "s1", "user_id": "+15551234567", "status": "completed", "channel": "telephone",
            "created_at": "2026-11-23T12:00:00Z", "summary": "Order status", "custom_metadata": null,
            "conversation": {"items": [
                {"id": "i1", "type": "message", "role": "user", "content": ["Where is my order?"],
                 "transcript_confidence": 0.93, "created_at": 1_795_000_000.5},
                {"id": "i2", "type": "function_call", "call_id": "c1", "name": "lookup_order",
                 "arguments": "{\"id\":\"42\"}", "created_at": 1_795_000_001.0},
                {"id": "i3", "type": "function_call_output", "call_id": "c1", "output": "{\"eta\":\"Fri\"}",
                 "is_error": false, "created_at": 1_795_000_001.4},
                {"id": "i4", "type": "message", "role": "assistant", "content": ["It arrives Friday."],
                 "interrupted": true, "metrics": {"e2e_latency": 0.9}, "created_at": 1_795_000_002.0},
                {"id": "i5", "type": "agent_handoff", "new_agent_id": "billing", "created_at": 1_795_000_003.0},
                {"id": "i6", "type": "something_new"}
            ]}
        });
        let (detail, skipped) = detail(&value).unwrap();
        assert!(skipped.is_empty());
        let kinds: Vec<Direction> = detail.messages.iter().map(|m| m.direction).collect();
        assert_eq!(
            kinds,
            [
                Direction::Inbound,
                Direction::System,
                Direction::Outbound,
                Direction::System,
                Direction::System
            ]
        );
        assert_eq!(detail.messages[4].body, "(something_new)");
        let tool = detail.messages[1].turn.as_ref().unwrap();
        assert!(
            matches!(&tool.kind, Some(TurnKind::ToolCall { output: Some(o), .. }) if o.contains("Fri"))
        );
        let reply = detail.messages[2].turn.as_ref().unwrap();
        assert!(reply.interrupted);
        assert_eq!(reply.latency_ms, Some(900));
        let facts = detail.conversation.session.unwrap();
        assert_eq!(facts.summary, Scoped::Value("Order status".into()));
        assert_eq!(facts.custom_metadata, Scoped::Empty);
        assert_eq!(facts.initial_context, Scoped::Hidden);
        assert!(!facts.transcript_hidden);
        assert!(!detail.conversation.capabilities.can_send);
        // A read-only token: no sensitive field at all.
        let safe =
            json!({"id": "s2", "user_id": "guest_1", "status": "in_progress", "channel": "webrtc"});
        let (detail, _) = super::detail(&safe).unwrap();
        let facts = detail.conversation.session.unwrap();
        assert!(facts.transcript_hidden);
        assert_eq!(facts.summary, Scoped::Hidden);
        assert!(detail.messages.is_empty());
    }
}
