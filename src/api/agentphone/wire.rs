//! AgentPhone's JSON shapes, read leniently, and their conversion into domain types.
//!
//! Unknown fields are ignored and optional fields may be missing or null. Required keys (`id` of
//! every item, `receivedAt` of a message) fail the whole reply, so nothing half-decoded is shown.
//! Casing differs per endpoint (`providers.md` 1.1): camel case here, snake case for sends.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use crate::api::model::{
    Call, CallId, CallSummary, Capabilities, Contact, Conversation, ConversationId, Counterparty,
    Delivery, DeliveryStatus, Direction, Message, MessageId, Metadata, Participant, Reaction,
    ReplyRef, SentMessage, Timestamp, TranscriptTurn, TurnRole,
};

/// `{data, hasMore, total}`: the list envelope.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", bound(deserialize = "T: Deserialize<'de>"))]
pub struct ListWire<T> {
    #[serde(default = "Vec::new", deserialize_with = "null_as_empty")]
    pub data: Vec<T>,
    #[serde(default)]
    pub has_more: Option<bool>,
    #[serde(default, deserialize_with = "lenient_u64")]
    pub total: Option<u64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ParticipantWire {
    #[serde(default)]
    identifier: Option<String>,
    #[serde(default)]
    name: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct CapabilitiesWire {
    #[serde(default)]
    can_send_messages: Option<bool>,
    #[serde(default)]
    send_disabled_reason: Option<String>,
    #[serde(default)]
    media: Option<bool>,
    #[serde(default)]
    reactions: Option<bool>,
    #[serde(default)]
    emoji_reactions: Option<bool>,
    #[serde(default)]
    typing: Option<bool>,
    #[serde(default)]
    send_channel: Option<String>,
}

/// A conversation: the list item and the detail share these keys.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConversationWire {
    id: String,
    #[serde(default)]
    agent_id: Option<String>,
    #[serde(default)]
    phone_number_id: Option<String>,
    #[serde(default)]
    phone_number: Option<String>,
    #[serde(default, alias = "contactNumber")]
    participant: Option<String>,
    #[serde(default)]
    is_group: Option<bool>,
    #[serde(default)]
    group_id: Option<String>,
    #[serde(default)]
    group_name: Option<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    participants: Vec<ParticipantWire>,
    #[serde(default, deserialize_with = "lenient_time")]
    last_message_at: Option<Timestamp>,
    #[serde(default)]
    last_message_preview: Option<String>,
    #[serde(default, deserialize_with = "lenient_u64")]
    message_count: Option<u64>,
    #[serde(default)]
    metadata: Option<Value>,
    #[serde(default, deserialize_with = "lenient_time")]
    created_at: Option<Timestamp>,
    #[serde(default)]
    channel: Option<String>,
    #[serde(default)]
    capabilities: Option<CapabilitiesWire>,
    /// Only in the detail and the PATCH reply.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub messages: Vec<MessageWire>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReactionWire {
    #[serde(default)]
    id: Option<String>,
    #[serde(default, alias = "reaction_type")]
    reaction_type: Option<String>,
    #[serde(default)]
    from_number: Option<String>,
    #[serde(default)]
    direction: Option<String>,
    #[serde(default, deserialize_with = "lenient_time")]
    created_at: Option<Timestamp>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplyToWire {
    message_id: String,
    #[serde(default)]
    message: Option<String>,
}

/// A message, from the conversation detail or the messages list.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MessageWire {
    id: String,
    #[serde(default)]
    body: Option<String>,
    #[serde(default, alias = "from", alias = "from_")]
    from_number: Option<String>,
    #[serde(default, alias = "to")]
    to_number: Option<String>,
    #[serde(default)]
    direction: Option<String>,
    #[serde(default)]
    sender_identifier: Option<String>,
    #[serde(default)]
    channel: Option<String>,
    #[serde(default)]
    media_url: Option<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    media_urls: Vec<String>,
    #[serde(deserialize_with = "required_time")]
    received_at: Timestamp,
    #[serde(default, deserialize_with = "null_as_empty")]
    reactions: Vec<ReactionWire>,
    #[serde(default)]
    reply_to: Option<ReplyToWire>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    failure_reason: Option<String>,
    #[serde(default, deserialize_with = "lenient_string")]
    error_code: Option<String>,
    #[serde(default, deserialize_with = "lenient_time")]
    delivered_at: Option<Timestamp>,
    #[serde(default, deserialize_with = "lenient_time")]
    read_at: Option<Timestamp>,
}

/// `POST /v1/messages` body (snake case).
#[derive(Serialize)]
pub struct SendWire<'a> {
    pub body: &'a str,
    pub to_number: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number_id: Option<&'a str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    pub media_urls: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reply_to_message_id: Option<&'a str>,
}

