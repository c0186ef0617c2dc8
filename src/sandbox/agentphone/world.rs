//! The sandbox's data: numbers, contacts, conversations with their messages, calls.
//!
//! Plain data plus the queries the routes need, with no HTTP in sight, so the behaviour of the API
//! (ordering, cursors, limits) is written once and testable directly. Message lists are kept in
//! thread order (time, then insertion sequence), like a database index.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::rng::Rng;
use crate::sandbox::Time;

/// A call over a phone line (the calls list's `type=pstn`).
pub const PSTN_CALL: &str = "pstn";
/// A call from a browser through the web SDK (`type=web`).
pub const WEB_CALL: &str = "web";

/// One of our phone numbers.
#[derive(Clone, Debug)]
pub struct NumberRec {
    pub id: String,
    pub phone: String,
    /// `sms` or `imessage`.
    pub kind: &'static str,
    pub agent_id: Option<String>,
}

#[derive(Clone, Debug)]
pub struct AgentRec {
    pub id: String,
    pub name: String,
}

#[derive(Clone, Debug)]
pub struct ContactRec {
    pub id: String,
    /// E.164; no two contacts share one.
    pub phone: String,
    pub name: String,
    pub email: Option<String>,
    pub notes: Option<String>,
    pub created_at: Time,
    pub updated_at: Time,
}

#[derive(Clone, Debug)]
pub struct GroupRec {
    pub id: String,
    pub name: Option<String>,
    pub members: Vec<(String, Option<String>)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReactionRec {
    pub id: String,
    pub kind: String,
    pub from: String,
    pub inbound: bool,
    pub at: Time,
}

#[derive(Clone, Debug)]
pub struct MsgRec {
    pub id: String,
    pub seq: u64,
    pub at: Time,
    pub inbound: bool,
    pub body: String,
    pub channel: String,
    pub from: String,
    pub to: String,
    pub sender: Option<String>,
    pub media: Vec<String>,
    pub reactions: Vec<ReactionRec>,
    pub reply_to: Option<(String, String)>,
    pub status: Option<String>,
    pub failure: Option<(String, String)>,
    pub delivered_at: Option<Time>,
    pub read_at: Option<Time>,
}

#[derive(Clone, Debug)]
pub struct ConvRec {
    pub id: String,
    pub agent_id: Option<String>,
    /// Index into `World::numbers`.
    pub number: usize,
    pub participant: String,
    pub group: Option<GroupRec>,
    pub metadata: Option<Map<String, Value>>,
    pub created_at: Time,
    pub channel: &'static str,
    /// Sends to this participant fail (a landline), for realistic delivery failures.
    pub undeliverable: bool,
    /// The participant texted STOP: sending is disabled.
    pub opted_out: bool,
    /// Index of the seed topic, so live traffic stays on subject.
    pub topic: usize,
    /// Thread order: `(at, seq)` ascending.
    pub messages: Vec<MsgRec>,
}

impl ConvRec {
    pub fn last_at(&self) -> Time {
        self.messages.last().map_or(self.created_at, |m| m.at)
    }

    /// The list preview: the latest body, or `None` for a media-only message.
    pub fn preview(&self) -> Option<&str> {
        let last = self.messages.last()?;
        (!last.body.is_empty()).then_some(last.body.as_str())
    }

    /// Inserts in thread order (a new message is almost always last).
    pub fn insert(&mut self, msg: MsgRec) {
        let pos = self
            .messages
            .partition_point(|m| (m.at, m.seq) <= (msg.at, msg.seq));
        self.messages.insert(pos, msg);
    }
}

#[derive(Clone, Debug)]
pub struct TranscriptRow {
    pub id: String,
    pub user: String,
    pub agent: Option<String>,
    pub at: Time,
}

#[derive(Clone, Debug)]
pub struct CallRec {
    pub id: String,
    pub agent_id: Option<String>,
    pub number: usize,
    pub other: String,
    pub inbound: bool,
    /// `pstn` (a phone line) or `web` (a browser, through the web SDK): the list's `type`.
    pub kind: &'static str,
    pub status: &'static str,
    pub started_at: Time,
    pub ended_at: Option<Time>,
    pub recording: bool,
    pub rows: Vec<TranscriptRow>,
    /// Exchanges a call in progress will have when it ends (0 for finished calls).
    pub planned_rows: usize,
}

/// A range query over a thread: newest first, like the API.
#[derive(Clone, Copy, Debug, Default)]
pub struct MessageRange {
    pub before: Option<Time>,
    pub after: Option<Time>,
    pub limit: usize,
    /// Answer `after` queries oldest first (the first `limit` after the cursor). The real API's
    /// order is undocumented; clients must cope with either.
    pub after_oldest_first: bool,
}

/// Everything the sandbox serves.
#[derive(Clone, Debug)]
pub struct World {
    pub numbers: Vec<NumberRec>,
    pub agents: Vec<AgentRec>,
    pub contacts: Vec<ContactRec>,
    pub conversations: Vec<ConvRec>,
    pub calls: Vec<CallRec>,
    conv_index: HashMap<String, usize>,
    msg_index: HashMap<String, usize>,
    next_seq: u64,
    pub rng: Rng,
}

impl World {
    /// An empty world; `seed` drives ids and anything random added later.
    pub fn empty(seed: u64) -> Self {
        Self {
            numbers: Vec::new(),
            agents: Vec::new(),
            contacts: Vec::new(),
            conversations: Vec::new(),
            calls: Vec::new(),
            conv_index: HashMap::new(),
            msg_index: HashMap::new(),
            next_seq: 0,
            rng: Rng::seeded(seed),
        }
    }

