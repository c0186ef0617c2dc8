//! The tolerance rules of STYLE.md lesson L1 as a mutation property test: one valid example of
//! every wire type of every provider (shapes from `providers.md`), mutated by each rule alone and
//! all together, decodes to the same domain value; every optional field may be absent, `null` or
//! (for text) empty with the same result; enum values never seen decode and show as text.

use proptest::prelude::*;
use serde_json::{Value, json};

use super::lenient::Unreadable;
use super::{agentphone, anyreach, chatwoot};
use crate::rng::Rng;
use crate::sandbox::mutate::{Rules, mutate};

mod pages;

/// A decoder under test, its domain value rendered with `Debug` so all types compare alike.
type Decode = fn(&Value) -> Result<String, Unreadable>;

fn shown<T: std::fmt::Debug>(value: Result<T, Unreadable>) -> Result<String, Unreadable> {
    value.map(|v| format!("{v:?}"))
}

/// One wire type: its name, a valid example, the decoder, and the keys it cannot do without.
struct Case {
    name: &'static str,
    example: Value,
    decode: Decode,
    required: &'static [&'static str],
    /// Keys whose absence means something else than `null` (Anyreach's scope-hidden fields).
    presence_matters: &'static [&'static str],
}

fn ap_conversation() -> Value {
    json!({"id": "conv_1", "agentId": "agt_1", "phoneNumberId": "num_1", "phoneNumber": "+15551234567",
        "participant": "+15559876543", "isGroup": false, "groupId": null, "groupName": null,
        "participants": [{"identifier": "+15559876543", "name": "Jane Doe"}],
        "lastMessageAt": "2025-01-15T12:00:00Z", "lastMessagePreview": "Thanks!", "messageCount": 8,
        "metadata": {"customerName": "Jane", "vip": true}, "createdAt": "2025-01-15T11:30:00.250Z",
        "channel": "imessage", "capabilities": {"canSendMessages": true, "sendDisabledReason": null,
        "media": true, "reactions": true, "typing": true, "sendChannel": "imessage"}})
}

fn ap_message() -> Value {
    json!({"id": "msg_1", "body": "Hello there", "fromNumber": "+15559876543", "toNumber": "+15551234567",
        "direction": "outbound", "channel": "sms", "mediaUrls": ["https://x.test/a.jpg"],
        "receivedAt": "2025-01-15T12:00:00.123456Z", "senderIdentifier": "+15559876543",
        "reactions": [{"id": "r1", "reactionType": "love", "fromNumber": "+15559876543",
            "direction": "inbound", "createdAt": "2025-01-15T12:01:00Z"}],
        "replyTo": {"messageId": "msg_0", "message": "Earlier"}, "status": "delivered",
        "failureReason": null, "errorCode": null, "deliveredAt": "2025-01-15T12:00:02Z"})
}

fn ap_call() -> Value {
    json!({"id": "call_1", "agentId": "agt_1", "phoneNumber": "+15551234567", "fromNumber": "+15559876543",
        "toNumber": "+15551234567", "direction": "inbound", "status": "completed",
        "startedAt": "2025-01-15T12:00:00Z", "endedAt": "2025-01-15T12:03:00Z", "durationSeconds": 180,
        "lastTranscriptSnippet": "Bye", "agentName": "Ava", "recordingAvailable": true,
        "transcripts": [{"id": "t1", "transcript": "Hi", "response": "Hello", "createdAt": "2025-01-15T12:00:05Z"}]})
}

fn ap_turn() -> Value {
    json!({"id": "t1", "transcript": "Where is my order?", "response": "It ships today",
        "createdAt": "2025-01-15T12:00:05Z"})
}

fn ap_contact() -> Value {
    json!({"id": "ct_1", "phoneNumber": "+15559876543", "name": "Jane Doe", "email": "jane@x.test"})
}

fn ap_sent() -> Value {
    json!({"id": "msg_9", "status": "queued", "channel": "sms", "conversation_id": "conv_1"})
}

