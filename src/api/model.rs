//! Provider-neutral domain types: what the inbox shows.
//!
//! Designed for the three providers of `providers.md` section 4 (AgentPhone threads and calls, Anyreach
//! transcripts, Chatwoot support threads). Wire structs never leave their provider module; every provider
//! converts into these. Optional fields are `Option` because at least one provider omits them.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub use super::basics::{Direction, Timestamp};
pub use super::capabilities::{Capabilities, FilterSet, ProviderCapabilities};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            /// The id as the provider spells it.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self(value.to_owned())
            }
        }
    };
}

id_type!(
    /// Opaque conversation id (`conv_…` on AgentPhone; never validate prefixes).
    ConversationId
);
id_type!(
    /// Opaque message id, unique across a provider account.
    MessageId
);
id_type!(
    /// Opaque call id.
    CallId
);

/// One person (or bot) taking part in a conversation.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Participant {
    /// Phone number in E.164, an email address (iMessage), or a provider id.
    pub address: String,
    /// Display name when the provider or the address book knows one.
    pub name: Option<String>,
}

/// Who the conversation is with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Counterparty {
    /// A 1:1 thread.
    Person(Participant),
    /// A group chat (iMessage group on AgentPhone). Replies go to `id`, never to a member.
    Group {
        id: String,
        name: Option<String>,
        members: Vec<Participant>,
    },
}

impl Counterparty {
    /// The address a reply must be sent to: the participant, or the group id for groups.
    pub fn reply_address(&self) -> &str {
        match self {
            Self::Person(p) => &p.address,
            Self::Group { id, .. } => id,
        }
    }
}

/// A conversation's free-form metadata: a JSON object, or none at all.
///
/// AgentPhone replaces the whole object on update and clears it with `null`; Chatwoot's
/// `custom_attributes` behave the same. There is no merge.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Metadata(pub Option<Map<String, Value>>);

impl Metadata {
    /// The value of a top-level key rendered as short text (strings unquoted), if present.
    pub fn field_text(&self, key: &str) -> Option<String> {
        let value = self.0.as_ref()?.get(key)?;
        match value {
            Value::Null => None,
            Value::String(s) => Some(s.clone()),
            other => Some(other.to_string()),
        }
    }

    /// True when there is no object (cleared), which is different from an empty object.
    pub fn is_none(&self) -> bool {
        self.0.is_none()
    }

    /// Pretty-printed JSON for the editor; empty text means "no metadata".
    pub fn to_pretty_json(&self) -> String {
        match &self.0 {
            None => String::new(),
            Some(map) => serde_json::to_string_pretty(map).unwrap_or_default(),
        }
    }
}

/// A conversation as the list shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Conversation {
    pub id: ConversationId,
    pub counterparty: Counterparty,
    /// Our number (the line the customer texts).
    pub our_number: Option<String>,
    /// Provider id of our number; replies are sent from it.
    pub our_number_id: Option<String>,
    /// The AI agent attached to the thread, if any.
    pub agent_id: Option<String>,
    /// Channel of the thread when the provider reports one (`sms`, `imessage`, …).
    pub channel: Option<String>,
    pub last_activity_at: Option<Timestamp>,
    /// One-line preview of the latest message; `None` when the provider sends null (media-only).
    pub preview: Option<String>,
    pub message_count: Option<u64>,
    pub metadata: Metadata,
    pub created_at: Option<Timestamp>,
    /// Unread count when the provider tracks it (Chatwoot); AgentPhone leaves this to us.
    pub unread_count: Option<u32>,
    pub capabilities: Capabilities,
    /// The facts of an AI session (Anyreach), shown instead of editable metadata.
    #[serde(default)]
    pub session: Option<Box<super::session::SessionFacts>>,
    /// The support-desk triage state (Chatwoot): status, priority, assignee, labels.
    #[serde(default)]
    pub desk: Option<Box<super::desk::DeskFacts>>,
}

/// Where an outbound message is on its way to the customer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DeliveryStatus {
    Queued,
    Sent,
    Delivered,
    Read,
    Failed,
    /// A status this version does not know, kept verbatim.
    Other(String),
}

impl DeliveryStatus {
    /// Parses a provider status string leniently (case-insensitive, unknown kept).
    pub fn parse(raw: &str) -> Self {
        match raw.to_ascii_lowercase().as_str() {
            "queued" | "accepted" | "pending" | "sending" => Self::Queued,
            "sent" => Self::Sent,
            "delivered" => Self::Delivered,
            "read" => Self::Read,
            "failed" | "undelivered" | "error" => Self::Failed,
            _ => Self::Other(raw.to_owned()),
        }
    }
}

/// Delivery facts of an outbound message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    pub status: DeliveryStatus,
    pub failure_reason: Option<String>,
    pub error_code: Option<String>,
    pub delivered_at: Option<Timestamp>,
    pub read_at: Option<Timestamp>,
}