    /// Starts the id and choice sequence over from `seed` (live traffic after the history).
    pub fn reseed(&mut self, seed: u64) {
        self.rng = Rng::seeded(seed);
    }

    /// A fresh id with a prefix: `conv_3f9a…`.
    pub fn new_id(&mut self, prefix: &str) -> String {
        format!("{prefix}_{:016x}", self.rng.next_u64())
    }

    /// The next insertion sequence number (orders messages that share an instant).
    pub fn next_seq(&mut self) -> u64 {
        self.next_seq += 1;
        self.next_seq
    }

    /// Adds a conversation and indexes it and its messages.
    pub fn add_conversation(&mut self, conv: ConvRec) -> usize {
        let idx = self.conversations.len();
        self.conv_index.insert(conv.id.clone(), idx);
        for m in &conv.messages {
            self.msg_index.insert(m.id.clone(), idx);
        }
        self.conversations.push(conv);
        idx
    }

    /// Adds a message to a conversation and indexes it.
    pub fn add_message(&mut self, conv: usize, msg: MsgRec) {
        self.msg_index.insert(msg.id.clone(), conv);
        self.conversations[conv].insert(msg);
    }

    pub fn conversation_index(&self, id: &str) -> Option<usize> {
        self.conv_index.get(id).copied()
    }

    /// The conversation and position of a message.
    pub fn find_message(&self, id: &str) -> Option<(usize, usize)> {
        let conv = *self.msg_index.get(id)?;
        let pos = self.conversations[conv]
            .messages
            .iter()
            .position(|m| m.id == id)?;
        Some((conv, pos))
    }

    /// Conversations by latest activity, newest first (ties by id, descending).
    pub fn conversations_by_activity(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.conversations.len()).collect();
        order.sort_by(|&a, &b| {
            let (a, b) = (&self.conversations[a], &self.conversations[b]);
            b.last_at().cmp(&a.last_at()).then_with(|| b.id.cmp(&a.id))
        });
        order
    }

    /// Messages of a thread in a time range, newest first, and whether more exist in the range.
    pub fn messages(&self, conv: usize, range: MessageRange) -> (Vec<&MsgRec>, bool) {
        let messages = &self.conversations[conv].messages;
        let end = range
            .before
            .map_or(messages.len(), |t| messages.partition_point(|m| m.at < t));
        let start = range
            .after
            .map_or(0, |t| messages.partition_point(|m| m.at <= t))
            .min(end);
        if range.after.is_some() && range.after_oldest_first {
            let to = (start + range.limit).min(end);
            return (messages[start..to].iter().collect(), to < end);
        }
        let from = end.saturating_sub(range.limit).max(start);
        let page = messages[from..end].iter().rev().collect();
        (page, from > start)
    }

    /// Appends a plain text message at `now` (never before the thread's latest message) and
    /// returns its id. Outbound messages start as `sent`; group messages get a member as sender.
    pub fn add_simple(&mut self, conv: usize, inbound: bool, body: &str, now: Time) -> String {
        let rec = &self.conversations[conv];
        let ours = self.numbers[rec.number].phone.clone();
        let members = rec.group.as_ref().map_or(0, |g| g.members.len());
        let pick = self.rng.index(members.max(1));
        let rec = &self.conversations[conv];
        let sender = rec
            .group
            .as_ref()
            .filter(|_| inbound)
            .and_then(|g| g.members.get(pick))
            .map(|m| m.0.clone());
        let (from, to) = if inbound {
            (
                sender.clone().unwrap_or_else(|| rec.participant.clone()),
                ours,
            )
        } else {
            (ours, rec.participant.clone())
        };
        let at = now.max(rec.last_at());
        let channel = rec.channel.to_owned();
        let seq = self.next_seq();
        let id = self.new_id("msg");
        self.add_message(
            conv,
            MsgRec {
                id: id.clone(),
                seq,
                at,
                inbound,
                body: body.to_owned(),
                channel,
                from,
                to,
                sender,
                media: Vec::new(),
                reactions: Vec::new(),
                reply_to: None,
                status: (!inbound).then(|| "sent".to_owned()),
                failure: None,
                delivered_at: None,
                read_at: None,
            },
        );
        id
    }