/// `POST /v1/messages` reply (snake case).
#[derive(Deserialize)]
pub struct SentWire {
    id: String,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    channel: Option<String>,
    #[serde(default)]
    conversation_id: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContactWire {
    id: String,
    #[serde(default)]
    phone_number: Option<String>,
    #[serde(default)]
    name: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TranscriptRowWire {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    transcript: Option<String>,
    #[serde(default)]
    response: Option<String>,
    #[serde(default, deserialize_with = "lenient_time")]
    created_at: Option<Timestamp>,
}

impl TranscriptRowWire {
    /// The row as turns: the caller's line, then the agent's reply when there is one yet.
    pub fn turns(&self) -> Vec<TranscriptTurn> {
        let turn = |role, text: &String| TranscriptTurn {
            id: self.id.clone(),
            role,
            text: text.clone(),
            at: self.created_at,
        };
        let user = self.transcript.as_ref().map(|t| turn(TurnRole::User, t));
        let agent = self.response.as_ref().map(|t| turn(TurnRole::Agent, t));
        user.into_iter().chain(agent).collect()
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CallWire {
    id: String,
    #[serde(default)]
    agent_id: Option<String>,
    #[serde(default)]
    phone_number: Option<String>,
    #[serde(default)]
    from_number: Option<String>,
    #[serde(default)]
    to_number: Option<String>,
    #[serde(default)]
    direction: Option<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default, deserialize_with = "lenient_time")]
    started_at: Option<Timestamp>,
    #[serde(default, deserialize_with = "lenient_time")]
    ended_at: Option<Timestamp>,
    #[serde(default, deserialize_with = "lenient_u64")]
    duration_seconds: Option<u64>,
    #[serde(default)]
    last_transcript_snippet: Option<String>,
    #[serde(default)]
    agent_name: Option<String>,
    #[serde(default)]
    recording_available: Option<bool>,
    #[serde(default)]
    recording_url: Option<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    transcripts: Vec<TranscriptRowWire>,
}

impl ConversationWire {
    /// The domain conversation (the embedded messages are converted separately).
    pub fn to_domain(&self) -> Conversation {
        Conversation {
            id: ConversationId(self.id.clone()),
            counterparty: self.counterparty(),
            our_number: self.phone_number.clone(),
            our_number_id: self.phone_number_id.clone(),
            agent_id: self.agent_id.clone(),
            channel: self.channel.clone(),
            last_activity_at: self.last_message_at,
            preview: self.last_message_preview.clone(),
            message_count: self.message_count,
            metadata: Metadata(self.metadata.as_ref().and_then(Value::as_object).cloned()),
            created_at: self.created_at,
            unread_count: None,
            session: None,
            desk: None,
            capabilities: self
                .capabilities
                .as_ref()
                .map_or_else(Capabilities::default, |c| {
                    c.to_domain(self.channel.as_deref())
                }),
        }
    }

    fn counterparty(&self) -> Counterparty {
        let members = self
            .participants
            .iter()
            .filter_map(|p| {
                Some(Participant {
                    address: p.identifier.clone()?,
                    name: p.name.clone(),
                })
            })
            .collect::<Vec<_>>();
        if self.is_group.unwrap_or(false) || self.group_id.is_some() {
            return Counterparty::Group {
                id: self
                    .group_id
                    .clone()
                    .or_else(|| self.participant.clone())
                    .unwrap_or_default(),
                name: self.group_name.clone(),
                members,
            };
        }
        let address = self.participant.clone().unwrap_or_default();
        let name = members
            .iter()
            .find(|m| m.address == address)
            .and_then(|m| m.name.clone());
        Counterparty::Person(Participant { address, name })
    }
}

impl CapabilitiesWire {
    /// Sending is disabled when the capability is absent (the SDK's rule, `providers.md` 6.7).
    fn to_domain(&self, channel: Option<&str>) -> Capabilities {
        let imessage = self
            .send_channel
            .as_deref()
            .or(channel)
            .is_some_and(|c| c.eq_ignore_ascii_case("imessage"));
        Capabilities {
            can_send: self.can_send_messages.unwrap_or(false),
            send_disabled_reason: self.send_disabled_reason.clone(),
            typing: self.typing.unwrap_or(imessage),
            reactions: self.reactions.or(self.emoji_reactions).unwrap_or(false),
            media: self.media.unwrap_or(false),
            edit_metadata: true,
        }
    }
}

impl MessageWire {
    pub fn to_domain(&self) -> Message {
        let direction = parse_direction(self.direction.as_deref());
        let mut media = self.media_urls.clone();
        if let Some(single) = &self.media_url
            && !media.contains(single)
        {
            media.insert(0, single.clone());
        }
        Message {
            id: MessageId(self.id.clone()),
            direction,
            channel: self.channel.clone(),
            body: self.body.clone().unwrap_or_default(),
            from: self.from_number.clone(),
            to: self.to_number.clone(),
            sender: self.sender_identifier.as_ref().map(|s| Participant {
                address: s.clone(),
                name: None,
            }),
            media,
            reactions: self.reactions.iter().map(ReactionWire::to_domain).collect(),
            reply_to: self.reply_to.as_ref().map(|r| ReplyRef {
                message_id: MessageId(r.message_id.clone()),
                excerpt: r.message.clone(),
            }),
            delivery: self.delivery(direction),
            sent_at: self.received_at,
            private: false,
            turn: None,
        }
    }

    fn delivery(&self, direction: Direction) -> Option<Delivery> {
        let status = match (&self.status, direction) {
            (Some(s), _) => DeliveryStatus::parse(s),
            (None, _) if self.failure_reason.is_some() => DeliveryStatus::Failed,
            (None, _) => return None,
        };
        Some(Delivery {
            status,
            failure_reason: self.failure_reason.clone(),
            error_code: self.error_code.clone(),
            delivered_at: self.delivered_at,
            read_at: self.read_at,
        })
    }
}

impl ReactionWire {
    fn to_domain(&self) -> Reaction {
        Reaction {
            id: self.id.clone().unwrap_or_default(),
            kind: self.reaction_type.clone().unwrap_or_else(|| "?".into()),
            from: self.from_number.clone(),
            direction: parse_direction(self.direction.as_deref()),
            at: self.created_at,
        }
    }
}

impl SentWire {
    pub fn to_domain(&self) -> SentMessage {
        SentMessage {
            id: MessageId(self.id.clone()),
            status: DeliveryStatus::parse(self.status.as_deref().unwrap_or("sent")),
            channel: self.channel.clone(),
            conversation_id: self.conversation_id.clone().map(ConversationId),
        }
    }
}

impl ContactWire {
    /// `None` for an entry without a phone number (nothing to match a thread against).
    pub fn to_domain(&self) -> Option<Contact> {
        Some(Contact {
            id: self.id.clone(),
            address: self.phone_number.clone()?,
            name: self.name.clone(),
        })
    }
}

impl CallWire {
    pub fn summary(&self) -> CallSummary {
        CallSummary {
            id: CallId(self.id.clone()),
            agent_id: self.agent_id.clone(),
            our_number: self.phone_number.clone(),
            from: self.from_number.clone().unwrap_or_default(),
            to: self.to_number.clone().unwrap_or_default(),
            direction: self.direction.as_deref().map(|d| parse_direction(Some(d))),
            status: self.status.clone().unwrap_or_else(|| "unknown".into()),
            started_at: self.started_at,
            ended_at: self.ended_at,
            duration_seconds: self.duration_seconds,
            last_snippet: self.last_transcript_snippet.clone(),
        }
    }

    /// One transcript row is one exchange: the caller's line, then the agent's reply.
    pub fn to_domain(&self) -> Call {
        let transcript = self
            .transcripts
            .iter()
            .flat_map(TranscriptRowWire::turns)
            .collect();
        Call {
            summary: self.summary(),
            agent_name: self.agent_name.clone(),
            recording_available: self
                .recording_available
                .unwrap_or(self.recording_url.is_some()),
            transcript,
        }
    }
}

fn parse_direction(raw: Option<&str>) -> Direction {
    match raw.map(str::to_ascii_lowercase).as_deref() {
        Some("inbound" | "incoming" | "in") => Direction::Inbound,
        Some("outbound" | "outgoing" | "out") => Direction::Outbound,
        _ => Direction::System,
    }
}

/// Parses RFC 3339 (any offset) or a naive ISO timestamp taken as UTC.
pub fn parse_time(raw: &str) -> Option<Timestamp> {
    if let Ok(t) = DateTime::parse_from_rfc3339(raw) {
        return Some(t.with_timezone(&Utc));
    }
    ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"]
        .iter()
        .find_map(|fmt| NaiveDateTime::parse_from_str(raw, fmt).ok())
        .map(|naive| naive.and_utc())
}

fn lenient_time<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Timestamp>, D::Error> {
    let raw: Option<Value> = Option::deserialize(d)?;
    Ok(raw.as_ref().and_then(Value::as_str).and_then(parse_time))
}

fn required_time<'de, D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
    let raw = String::deserialize(d)?;
    parse_time(&raw).ok_or_else(|| serde::de::Error::custom(format!("bad timestamp {raw:?}")))
}

fn lenient_u64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    let raw: Option<Value> = Option::deserialize(d)?;
    Ok(raw.and_then(|v| match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }))
}