/// A tapback or emoji reaction on a message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reaction {
    pub id: String,
    /// `love`, `like`, … or an emoji.
    pub kind: String,
    pub from: Option<String>,
    pub direction: Direction,
    pub at: Option<Timestamp>,
}

/// The message a reply refers to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyRef {
    pub message_id: MessageId,
    /// A short excerpt of the parent, when the provider includes one.
    pub excerpt: Option<String>,
}

/// One message in a thread.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Message {
    pub id: MessageId,
    pub direction: Direction,
    pub channel: Option<String>,
    /// The text; may be empty for media-only messages.
    pub body: String,
    pub from: Option<String>,
    pub to: Option<String>,
    /// Which member sent it, in group chats.
    pub sender: Option<Participant>,
    pub media: Vec<String>,
    pub reactions: Vec<Reaction>,
    pub reply_to: Option<ReplyRef>,
    /// Set on outbound messages when the provider reports delivery.
    pub delivery: Option<Delivery>,
    /// The message time, for both directions (AgentPhone's `receivedAt`).
    pub sent_at: Timestamp,
    /// An internal note only agents see (Chatwoot private notes).
    pub private: bool,
    /// AI transcript facts (tool calls, handoffs, interruptions, latency), when the provider has them.
    #[serde(default)]
    pub turn: Option<Box<super::session::TurnInfo>>,
}

impl Message {
    /// A message with its essentials and nothing else (no channel, parties, media, reactions,
    /// delivery or transcript facts); the `with_*` methods add the rest. Tests, fixtures and
    /// benchmarks build messages this way instead of spelling out every field.
    pub fn new(
        id: impl Into<String>,
        direction: Direction,
        body: impl Into<String>,
        sent_at: Timestamp,
    ) -> Self {
        Self {
            id: MessageId(id.into()),
            direction,
            channel: None,
            body: body.into(),
            from: None,
            to: None,
            sender: None,
            media: Vec::new(),
            reactions: Vec::new(),
            reply_to: None,
            delivery: None,
            sent_at,
            private: false,
            turn: None,
        }
    }

    #[must_use]
    pub fn with_channel(mut self, channel: impl Into<String>) -> Self {
        self.channel = Some(channel.into());
        self
    }

    #[must_use]
    pub fn with_from(mut self, from: impl Into<String>) -> Self {
        self.from = Some(from.into());
        self
    }

    #[must_use]
    pub fn with_to(mut self, to: impl Into<String>) -> Self {
        self.to = Some(to.into());
        self
    }

    #[must_use]
    pub fn with_delivery(mut self, status: DeliveryStatus) -> Self {
        self.delivery = Some(Delivery {
            status,
            failure_reason: None,
            error_code: None,
            delivered_at: None,
            read_at: None,
        });
        self
    }

    /// Thread order: by time, then by id so equal timestamps have one stable order.
    pub fn order_key(&self) -> (Timestamp, &str) {
        (self.sent_at, self.id.as_str())
    }
}

/// A conversation with its latest messages (oldest first).
#[derive(Clone, Debug, PartialEq)]
pub struct ConversationDetail {
    pub conversation: Conversation,
    pub messages: Vec<Message>,
}

/// What the provider answered to a send. The message appears in the thread on the next poll.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SentMessage {
    pub id: MessageId,
    pub status: DeliveryStatus,
    pub channel: Option<String>,
    pub conversation_id: Option<ConversationId>,
}

/// A reply to send: to the conversation's counterparty, from the conversation's own number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutgoingMessage {
    /// Participant address or group id.
    pub to: String,
    /// Our number's provider id.
    pub from_number_id: Option<String>,
    pub body: String,
    pub media_urls: Vec<String>,
    pub reply_to: Option<MessageId>,
    /// A private note only agents see (Chatwoot), not a reply to the customer.
    pub private: bool,
}

/// An address-book entry: how numbers get names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contact {
    pub id: String,
    pub address: String,
    pub name: Option<String>,
}

/// Who spoke a transcript turn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TurnRole {
    /// The caller or customer.
    User,
    /// The AI agent.
    Agent,
    /// A tool call or its output.
    Tool,
    /// System lines, handoffs.
    System,
}

/// One line of a call or AI transcript.
#[derive(Clone, Debug, PartialEq)]
pub struct TranscriptTurn {
    pub id: Option<String>,
    pub role: TurnRole,
    pub text: String,
    pub at: Option<Timestamp>,
}

impl TranscriptTurn {
    /// Identity across replays: the row id and who spoke (one row holds caller and agent turns);
    /// turns without an id are identified by their content.
    fn same_turn(&self, other: &Self) -> bool {
        self.role == other.role
            && match (&self.id, &other.id) {
                (Some(a), Some(b)) => a == b,
                (None, None) => self.at == other.at && self.text == other.text,
                _ => false,
            }
    }
}

/// Adds `turns` to a transcript in arrival order. A turn already there (same id and speaker) is
/// replaced in place, so the replay a stream sends after a reconnect never duplicates a turn.
/// Returns how many turns were new.
pub fn merge_turns(transcript: &mut Vec<TranscriptTurn>, turns: Vec<TranscriptTurn>) -> usize {
    let mut added = 0;
    for turn in turns {
        if let Some(known) = transcript.iter_mut().rev().find(|t| t.same_turn(&turn)) {
            *known = turn;
        } else {
            transcript.push(turn);
            added += 1;
        }
    }
    added
}