fn ar_session() -> Value {
    json!({"id": "s1", "user_id": "+15559876543", "status": "completed", "channel": "telephone",
        "direction": "inbound", "duration": 95, "user_turn_count": 4, "agent_id": "ag_1",
        "agent_number": "+15551234567", "created_at": "2025-01-15T12:00:00Z",
        "updated_at": "2025-01-15T12:02:00Z", "agent": {"name": "Ava"}, "summary": "Order status",
        "initial_context": "VIP", "custom_metadata": {"crm": "42"},
        "conversation": {"items": [
            {"id": "i1", "type": "message", "role": "user", "content": ["Where is my order?"],
             "transcript_confidence": 0.5, "interrupted": false, "created_at": 1_736_942_401.5},
            {"id": "i2", "type": "function_call", "call_id": "c1", "name": "lookup", "arguments": "{}",
             "created_at": 1_736_942_402},
            {"id": "i3", "type": "function_call_output", "call_id": "c1", "output": "ok",
             "is_error": true, "created_at": 1_736_942_403},
            {"id": "i4", "type": "message", "role": "assistant", "content": ["Friday"],
             "interrupted": true, "metrics": {"e2e_latency": 0.75}, "created_at": 1_736_942_404},
            {"id": "i5", "type": "agent_handoff", "new_agent_id": "billing", "created_at": 1_736_942_405}]}})
}

fn cw_conversation() -> Value {
    json!({"id": 42, "account_id": 1, "inbox_id": 3, "status": "open", "priority": "high",
        "can_reply": true, "unread_count": 2, "labels": ["billing", "vip"],
        "custom_attributes": {"plan": "pro"}, "created_at": 1_736_940_000,
        "last_activity_at": 1_736_942_400, "timestamp": 1_736_942_400, "snoozed_until": null,
        "meta": {"channel": "Channel::Whatsapp",
            "sender": {"id": 7, "name": "Jane Doe", "phone_number": "+15559876543", "email": "j@x.test"},
            "assignee": {"id": 2, "name": "Dana", "available_name": "Dana R"},
            "team": {"id": 1, "name": "Support"}},
        "last_non_activity_message": {"id": 900, "content": "Thanks"}})
}

fn cw_message() -> Value {
    json!({"id": 901, "content": "Your order shipped", "message_type": 1, "private": false,
        "status": "sent", "created_at": 1_736_942_400, "conversation_id": 42,
        "content_attributes": {"external_error": "24h window closed"},
        "sender": {"id": 2, "name": "Dana", "available_name": "Dana R", "type": "user"},
        "attachments": [{"id": 1, "file_type": "image", "data_url": "https://x.test/a.png"}]})
}

fn cw_public() -> Value {
    json!({"id": 42, "inbox_id": 3, "status": "open", "contact": {"id": 7, "name": "Jane", "email": "j@x.test"},
        "messages": [cw_message()]})
}

fn case(
    name: &'static str,
    example: Value,
    decode: Decode,
    required: &'static [&'static str],
) -> Case {
    Case {
        name,
        example,
        decode,
        required,
        presence_matters: &[],
    }
}

fn cases() -> Vec<Case> {
    let mut detail = ap_conversation();
    detail["messages"] = json!([ap_message()]);
    let mut all = vec![
        case(
            "agentphone conversation",
            ap_conversation(),
            |v| shown(agentphone::wire::conversation(v)),
            &["id"],
        ),
        case(
            "agentphone detail",
            detail,
            |v| shown(agentphone::wire::detail(v)),
            &["id", "receivedAt"],
        ),
        case(
            "agentphone message",
            ap_message(),
            |v| shown(agentphone::wire::message(v)),
            &["id", "receivedAt"],
        ),
        case(
            "agentphone call",
            ap_call(),
            |v| shown(agentphone::wire::call(v)),
            &["id"],
        ),
        case(
            "agentphone transcript turn",
            ap_turn(),
            |v| shown(agentphone::wire::transcript_row(v)),
            &[],
        ),
        case(
            "agentphone contact",
            ap_contact(),
            |v| shown(agentphone::wire::contact(v)),
            &["id"],
        ),
        case(
            "agentphone sent reply",
            ap_sent(),
            |v| shown(agentphone::wire::sent(v)),
            &["id", "status"],
        ),
    ];
    all.extend(other_cases());
    all
}

fn other_cases() -> Vec<Case> {
    let session = |v: &Value| shown(anyreach::wire::detail(v));
    vec![
        Case {
            presence_matters: &[
                "agent",
                "summary",
                "initial_context",
                "custom_metadata",
                "conversation",
            ],
            ..case("anyreach session", ar_session(), session, &["id"])
        },
        case(
            "chatwoot conversation",
            cw_conversation(),
            |v| shown(chatwoot::wire::conversation(v)),
            &["id"],
        ),
        case(
            "chatwoot message",
            cw_message(),
            |v| shown(chatwoot::wire::message(v)),
            &["id", "created_at"],
        ),
        case(
            "chatwoot public conversation",
            cw_public(),
            |v| shown(chatwoot::wire::public_conversation(v)),
            &["id", "created_at"],
        ),
    ]
}