fn lenient_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let raw: Option<Value> = Option::deserialize(d)?;
    Ok(raw.and_then(|v| match v {
        Value::Null => None,
        Value::String(s) => Some(s),
        other => Some(other.to_string()),
    }))
}

fn null_as_empty<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_documented_list_example() {
        let json = r#"{"data":[{"id":"conv_def456","agentId":"agt_abc123","phoneNumberId":"num_xyz789",
            "phoneNumber":"+15551234567","participant":"+15559876543","lastMessageAt":"2025-01-15T12:00:00Z",
            "lastMessagePreview":"Thanks for your help!","messageCount":8,
            "metadata":{"customerName":"Jane Doe","orderId":"ORD-12345"},"createdAt":"2025-01-15T11:30:00Z"}],
            "hasMore":false,"total":1}"#;
        let list: ListWire<ConversationWire> = serde_json::from_str(json).unwrap();
        let conv = list.data[0].to_domain();
        assert_eq!(conv.id.as_str(), "conv_def456");
        assert_eq!(conv.counterparty.reply_address(), "+15559876543");
        assert_eq!(
            conv.metadata.field_text("orderId").as_deref(),
            Some("ORD-12345")
        );
        assert_eq!(conv.message_count, Some(8));
        assert_eq!(list.total, Some(1));
        // No capabilities object: the permissive default.
        assert!(conv.capabilities.can_send);
    }

    #[test]
    fn message_aliases_and_nulls_are_accepted() {
        let json = r#"{"id":"m1","from":"+1","to":"+2","receivedAt":"2025-01-15T11:30:00.5+02:00",
            "mediaUrls":null,"reactions":null,"mediaUrl":"https://x/1.jpg","body":null,"extra":{"x":1}}"#;
        let msg: MessageWire = serde_json::from_str(json).unwrap();
        let msg = msg.to_domain();
        assert_eq!(msg.from.as_deref(), Some("+1"));
        assert_eq!(msg.body, "");
        assert_eq!(msg.media, vec!["https://x/1.jpg".to_string()]);
        assert_eq!(msg.sent_at.to_rfc3339(), "2025-01-15T09:30:00.500+00:00");
    }

    #[test]
    fn a_message_without_its_time_is_refused() {
        assert!(serde_json::from_str::<MessageWire>(r#"{"id":"m1","body":"x"}"#).is_err());
        assert!(
            serde_json::from_str::<MessageWire>(r#"{"id":"m1","receivedAt":"yesterday"}"#).is_err()
        );
    }

    #[test]
    fn naive_timestamps_are_utc() {
        let t = parse_time("2025-01-15T11:30:00").unwrap();
        assert_eq!(t.to_rfc3339(), "2025-01-15T11:30:00+00:00");
    }

    #[test]
    fn a_call_row_becomes_two_turns() {
        let json = r#"{"id":"call_1","fromNumber":"+1","toNumber":"+2","status":"completed",
            "transcripts":[{"id":"t1","transcript":"hi","response":"hello","createdAt":"2025-01-15T11:30:00Z"},
                           {"id":"t2","transcript":"bye","response":null}]}"#;
        let call: CallWire = serde_json::from_str(json).unwrap();
        let call = call.to_domain();
        let roles: Vec<TurnRole> = call.transcript.iter().map(|t| t.role).collect();
        assert_eq!(roles, [TurnRole::User, TurnRole::Agent, TurnRole::User]);
    }

    mod fuzz {
        use super::super::*;
        use proptest::prelude::*;

        /// Keys the decoders look at, so generated objects hit the real code paths.
        const KEYS: [&str; 24] = [
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
        ];

        fn json_value() -> impl Strategy<Value = Value> {
            let leaf = prop_oneof![
                Just(Value::Null),
                any::<bool>().prop_map(Value::Bool),
                any::<i64>().prop_map(Value::from),
                any::<f64>().prop_map(
                    |f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
                ),
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

        fn decode_all(bytes: &[u8]) {
            if let Ok(list) = serde_json::from_slice::<ListWire<ConversationWire>>(bytes) {
                for c in &list.data {
                    let _ = c.to_domain();
                    let _: Vec<Message> = c.messages.iter().map(MessageWire::to_domain).collect();
                }
            }
            if let Ok(list) = serde_json::from_slice::<ListWire<MessageWire>>(bytes) {
                let _: Vec<Message> = list.data.iter().map(MessageWire::to_domain).collect();
            }
            if let Ok(call) = serde_json::from_slice::<CallWire>(bytes) {
                let _ = call.to_domain();
            }
            if let Ok(sent) = serde_json::from_slice::<SentWire>(bytes) {
                let _ = sent.to_domain();
            }
            let _ = crate::api::error::ErrorBody::parse(bytes);
        }

        proptest! {
            #[test]
            fn decoders_never_panic_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
                decode_all(&bytes);
            }

            #[test]
            fn decoders_never_panic_on_json(value in json_value()) {
                decode_all(value.to_string().as_bytes());
                let wrapped = serde_json::json!({"data": [value.clone()], "hasMore": true});
                decode_all(wrapped.to_string().as_bytes());
            }
        }
    }
}
