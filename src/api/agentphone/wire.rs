//! AgentPhone's JSON shapes, read one record at a time ([`crate::api::lenient`]), and their
//! conversion into domain types.
//!
//! The envelope (`data`, `hasMore`, `total`) is read first; then each record alone, so one odd
//! record never fails its page. Only an id (and a message's `receivedAt`) is required. Casing
//! differs per endpoint (`providers.md` 1.1): camel case here, snake case for sends. Older or
//! other key names are read after the current one (`participant`, then the legacy
//! `contactNumber` the Python SDK falls back to), never through serde's `alias`.

use serde::Serialize;
use serde_json::Value;

use crate::api::lenient::{Record, RecordKind, Records, Unreadable, list_at, records};
use crate::api::model::{
    Call, CallId, CallSummary, Capabilities, Contact, Conversation, ConversationId, Counterparty,
    Delivery, DeliveryStatus, Direction, Message, MessageId, Metadata, Participant, Reaction,
    ReplyRef, SentMessage, TranscriptTurn, TurnRole,
};

/// The list envelope `{data, hasMore, total}` (a bare array is read as `data`).
pub struct Envelope<'a> {
    pub data: &'a [Value],
    pub has_more: Option<bool>,
    pub total: Option<u64>,
}

/// Reads the list envelope; its records are read separately.
pub fn envelope(value: &Value) -> Result<Envelope<'_>, Unreadable> {
    if let Value::Array(items) = value {
        return Ok(Envelope {
            data: items,
            has_more: None,
            total: None,
        });
    }
    let record = Record::new(value)?;
    Ok(Envelope {
        data: list_at(value, "data")?,
        has_more: record.flag("hasMore").or_else(|| record.flag("has_more")),
        total: record.uint("total"),
    })
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

/// A conversation: the list item and the detail share these keys.
pub fn conversation(value: &Value) -> Result<Conversation, Unreadable> {
    let r = Record::new(value)?;
    let channel = r.text("channel");
    Ok(Conversation {
        id: ConversationId(r.id()?),
        counterparty: counterparty(r),
        our_number: r.text("phoneNumber"),
        our_number_id: r.text("phoneNumberId"),
        agent_id: r.text("agentId"),
        last_activity_at: r.time("lastMessageAt"),
        preview: r.text("lastMessagePreview"),
        message_count: r.uint("messageCount"),
        metadata: Metadata(r.map("metadata").cloned()),
        created_at: r.time("createdAt"),
        unread_count: None,
        session: None,
        desk: None,
        capabilities: r
            .object("capabilities")
            .map_or_else(Capabilities::default, |c| {
                capabilities(c, channel.as_deref())
            }),
        channel,
    })
}

/// A conversation detail (or the PATCH reply): the conversation and its embedded messages.
pub fn detail(value: &Value) -> Result<(Conversation, Records<Message>), Unreadable> {
    let conversation = conversation(value)?;
    let messages = records(
        Record::new(value)?.list("messages"),
        RecordKind::Message,
        message,
    );
    Ok((conversation, messages))
}

fn counterparty(r: Record<'_>) -> Counterparty {
    let members: Vec<Participant> = r
        .list("participants")
        .iter()
        .filter_map(Record::of)
        .filter_map(|p| {
            Some(Participant {
                address: p.text("identifier")?,
                name: p.text("name"),
            })
        })
        .collect();
    let participant = r.text_of(&["participant", "contactNumber"]);
    let group_id = r.text("groupId");
    if r.flag("isGroup").unwrap_or(false) || group_id.is_some() {
        return Counterparty::Group {
            id: group_id.or(participant).unwrap_or_default(),
            name: r.text("groupName"),
            members,
        };
    }
    let address = participant.unwrap_or_default();
    let name = members
        .iter()
        .find(|m| m.address == address)
        .and_then(|m| m.name.clone());
    Counterparty::Person(Participant { address, name })
}

/// Sending is disabled when the capability is absent (the SDK's rule, `providers.md` 6.7).
fn capabilities(c: Record<'_>, channel: Option<&str>) -> Capabilities {
    let imessage = c
        .text("sendChannel")
        .as_deref()
        .or(channel)
        .is_some_and(|c| c.eq_ignore_ascii_case("imessage"));
    Capabilities {
        can_send: c.flag("canSendMessages").unwrap_or(false),
        send_disabled_reason: c.text("sendDisabledReason"),
        typing: c.flag("typing").unwrap_or(imessage),
        reactions: c
            .flag("reactions")
            .or_else(|| c.flag("emojiReactions"))
            .unwrap_or(false),
        media: c.flag("media").unwrap_or(false),
        edit_metadata: true,
    }
}

