//! The desk's data and its JSON.

use chrono::TimeDelta;
use serde_json::{Value, json};

use crate::rng::Rng;
use crate::sandbox::Time;

/// The access token the sandbox accepts (agent "Dana", user id 1).
pub const TOKEN: &str = "cw_sandbox_token";
pub const ACCOUNT: u64 = 1;
pub const INBOXES: [(u64, &str, &str); 3] = [
    (1, "Website", "Channel::WebWidget"),
    (2, "WhatsApp", "Channel::Whatsapp"),
    (3, "Support email", "Channel::Email"),
];
pub const AGENTS: [(u64, &str); 3] = [(1, "Dana"), (2, "Eli"), (3, "Femi")];
pub const TEAMS: [(u64, &str); 2] = [(1, "Sales"), (2, "Support")];
const LABELS: [&str; 4] = ["billing", "shipping", "vip", "bug"];
const STATUSES: [&str; 4] = ["open", "pending", "snoozed", "resolved"];
/// The conversation with the long history (display id).
pub const LONG: u64 = 3;
/// Chatwoot's `CONVERSATION_RESULTS_PER_PAGE` unless the sandbox is told otherwise.
pub const PAGE_SIZE: usize = 25;

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
    pub team: Option<u64>,
    pub labels: Vec<String>,
    pub custom: Value,
    pub snoozed_until: Option<i64>,
    /// Unix seconds, 0 when never (Chatwoot renders `nil.to_i`).
    pub agent_last_seen_at: i64,
    pub assignee_last_seen_at: i64,
    pub contact_last_seen_at: i64,
    /// In `created_at` order (the vector's order breaks ties within a second, as the real
    /// column's fractions do); ids need not follow it (imported history).
    pub messages: Vec<MsgRec>,
}

/// Account 1's conversations, newest activity first when listed.
#[derive(Clone, Debug)]
pub struct Desk {
    pub conversations: Vec<ConvRec>,
    pub next_message: u64,
    /// Conversations per list page (`CONVERSATION_RESULTS_PER_PAGE`).
    pub page_size: usize,
}

impl Desk {
    /// `count` generated conversations (display ids `1..=count`), then, when `count > 0`, one
    /// with imported history (display id `count + 1`, see [`Desk::imported`]).
    pub fn generate(seed: u64, now: Time, count: usize, page_size: usize) -> Self {
        let mut rng = Rng::seeded(seed ^ 0xC4A7);
        let mut desk = Self {
            conversations: Vec::new(),
            next_message: 1000,
            page_size: page_size.max(1),
        };
        for i in 0..count {
            desk.conversation(&mut rng, i, now);
        }
        if count > 0 {
            desk.imported(&mut rng, count, now);
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
            team: None,
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
            agent_last_seen_at: 0,
            assignee_last_seen_at: 0,
            contact_last_seen_at: 0,
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
        conv.seed_last_seen();
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

    /// A thread with imported history (display id `count + 1`, resolved, the oldest activity):
    /// 30 native messages, then 50 older ones imported afterwards, newest first, two to a
    /// second. Their ids are higher than the native ones although they are older, and fall as
    /// time rises, so a walk by `before=<smallest id seen>` never reaches them.
    fn imported(&mut self, rng: &mut Rng, count: usize, now: Time) {
        let id = u64::try_from(count).unwrap_or(0) + 1;
        let mut conv = ConvRec {
            id,
            inbox: 3,
            contact: (id + 500, "Gus Moreau".into(), "+14155559900".into()),
            source_id: format!("src-{:08x}", rng.next_u64() & 0xFFFF_FFFF),
            status: "resolved".into(),
            priority: None,
            assignee: Some(3),
            team: Some(2),
            labels: Vec::new(),
            custom: json!({"imported_from": "the old helpdesk"}),
            snoozed_until: None,
            agent_last_seen_at: 0,
            assignee_last_seen_at: 0,
            contact_last_seen_at: 0,
            messages: Vec::new(),
        };
        let last = (now - TimeDelta::days(3)).timestamp();
        let native: Vec<MsgRec> = (0..30_i64)
            .map(|n| {
                let at = last - (29 - n) * 120;
                self.message(rng, &conv, usize::try_from(n).unwrap_or(0) + 50, at)
            })
            .collect();
        let base = native.first().map_or(last, |m| m.at) - 3600 - 25 * 300;
        let mut old: Vec<MsgRec> = (0..50_usize)
            .rev()
            .map(|k| {
                let at = base + i64::try_from(k / 2).unwrap_or(0) * 300;
                self.message(rng, &conv, k, at)
            })
            .collect();
        old.reverse();
        conv.messages = old;
        conv.messages.extend(native);
        conv.seed_last_seen();
        self.conversations.push(conv);
    }

    pub fn find(&mut self, id: u64) -> Option<&mut ConvRec> {
        self.conversations.iter_mut().find(|c| c.id == id)
    }

    /// Adds a message now; returns it. A message from the contact reopens a resolved or
    /// snoozed conversation, as Chatwoot does for a conversation that is not muted.
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
        if kind == 0 && (rec.status == "resolved" || rec.status == "snoozed") {
            rec.status = "open".into();
            rec.snoozed_until = None;
        }
        Some(msg)
    }
}

impl MsgRec {
    /// A human agent's reply the contact sees (what ends `waiting_since`).
    fn is_reply(&self) -> bool {
        self.kind == 1 && !self.private && self.sender.as_ref().is_some_and(|s| s.2 == "user")
    }
}

impl ConvRec {
    pub fn last_activity(&self) -> i64 {
        self.messages.last().map_or(0, |m| m.at)
    }

    /// Seeded read marks: the agents last looked when they last wrote or acted, the contact
    /// when it last wrote.
    fn seed_last_seen(&mut self) {
        let agent = self.messages.iter().rev().find(|m| m.kind != 0);
        self.agent_last_seen_at = agent.map_or(0, |m| m.at);
        self.assignee_last_seen_at = if self.assignee.is_some() {
            self.agent_last_seen_at
        } else {
            0
        };
        let contact = self.messages.iter().rev().find(|m| m.kind == 0);
        self.contact_last_seen_at = contact.map_or(0, |m| m.at);
    }

    /// The first human reply's time, 0 before there is one.
    pub fn first_reply_created_at(&self) -> i64 {
        self.messages
            .iter()
            .find(|m| m.is_reply())
            .map_or(0, |m| m.at)
    }

    /// Since when the contact has been waiting for a reply (0 when not waiting): set by the
    /// first incoming message after a reply, cleared by a reply and by resolving.
    pub fn waiting_since(&self) -> i64 {
        if self.status == "resolved" {
            return 0;
        }
        self.messages.iter().fold(0, |since, m| match m.kind {
            0 if since == 0 => m.at,
            _ if m.is_reply() => 0,
            _ => since,
        })
    }

    /// Incoming messages after the agents last looked.
    pub fn unread_count(&self) -> usize {
        let seen = self.agent_last_seen_at;
        self.messages
            .iter()
            .filter(|m| m.kind == 0 && m.at > seen)
            .count()
    }
}
