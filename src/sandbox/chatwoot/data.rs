//! The desk's data and its JSON.

use chrono::TimeDelta;
use serde_json::{Value, json};

use super::super::world::Time;
use crate::rng::Rng;

/// The access token the sandbox accepts (agent "Dana", user id 1).
pub const TOKEN: &str = "cw_sandbox_token";
pub const ACCOUNT: u64 = 1;
pub const INBOXES: [(u64, &str, &str); 3] = [
    (1, "Website", "Channel::WebWidget"),
    (2, "WhatsApp", "Channel::Whatsapp"),
    (3, "Support email", "Channel::Email"),
];
pub const AGENTS: [(u64, &str); 3] = [(1, "Dana"), (2, "Eli"), (3, "Femi")];
const LABELS: [&str; 4] = ["billing", "shipping", "vip", "bug"];
const STATUSES: [&str; 4] = ["open", "pending", "snoozed", "resolved"];
/// The conversation with the long history (display id).
pub const LONG: u64 = 3;

#[derive(Clone, Debug)]
pub struct MsgRec {
    pub id: u64,
    pub kind: u64,
    pub private: bool,
    pub content: String,
    pub at: i64,
    pub sender: Option<(u64, String, &'static str)>,
    pub attachment: Option<String>,
    pub status: &'static str,
    pub error: Option<String>,
}

#[derive(Clone, Debug)]
pub struct ConvRec {
    pub id: u64,
    pub inbox: u64,
    pub contact: (u64, String, String),
    /// The public API's contact identifier (contact-inbox source id).
    pub source_id: String,
    pub status: String,
    pub priority: Option<String>,
    pub assignee: Option<u64>,
    pub labels: Vec<String>,
    pub custom: Value,
    pub snoozed_until: Option<i64>,
    pub messages: Vec<MsgRec>,
}

/// Account 1's conversations, newest activity first when listed.
#[derive(Clone, Debug)]
pub struct Desk {
    pub conversations: Vec<ConvRec>,
    pub next_message: u64,
}

impl Desk {
    pub fn generate(seed: u64, now: Time, count: usize) -> Self {
        let mut rng = Rng::seeded(seed ^ 0xC4A7);
        let mut desk = Self {
            conversations: Vec::new(),
            next_message: 1000,
        };
        for i in 0..count {
            desk.conversation(&mut rng, i, now);
        }
        desk
    }

    fn conversation(&mut self, rng: &mut Rng, i: usize, now: Time) {
        let id = u64::try_from(i).unwrap_or(0) + 1;
        let inbox = INBOXES[i % INBOXES.len()].0;
        let name = ["Ada Park", "Bo Chen", "Cleo Diaz", "Dev Rao", "Eva Holm"][i % 5];
        let contact = (id + 500, name.to_owned(), format!("+1415555{:04}", 100 + i));
        let last = now - TimeDelta::minutes(i64::try_from(i * 37 + 2).unwrap_or(0));
        let count = if id == LONG { 230 } else { 3 + rng.index(12) };
        let mut conv = ConvRec {
            id,
            inbox,
            source_id: format!("src-{:08x}", rng.next_u64() & 0xFFFF_FFFF),
            contact,
            status: STATUSES[rng.index(STATUSES.len())].to_owned(),
            priority: [None, Some("high"), Some("urgent"), Some("low")][rng.index(4)]
                .map(str::to_owned),
            assignee: [None, Some(1), Some(2), Some(3)][rng.index(4)],
            labels: LABELS
                .iter()
                .filter(|_| rng.chance(250))
                .map(|l| (*l).to_owned())
                .collect(),
            custom: if rng.chance(500) {
                json!({"plan": "pro", "order": format!("ORD-{}", 1000 + i)})
            } else {
                json!({})
            },
            snoozed_until: None,
            messages: Vec::new(),
        };
        if id == 1 || id == LONG {
            conv.status = "open".into();
            conv.assignee = Some(1);
        }
        if conv.status == "snoozed" {
            conv.snoozed_until = Some((now + TimeDelta::hours(20)).timestamp());
        }
        for n in 0..count {
            let back = i64::try_from((count - n) * 90).unwrap_or(0);
            let at = last.timestamp() - back;
            let msg = self.message(rng, &conv, n, at);
            conv.messages.push(msg);
        }
        self.conversations.push(conv);
    }

