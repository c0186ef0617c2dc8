//! Anyreach JSON → domain, read field by field from `Value`: a field the token's scope hides is
//! absent (not null), and that difference is kept (`Scoped::Hidden` vs `Scoped::Empty`). The
//! transcript is a LiveKit-style `{"items": [...]}` list: messages, tool calls paired with their
//! outputs by `call_id`, handoffs; unknown item types are skipped.

use std::collections::HashMap;

use chrono::{DateTime, TimeDelta, Utc};
use serde_json::{Map, Value};

use crate::api::agentphone::parse_time;
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

fn text(map: &Map<String, Value>, key: &str) -> Option<String> {
    map.get(key).and_then(Value::as_str).map(str::to_owned)
}

fn time(map: &Map<String, Value>, key: &str) -> Option<Timestamp> {
    map.get(key).and_then(Value::as_str).and_then(parse_time)
}

/// A sensitive field: absent is hidden by scope, null or empty is empty.
fn scoped<T>(map: &Map<String, Value>, key: &str, read: impl Fn(&Value) -> Option<T>) -> Scoped<T> {
    match map.get(key) {
        None => Scoped::Hidden,
        Some(value) => read(value).map_or(Scoped::Empty, Scoped::Value),
    }
}

fn direction(raw: Option<&str>) -> Option<Direction> {
    match raw? {
        "inbound" => Some(Direction::Inbound),
        "outbound" => Some(Direction::Outbound),
        _ => None,
    }
}

fn facts(map: &Map<String, Value>) -> SessionFacts {
    let nonempty = |v: &Value| v.as_str().filter(|s| !s.is_empty()).map(str::to_owned);
    SessionFacts {
        status: text(map, "status").unwrap_or_else(|| "unknown".into()),
        channel: text(map, "channel"),
        direction: direction(map.get("direction").and_then(Value::as_str)),
        duration_seconds: map.get("duration").and_then(Value::as_u64),
        user_turns: map.get("user_turn_count").and_then(Value::as_u64),
        agent_name: scoped(map, "agent", |v| v.get("name").and_then(nonempty)),
        summary: scoped(map, "summary", nonempty),
        initial_context: scoped(map, "initial_context", nonempty),
        custom_metadata: scoped(map, "custom_metadata", |v| {
            v.as_object().filter(|m| !m.is_empty()).cloned()
        }),
        // A list item never carries the transcript; without the sensitive scope nothing does.
        transcript_hidden: !map.contains_key("summary") && !map.contains_key("conversation"),
    }
}