    /// The conversation between our number and an address (or group id), if one exists.
    pub fn find_thread(&self, number: usize, to: &str) -> Option<usize> {
        self.conversations.iter().position(|c| {
            c.number == number
                && (c.participant == to || c.group.as_ref().is_some_and(|g| g.id == to))
        })
    }

    /// The contact name for an address.
    pub fn contact_name(&self, phone: &str) -> Option<&str> {
        self.contacts
            .iter()
            .find(|c| c.phone == phone)
            .map(|c| c.name.as_str())
    }

    /// A call's `(fromNumber, toNumber)`. A web call has no phone line on either side; both read
    /// `web` (the API's value for them is undocumented).
    pub fn call_parties<'a>(&'a self, call: &'a CallRec) -> (&'a str, &'a str) {
        if call.kind == WEB_CALL {
            return (WEB_CALL, WEB_CALL);
        }
        let ours = self.numbers[call.number].phone.as_str();
        if call.inbound {
            (call.other.as_str(), ours)
        } else {
            (ours, call.other.as_str())
        }
    }

    /// Total messages across all threads.
    pub fn message_total(&self) -> usize {
        self.conversations.iter().map(|c| c.messages.len()).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn msg(world: &mut World, secs: i64) -> MsgRec {
        let seq = world.next_seq();
        MsgRec {
            id: format!("m{seq}"),
            seq,
            at: Utc.timestamp_opt(secs, 0).unwrap(),
            inbound: true,
            body: String::new(),
            channel: "sms".into(),
            from: String::new(),
            to: String::new(),
            sender: None,
            media: Vec::new(),
            reactions: Vec::new(),
            reply_to: None,
            status: None,
            failure: None,
            delivered_at: None,
            read_at: None,
        }
    }

    fn thread(times: &[i64]) -> (World, usize) {
        let mut world = World::empty(1);
        let messages = times.iter().map(|&t| msg(&mut world, t)).collect();
        let conv = world.add_conversation(ConvRec {
            id: "c".into(),
            agent_id: None,
            number: 0,
            participant: "+1".into(),
            group: None,
            metadata: None,
            created_at: Utc.timestamp_opt(0, 0).unwrap(),
            channel: "sms",
            undeliverable: false,
            opted_out: false,
            topic: 0,
            messages,
        });
        (world, conv)
    }

    fn ids(page: &[&MsgRec]) -> Vec<String> {
        page.iter().map(|m| m.id.clone()).collect()
    }

    #[test]
    fn ranges_are_newest_first_and_strict() {
        let (world, c) = thread(&[10, 20, 20, 20, 30, 40]);
        let t = |s| Some(Utc.timestamp_opt(s, 0).unwrap());
        let all = MessageRange {
            limit: 10,
            ..MessageRange::default()
        };
        let (page, more) = world.messages(c, all);
        assert_eq!(ids(&page), ["m6", "m5", "m4", "m3", "m2", "m1"]);
        assert!(!more);
        let (page, more) = world.messages(
            c,
            MessageRange {
                before: t(30),
                limit: 2,
                ..all
            },
        );
        assert_eq!(ids(&page), ["m4", "m3"]);
        assert!(more);
        let (page, more) = world.messages(
            c,
            MessageRange {
                after: t(20),
                limit: 10,
                ..all
            },
        );
        assert_eq!(ids(&page), ["m6", "m5"]);
        assert!(!more);
        let (page, more) = world.messages(
            c,
            MessageRange {
                after: t(10),
                before: t(40),
                limit: 2,
                ..all
            },
        );
        assert_eq!(ids(&page), ["m5", "m4"]);
        assert!(more);
        let (page, more) = world.messages(
            c,
            MessageRange {
                after: t(40),
                before: t(10),
                limit: 2,
                ..all
            },
        );
        assert!(page.is_empty() && !more);
        let oldest_first = MessageRange {
            after: t(10),
            limit: 2,
            after_oldest_first: true,
            ..all
        };
        let (page, more) = world.messages(c, oldest_first);
        assert_eq!(ids(&page), ["m2", "m3"]);
        assert!(more);
    }
}
