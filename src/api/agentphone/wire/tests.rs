use super::*;
use crate::api::lenient::parse_time;

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

#[test]
fn reads_the_documented_list_example() {
    let value = json(
        r#"{"data":[{"id":"conv_def456","agentId":"agt_abc123","phoneNumberId":"num_xyz789",
        "phoneNumber":"+15551234567","participant":"+15559876543","lastMessageAt":"2025-01-15T12:00:00Z",
        "lastMessagePreview":"Thanks for your help!","messageCount":8,
        "metadata":{"customerName":"Jane Doe","orderId":"ORD-12345"},"createdAt":"2025-01-15T11:30:00Z"}],
        "hasMore":false,"total":1}"#,
    );
    let list = envelope(&value).unwrap();
    let conv = conversation(&list.data[0]).unwrap();
    assert_eq!(conv.id.as_str(), "conv_def456");
    assert_eq!(conv.counterparty.reply_address(), "+15559876543");
    assert_eq!(
        conv.metadata.field_text("orderId").as_deref(),
        Some("ORD-12345")
    );
    assert_eq!(conv.message_count, Some(8));
    assert_eq!(list.total, Some(1));
    assert_eq!(list.has_more, Some(false));
    // No capabilities object: the permissive default.
    assert!(conv.capabilities.can_send);
}

#[test]
fn participant_and_its_legacy_name_together_decode_and_the_current_name_wins() {
    let both = json(r#"{"id":"c1","participant":"+1555","contactNumber":"+1999"}"#);
    let legacy = json(r#"{"id":"c1","contactNumber":"+1999"}"#);
    assert_eq!(
        conversation(&both).unwrap().counterparty.reply_address(),
        "+1555"
    );
    assert_eq!(
        conversation(&legacy).unwrap().counterparty.reply_address(),
        "+1999"
    );
}

#[test]
fn message_alternative_names_and_nulls_are_accepted() {
    let value = json(
        r#"{"id":"m1","from":"+1","to":"+2","receivedAt":"2025-01-15T11:30:00.5+02:00",
        "mediaUrls":null,"reactions":null,"mediaUrl":"https://x/1.jpg","body":null,"extra":{"x":1}}"#,
    );
    let msg = message(&value).unwrap();
    assert_eq!(msg.from.as_deref(), Some("+1"));
    assert_eq!(msg.body, "");
    assert_eq!(msg.media, vec!["https://x/1.jpg".to_string()]);
    assert_eq!(msg.sent_at.to_rfc3339(), "2025-01-15T09:30:00.500+00:00");
}

#[test]
fn a_message_without_its_time_is_unreadable_and_says_where() {
    let err = message(&json(r#"{"id":"m1","body":"x"}"#)).unwrap_err();
    assert_eq!(err.path, ".receivedAt");
    let err = message(&json(r#"{"id":"m1","receivedAt":"yesterday"}"#)).unwrap_err();
    assert!(err.problem.contains("not a time"), "{err:?}");
}

#[test]
fn one_bad_message_in_a_detail_leaves_the_others() {
    let value = json(
        r#"{"id":"c1","participant":"+1","messages":[
            {"id":"m1","receivedAt":"2025-01-15T11:30:00Z"},
            {"id":"m2"},
            {"id":"m3","receivedAt":"2025-01-15T11:31:00Z"}]}"#,
    );
    let (_, messages) = detail(&value).unwrap();
    let ids: Vec<&str> = messages.items.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["m1", "m3"]);
    assert_eq!(messages.skipped[0].id.as_deref(), Some("m2"));
    assert_eq!(messages.skipped[0].path, "[1].receivedAt");
}

#[test]
fn naive_timestamps_are_utc() {
    let t = parse_time("2025-01-15T11:30:00").unwrap();
    assert_eq!(t.to_rfc3339(), "2025-01-15T11:30:00+00:00");
}

#[test]
fn a_call_row_becomes_two_turns() {
    let value = json(
        r#"{"id":"call_1","fromNumber":"+1","toNumber":"+2","status":"completed",
        "transcripts":[{"id":"t1","transcript":"hi","response":"hello","createdAt":"2025-01-15T11:30:00Z"},
                       {"id":"t2","transcript":"bye","response":null},
                       {"id":"t3"}, "not a row"]}"#,
    );
    let (call, rows) = call(&value).unwrap();
    let roles: Vec<TurnRole> = call.transcript.iter().map(|t| t.role).collect();
    assert_eq!(roles, [TurnRole::User, TurnRole::Agent, TurnRole::User]);
    assert_eq!(rows.skipped.len(), 1);
}

#[test]
fn an_envelope_whose_data_is_not_a_list_is_unreadable() {
    assert!(envelope(&json(r#"{"data":"oops"}"#)).is_err());
    assert!(envelope(&json(r#""oops""#)).is_err());
    assert!(envelope(&json(r"[]")).unwrap().data.is_empty());
}

mod fuzz {
    use super::super::*;
    use proptest::prelude::*;

    /// Keys the decoders look at, so generated objects hit the real code paths.
    const KEYS: [&str; 25] = [
        "id",
        "data",
        "hasMore",
        "total",
        "body",
        "receivedAt",
        "direction",
        "mediaUrls",
        "mediaUrl",
        "reactions",
        "replyTo",
        "messageId",
        "participants",
        "identifier",
        "metadata",
        "lastMessageAt",
        "capabilities",
        "canSendMessages",
        "status",
        "failureReason",
        "transcripts",
        "transcript",
        "isGroup",
        "messages",
        "contactNumber",
    ];

    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<f64>()
                .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
            "\\PC{0,12}".prop_map(Value::String),
            Just(Value::String("2025-01-15T12:00:00Z".into())),
            Just(Value::String("inbound".into())),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::vec((prop::sample::select(&KEYS[..]), inner), 0..6).prop_map(
                    |pairs| Value::Object(
                        pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
                    )
                ),
            ]
        })
    }

    fn decode_all(value: &Value) {
        if let Ok(list) = envelope(value) {
            for record in list.data {
                let _ = conversation(record);
                let _ = detail(record);
                let _ = message(record);
                let _ = contact(record);
                let _ = call(record);
            }
        }
        let _ = sent(value);
        let _ = transcript_row(value);
    }

    proptest! {
        #[test]
        fn decoders_never_panic_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
            if let Ok(value) = serde_json::from_slice::<Value>(&bytes) {
                decode_all(&value);
            }
            let _ = crate::api::error::ErrorBody::parse(&bytes);
        }

        #[test]
        fn decoders_never_panic_on_json(value in json_value()) {
            decode_all(&value);
            let wrapped = serde_json::json!({"data": [value.clone()], "hasMore": true});
            decode_all(&wrapped);
        }
    }
}