/// Every (path, value) of `value` below its top level, passing over free-form data.
fn paths(value: &Value, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    let Some(map) = value.as_object() else { return };
    for (key, inner) in map {
        prefix.push(key.clone());
        out.push(prefix.clone());
        if !["metadata", "custom_attributes", "custom_metadata"].contains(&key.as_str()) {
            match inner {
                Value::Object(_) => paths(inner, prefix, out),
                Value::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        prefix.push(i.to_string());
                        paths(item, prefix, out);
                        prefix.pop();
                    }
                }
                _ => {}
            }
        }
        prefix.pop();
    }
}

/// The object holding the last step of `path`, and that step.
fn parent<'a>(
    value: &'a mut Value,
    path: &'a [String],
) -> Option<(&'a mut serde_json::Map<String, Value>, &'a str)> {
    let (last, head) = path.split_last()?;
    let mut at = value;
    for step in head {
        at = match at {
            Value::Object(map) => map.get_mut(step)?,
            Value::Array(items) => items.get_mut(step.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some((at.as_object_mut()?, last))
}

#[test]
fn every_example_decodes() {
    for case in cases() {
        assert!((case.decode)(&case.example).is_ok(), "{}", case.name);
    }
}

#[test]
fn an_optional_field_absent_null_or_empty_decodes_alike() {
    for case in cases() {
        let mut all = Vec::new();
        paths(&case.example, &mut Vec::new(), &mut all);
        for path in all {
            // A key of the record itself, or of a record in one of its lists (a detail's messages).
            let own = path.len() == 1
                || (path.len() == 3
                    && path[1].parse::<usize>().is_ok()
                    && ["messages", "transcripts", "items"].contains(&path[0].as_str()));
            let key = path[path.len() - 1].as_str();
            if own && case.required.contains(&key)
                || path.len() == 1 && case.presence_matters.contains(&key)
            {
                continue;
            }
            let variant = |f: &dyn Fn(&mut serde_json::Map<String, Value>, &str)| {
                let mut value = case.example.clone();
                let (map, key) = parent(&mut value, &path).expect("the path exists");
                f(map, key);
                (case.decode)(&value)
            };
            let absent = variant(&|m, k| {
                m.remove(k);
            });
            let null = variant(&|m, k| {
                m.insert(k.into(), Value::Null);
            });
            let empty = variant(&|m, k| {
                m.insert(k.into(), json!(""));
            });
            let at = path.join(".");
            assert!(absent.is_ok(), "{}: without {at}: {absent:?}", case.name);
            assert_eq!(absent, null, "{}: {at} absent vs null", case.name);
            assert_eq!(absent, empty, "{}: {at} absent vs empty string", case.name);
        }
    }
}

#[test]
fn values_never_seen_decode_and_show_as_text() {
    let cases: [(Value, &[&str], Decode); 7] = [
        (ap_message(), &["status"], |v| {
            shown(agentphone::wire::message(v))
        }),
        (ap_message(), &["channel"], |v| {
            shown(agentphone::wire::message(v))
        }),
        (ap_call(), &["status"], |v| shown(agentphone::wire::call(v))),
        (ar_session(), &["channel"], |v| {
            shown(anyreach::wire::detail(v))
        }),
        (ar_session(), &["conversation", "items", "0", "type"], |v| {
            shown(anyreach::wire::detail(v))
        }),
        (cw_conversation(), &["status"], |v| {
            shown(chatwoot::wire::conversation(v))
        }),
        (cw_conversation(), &["priority"], |v| {
            shown(chatwoot::wire::conversation(v))
        }),
    ];
    for (example, path, decode) in cases {
        let mut value = example.clone();
        let path: Vec<String> = path.iter().map(|s| (*s).to_owned()).collect();
        let (map, key) = parent(&mut value, &path).unwrap();
        map.insert(key.into(), json!("brand_new_value"));
        let got = decode(&value).unwrap_or_else(|e| panic!("{path:?}: {e:?}"));
        assert!(got.contains("brand_new_value"), "{path:?} not shown: {got}");
    }
    // A direction never seen is neither in nor out, and still decodes.
    let mut value = ap_message();
    value["direction"] = json!("sideways");
    assert!(agentphone::wire::message(&value).is_ok());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Each rule alone and any combination keeps every record's meaning.
    #[test]
    fn mutated_records_decode_to_the_same_value(bits in 1u8..32, seed in any::<u64>()) {
        let rules = Rules::from_bits(bits);
        for case in cases() {
            let want = (case.decode)(&case.example);
            let mut value = case.example.clone();
            mutate(&mut value, rules, &mut Rng::seeded(seed));
            prop_assert_eq!((case.decode)(&value), want, "{} with {:?}: {}", case.name, rules, value);
        }
    }
}