/// One session as a conversation of the list.
pub fn session(value: &Value) -> Option<Conversation> {
    let map = value.as_object()?;
    let id = text(map, "id")?;
    let facts = facts(map);
    let created = time(map, "created_at");
    let preview = facts.summary.value().cloned().or_else(|| {
        let channel = facts.channel.clone().unwrap_or_else(|| "session".into());
        Some(format!("{channel} · {}", facts.status))
    });
    let metadata = Metadata(facts.custom_metadata.value().cloned());
    Some(Conversation {
        id: ConversationId(id),
        counterparty: Counterparty::Person(Participant {
            address: text(map, "user_id").unwrap_or_else(|| "unknown".into()),
            name: None,
        }),
        our_number: text(map, "agent_number"),
        our_number_id: None,
        agent_id: text(map, "agent_id"),
        channel: facts.channel.clone(),
        last_activity_at: created.or_else(|| time(map, "updated_at")),
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

/// A session with its transcript as messages (oldest first).
pub fn detail(value: &Value) -> Option<ConversationDetail> {
    let mut conversation = session(value)?;
    let map = value.as_object()?;
    let hidden = !map.contains_key("conversation");
    if let Some(facts) = conversation.session.as_mut() {
        facts.transcript_hidden = hidden;
    }
    let start = conversation
        .created_at
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
    let items = map
        .get("conversation")
        .and_then(|c| c.get("items"))
        .and_then(Value::as_array);
    let messages = items.map_or_else(Vec::new, |items| transcript(items, start));
    Some(ConversationDetail {
        conversation,
        messages,
    })
}

/// The transcript items as messages in spoken order.
fn transcript(items: &[Value], start: Timestamp) -> Vec<Message> {
    let mut messages: Vec<Message> = Vec::new();
    // Tool calls by `call_id`, to put each output on its call.
    let mut calls: HashMap<String, usize> = HashMap::new();
    let mut last = start;
    for (i, item) in items.iter().enumerate() {
        let Some(map) = item.as_object() else {
            continue;
        };
        // Item times are unix seconds (floats); without one, keep the order after the last.
        let at = map
            .get("created_at")
            .and_then(Value::as_f64)
            .and_then(unix)
            .unwrap_or_else(|| last + TimeDelta::microseconds(1));
        let at = at.max(last);
        last = at;
        let id = text(map, "id").unwrap_or_else(|| format!("item_{i}"));
        match map.get("type").and_then(Value::as_str).unwrap_or("message") {
            "message" => messages.extend(chat_message(map, id, at)),
            "function_call" => {
                if let Some(call_id) = text(map, "call_id") {
                    calls.insert(call_id, messages.len());
                }
                messages.push(tool_call(map, id, at));
            }
            "function_call_output" => {
                let call = text(map, "call_id").and_then(|c| calls.get(&c).copied());
                pair_output(&mut messages, call, map, id, at);
            }
            "agent_handoff" => {
                let to = text(map, "new_agent_id");
                let body = format!("handed off to {}", to.as_deref().unwrap_or("another agent"));
                let info = TurnInfo {
                    kind: Some(TurnKind::Handoff { to }),
                    ..TurnInfo::default()
                };
                messages.push(message(id, Direction::System, body, at, info));
            }
            _ => {}
        }
    }
    messages
}

fn unix(seconds: f64) -> Option<Timestamp> {
    #[allow(clippy::cast_possible_truncation)] // microseconds of a plausible date fit an i64
    let micros = (seconds * 1_000_000.0).round() as i64;
    DateTime::from_timestamp_micros(micros)
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

fn chat_message(map: &Map<String, Value>, id: String, at: Timestamp) -> Option<Message> {
    let direction = match map.get("role").and_then(Value::as_str)? {
        "user" => Direction::Inbound,
        "assistant" => Direction::Outbound,
        _ => Direction::System,
    };
    let parts = map.get("content").and_then(Value::as_array);
    let body = parts
        .into_iter()
        .flatten()
        .map(|part| match part {
            Value::String(s) => s.clone(),
            other => format!(
                "[{}]",
                other
                    .get("type")
                    .and_then(Value::as_str)
                    .unwrap_or("content")
            ),
        })
        .collect::<Vec<_>>()
        .join("\n");
    let metrics = map.get("metrics");
    let latency = metrics
        .and_then(|m| m.get("e2e_latency"))
        .and_then(Value::as_f64);
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // seconds → ms, small
    let info = TurnInfo {
        kind: None,
        interrupted: map.get("interrupted").and_then(Value::as_bool).unwrap_or(false),
        latency_ms: latency.filter(|l| *l >= 0.0).map(|l| (l * 1000.0).round() as u32),
        #[allow(clippy::cast_possible_truncation)] // a 0–1 confidence
        confidence: map.get("transcript_confidence").and_then(Value::as_f64).map(|c| c as f32),
    };
    Some(message(id, direction, body, at, info))
}

fn tool_call(map: &Map<String, Value>, id: String, at: Timestamp) -> Message {
    let name = text(map, "name").unwrap_or_else(|| "tool".into());
    let arguments = text(map, "arguments").unwrap_or_default();
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
    map: &Map<String, Value>,
    id: String,
    at: Timestamp,
) {
    let output = text(map, "output").unwrap_or_default();
    let failed = map
        .get("is_error")
        .and_then(Value::as_bool)
        .unwrap_or(false);
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
    let name = text(map, "name").unwrap_or_else(|| "tool".into());
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
        let detail = detail(&value).unwrap();
        let kinds: Vec<Direction> = detail.messages.iter().map(|m| m.direction).collect();
        assert_eq!(
            kinds,
            [
                Direction::Inbound,
                Direction::System,
                Direction::Outbound,
                Direction::System
            ]
        );
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
        let detail = super::detail(&safe).unwrap();
        let facts = detail.conversation.session.unwrap();
        assert!(facts.transcript_hidden);
        assert_eq!(facts.summary, Scoped::Hidden);
        assert!(detail.messages.is_empty());
    }
}