    fn message(&mut self, rng: &mut Rng, conv: &ConvRec, n: usize, at: i64) -> MsgRec {
        self.next_message += 1;
        let roll = rng.below(20);
        let (kind, private) = match (n, roll) {
            (0, _) => (0, false),
            (_, 0) => (2, false),
            (_, 1 | 2) => (1, true),
            (_, r) if r % 2 == 0 => (0, false),
            _ => (1, false),
        };
        let agent = AGENTS[rng.index(AGENTS.len())];
        let (content, sender) = match (kind, private) {
            (2, _) => (
                format!("Conversation was marked {} by {}", conv.status, agent.1),
                None,
            ),
            (1, true) => (
                format!("Note: customer #{n} asked twice already, be quick"),
                Some((agent.0, agent.1.to_owned(), "user")),
            ),
            (1, false) => (
                format!(
                    "Thanks {}, I'm checking that for you ({n}).",
                    conv.contact.1
                ),
                Some((agent.0, agent.1.to_owned(), "user")),
            ),
            _ => (
                format!("Hi, question number {n} about my order"),
                Some((conv.contact.0, conv.contact.1.clone(), "contact")),
            ),
        };
        let failed = kind == 1 && !private && rng.chance(40);
        MsgRec {
            id: self.next_message,
            kind,
            private,
            content,
            at,
            sender,
            attachment: (kind == 0 && rng.chance(80)).then(|| {
                format!(
                    "https://files.example.com/rails/{}/photo.jpg",
                    self.next_message
                )
            }),
            status: if failed { "failed" } else { "sent" },
            error: failed.then(|| "WhatsApp: re-engagement window has expired".to_owned()),
        }
    }

    pub fn find(&mut self, id: u64) -> Option<&mut ConvRec> {
        self.conversations.iter_mut().find(|c| c.id == id)
    }

    /// Adds a message now; returns it.
    pub fn add(
        &mut self,
        conv: u64,
        content: &str,
        kind: u64,
        private: bool,
        sender: Option<(u64, String, &'static str)>,
        now: i64,
    ) -> Option<MsgRec> {
        self.next_message += 1;
        let msg = MsgRec {
            id: self.next_message,
            kind,
            private,
            content: content.to_owned(),
            at: now,
            sender,
            attachment: None,
            status: "sent",
            error: None,
        };
        let rec = self.find(conv)?;
        rec.messages.push(msg.clone());
        Some(msg)
    }
}

impl ConvRec {
    pub fn last_activity(&self) -> i64 {
        self.messages.last().map_or(0, |m| m.at)
    }
}

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

pub fn conversation_json(conv: &ConvRec) -> Value {
    let assignee = conv
        .assignee
        .and_then(|a| AGENTS.iter().find(|(id, _)| *id == a));
    let channel = INBOXES
        .iter()
        .find(|i| i.0 == conv.inbox)
        .map_or("Channel::Api", |i| i.2);
    let last = conv.messages.iter().rev().find(|m| m.kind != 2);
    json!({
        "meta": {"sender": {"id": conv.contact.0, "name": conv.contact.1, "phone_number": conv.contact.2, "type": "contact"},
                 "channel": channel,
                 "assignee": assignee.map(|(id, name)| json!({"id": id, "name": name, "available_name": name})),
                 "hmac_verified": false},
        "id": conv.id, "account_id": ACCOUNT, "uuid": format!("uuid-{}", conv.id), "inbox_id": conv.inbox,
        "messages": last.map(|m| vec![message_json(conv, m)]).unwrap_or_default(),
        "labels": conv.labels, "status": conv.status, "priority": conv.priority, "muted": false,
        "can_reply": conv.inbox != 2 || !conv.id.is_multiple_of(7),
        "snoozed_until": conv.snoozed_until.and_then(|s| chrono::DateTime::from_timestamp(s, 0)).map(|t| t.to_rfc3339()),
        "custom_attributes": conv.custom, "additional_attributes": {},
        "created_at": conv.messages.first().map_or(0, |m| m.at), "timestamp": conv.last_activity(),
        "last_activity_at": conv.last_activity(), "agent_last_seen_at": 0, "contact_last_seen_at": 0,
        "unread_count": conv.messages.iter().rev().take_while(|m| m.kind == 0).count(),
        "last_non_activity_message": last.map(|m| message_json(conv, m)),
    })
}