/// A message, from the conversation detail or the messages list. Needs `id` and `receivedAt`.
pub fn message(value: &Value) -> Result<Message, Unreadable> {
    let r = Record::new(value)?;
    let id = r.id()?;
    let sent_at = r.required_time("receivedAt")?;
    let direction = parse_direction(r.text("direction").as_deref());
    let mut media = r.strings("mediaUrls");
    if let Some(single) = r.text("mediaUrl")
        && !media.contains(&single)
    {
        media.insert(0, single);
    }
    Ok(Message {
        id: MessageId(id),
        direction,
        channel: r.text("channel"),
        body: r.text("body").unwrap_or_default(),
        from: r.text_of(&["fromNumber", "from", "from_"]),
        to: r.text_of(&["toNumber", "to"]),
        sender: r.text("senderIdentifier").map(|address| Participant {
            address,
            name: None,
        }),
        media,
        reactions: r
            .list("reactions")
            .iter()
            .filter_map(Record::of)
            .map(reaction)
            .collect(),
        reply_to: r.object("replyTo").and_then(|reply| {
            Some(ReplyRef {
                message_id: MessageId(reply.text("messageId")?),
                excerpt: reply.text("message"),
            })
        }),
        delivery: delivery(r),
        sent_at,
        private: false,
        turn: None,
    })
}

fn delivery(r: Record<'_>) -> Option<Delivery> {
    let failure_reason = r.text("failureReason");
    let status = match r.text("status") {
        Some(s) => DeliveryStatus::parse(&s),
        None if failure_reason.is_some() => DeliveryStatus::Failed,
        None => return None,
    };
    Some(Delivery {
        status,
        failure_reason,
        error_code: r.text("errorCode"),
        delivered_at: r.time("deliveredAt"),
        read_at: r.time("readAt"),
    })
}

fn reaction(r: Record<'_>) -> Reaction {
    Reaction {
        id: r.text("id").unwrap_or_default(),
        kind: r
            .text_of(&["reactionType", "reaction_type", "reaction"])
            .unwrap_or_else(|| "?".into()),
        from: r.text_of(&["fromNumber", "from"]),
        direction: parse_direction(r.text("direction").as_deref()),
        at: r.time("createdAt"),
    }
}

/// `POST /v1/messages` reply (snake case). Stricter than a list record: a send whose reply is
/// doubtful is better checked in the thread (its outcome unknown) than taken as sent, so the
/// documented `status` is required beside the id.
pub fn sent(value: &Value) -> Result<SentMessage, Unreadable> {
    let r = Record::new(value)?;
    let id = r.id()?;
    let status = r.required_text("status")?;
    Ok(SentMessage {
        id: MessageId(id),
        status: DeliveryStatus::parse(&status),
        channel: r.text("channel"),
        conversation_id: r
            .text_of(&["conversation_id", "conversationId"])
            .map(ConversationId),
    })
}

/// An address-book entry; `None` for one without a phone number (nothing to match a thread).
pub fn contact(value: &Value) -> Result<Option<Contact>, Unreadable> {
    let r = Record::new(value)?;
    let id = r.id()?;
    Ok(r.text_of(&["phoneNumber", "phone_number"])
        .map(|address| Contact {
            id,
            address,
            name: r.text("name"),
        }))
}

/// One transcript row as turns: the caller's line, then the agent's reply when there is one yet.
/// A row with neither (a turn not transcribed yet) has no turns; only a row that is not an
/// object is unreadable.
pub fn transcript_row(value: &Value) -> Result<Vec<TranscriptTurn>, Unreadable> {
    let r = Record::new(value)?;
    let (user, agent) = (r.text("transcript"), r.text("response"));
    let (id, at) = (r.text("id"), r.time("createdAt"));
    let turn = |role, text: String| TranscriptTurn {
        id: id.clone(),
        role,
        text,
        at,
    };
    Ok(user
        .map(|t| turn(TurnRole::User, t))
        .into_iter()
        .chain(agent.map(|t| turn(TurnRole::Agent, t)))
        .collect())
}

/// A call as the list shows it.
pub fn call_summary(value: &Value) -> Result<CallSummary, Unreadable> {
    let r = Record::new(value)?;
    Ok(CallSummary {
        id: CallId(r.id()?),
        agent_id: r.text("agentId"),
        our_number: r.text("phoneNumber"),
        from: r.text("fromNumber").unwrap_or_default(),
        to: r.text("toNumber").unwrap_or_default(),
        direction: r.text("direction").map(|d| parse_direction(Some(&d))),
        status: r.text("status").unwrap_or_else(|| "unknown".into()),
        started_at: r.time("startedAt"),
        ended_at: r.time("endedAt"),
        duration_seconds: r.uint("durationSeconds"),
        last_snippet: r.text("lastTranscriptSnippet"),
    })
}

/// One call with its transcript: one row is one exchange, caller then agent. Unreadable rows are
/// skipped (returned apart).
pub fn call(value: &Value) -> Result<(Call, Records<Vec<TranscriptTurn>>), Unreadable> {
    let summary = call_summary(value)?;
    let r = Record::new(value)?;
    let rows = records(r.list("transcripts"), RecordKind::Turn, transcript_row);
    let call = Call {
        summary,
        agent_name: r.text("agentName"),
        recording_available: r
            .flag("recordingAvailable")
            .unwrap_or_else(|| r.text("recordingUrl").is_some()),
        transcript: rows.items.iter().flatten().cloned().collect(),
    };
    Ok((call, rows))
}

fn parse_direction(raw: Option<&str>) -> Direction {
    match raw.map(str::to_ascii_lowercase).as_deref() {
        Some("inbound" | "incoming" | "in") => Direction::Inbound,
        Some("outbound" | "outgoing" | "out") => Direction::Outbound,
        _ => Direction::System,
    }
}

#[cfg(test)]
mod tests;