/// New messages since a point, as one poll found them.
#[derive(Clone, Debug, PartialEq)]
pub struct CatchUp {
    /// Oldest first, de-duplicated.
    pub messages: Vec<Message>,
    /// False when more new messages exist than one poll fetches (the thread should reload).
    pub complete: bool,
    /// Instants more messages share than the provider pages through: see [`Page::gaps`].
    pub gaps: Vec<Timestamp>,
}

/// How a transcript stream ended without an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamEnd {
    /// The server said `ended`: the call is over and every turn was sent.
    Ended,
    /// The connection closed without `ended`: reconnect to get the rest.
    Closed,
}

/// What a live transcript stream says.
#[derive(Clone, Debug, PartialEq)]
pub enum CallEvent {
    /// The stream is open (stored turns follow).
    Connected,
    /// The turns of one exchange, as stored so far (an exchange may come again, completed).
    Turns(Vec<TranscriptTurn>),
    /// A keep-alive; nothing new.
    Heartbeat,
    /// The call is over; the stream closes.
    Ended,
}

/// A voice call as the calls list shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct CallSummary {
    pub id: CallId,
    pub agent_id: Option<String>,
    pub our_number: Option<String>,
    pub from: String,
    pub to: String,
    pub direction: Option<Direction>,
    /// `completed`, `in-progress`, `failed`, … verbatim.
    pub status: String,
    pub started_at: Option<Timestamp>,
    pub ended_at: Option<Timestamp>,
    pub duration_seconds: Option<u64>,
    pub last_snippet: Option<String>,
}

impl CallSummary {
    /// The customer's number: the side of the call that is not ours.
    pub fn other_party(&self) -> &str {
        let ours_called = self.our_number.as_deref() == Some(self.from.as_str())
            || self.direction == Some(Direction::Outbound);
        if ours_called { &self.to } else { &self.from }
    }
}

/// A call with its transcript.
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    pub summary: CallSummary,
    pub agent_name: Option<String>,
    pub recording_available: bool,
    pub transcript: Vec<TranscriptTurn>,
}

/// Server-side filters of a conversation list (all optional, exact matches, dates inclusive).
/// Anyreach reads channel, status, direction and dates; Chatwoot status, assignee, inbox, label.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListFilter {
    pub channel: Option<String>,
    pub status: Option<String>,
    pub direction: Option<String>,
    pub created_after: Option<Timestamp>,
    pub created_before: Option<Timestamp>,
    /// Chatwoot: the assignee tab (`me`, `unassigned`; none is all).
    pub assignee: Option<String>,
    /// Chatwoot: one inbox.
    pub inbox: Option<u64>,
    /// Chatwoot: one label.
    pub label: Option<String>,
}

/// Conversation counts per assignee tab (Chatwoot's `conversations/meta`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TabCounts {
    pub mine: u64,
    pub unassigned: u64,
    pub assigned: u64,
    pub all: u64,
}

/// Filters for the calls list (all optional).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CallFilter {
    pub status: Option<String>,
    pub direction: Option<String>,
    /// The call's kind, `pstn` or `web` (sent as `type`).
    pub kind: Option<String>,
    pub search: Option<String>,
}

/// A position in a paged list, produced by the provider and handed back to it unchanged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cursor {
    /// Offset paging (`limit`/`offset`).
    Offset(u64),
    /// Messages at or before an instant (AgentPhone's timestamp cursor; `inclusive` re-reads the
    /// messages that share the boundary timestamp, which the caller de-duplicates by id).
    Before { at: Timestamp, inclusive: bool },
    /// Page number paging (Chatwoot).
    PageNumber(u32),
    /// Messages older than a message id (Chatwoot servers without `before_timestamp`).
    BeforeId(u64),
    /// Messages created at or before a whole second, less `seen`: the ids at that second that
    /// an earlier page returned (Chatwoot's `before_timestamp`, sent as `at + 1` since it is
    /// exclusive). `id` is the smallest id of the page the cursor came from, the `before`
    /// cursor for a server that ignores `before_timestamp`.
    BeforeSecond {
        at: Timestamp,
        seen: Vec<u64>,
        id: u64,
    },
    /// A provider token passed back verbatim (Anyreach).
    Token(String),
}

/// Where the next page comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NextPage {
    More(Cursor),
    End,
}

/// One page of a list with an explicit next cursor.
#[derive(Clone, Debug, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: NextPage,
    /// Total number of items when the provider reports it.
    pub total: Option<u64>,
    /// Instants (a message page's) that more messages share than the provider pages through:
    /// its cursors are times, so the messages at such an instant that did not fit in one page
    /// cannot be asked for. The thread marks the place; empty for lists.
    pub gaps: Vec<Timestamp>,
}
