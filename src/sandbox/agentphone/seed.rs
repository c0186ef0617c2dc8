//! Generates the sandbox world from a seed: the same seed and anchor time give the same world.
//!
//! Names and message scripts come from `assets/sandbox/seed.json`, hostile strings from
//! `assets/hostile.json`. The world has what real inboxes have: a few group chats, one very long
//! thread, media, reactions, failed deliveries, nested metadata, null previews, bursts of messages
//! that share one timestamp, and text that tries to drive the terminal.

use std::collections::HashSet;
use std::sync::LazyLock;

use chrono::Duration as TimeDelta;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::world::{
    AgentRec, CallRec, ContactRec, ConvRec, GroupRec, MsgRec, NumberRec, PSTN_CALL, ReactionRec,
    TranscriptRow, WEB_CALL, World,
};
use crate::rng::Rng;
use crate::sandbox::Time;

mod text;

use self::text::{Vars, big_body, delivered_status, fill};
pub use self::text::{fill_random, live_line, make_hostile};

#[derive(Deserialize)]
pub struct Topic {
    pub customer: Vec<String>,
    pub agent: Vec<String>,
}

#[derive(Deserialize)]
pub struct SeedData {
    pub first_names: Vec<String>,
    pub last_names: Vec<String>,
    pub area_codes: Vec<String>,
    pub group_names: Vec<String>,
    pub assignees: Vec<String>,
    pub statuses: Vec<String>,
    pub tags: Vec<String>,
    pub failure_reasons: Vec<(String, String)>,
    pub media_names: Vec<String>,
    pub reactions: Vec<String>,
    pub topics: Vec<Topic>,
    pub call_lines: Vec<(String, String)>,
}

/// The embedded seed data.
pub static SEED_DATA: LazyLock<SeedData> = LazyLock::new(|| {
    serde_json::from_str(include_str!("../../../assets/sandbox/seed.json"))
        .expect("assets/sandbox/seed.json is valid (checked by a test)")
});

/// The embedded corpus of hostile strings (escape sequences, bidi controls, wide text).
pub static HOSTILE: LazyLock<Vec<String>> = LazyLock::new(|| {
    serde_json::from_str(include_str!("../../../assets/hostile.json"))
        .expect("assets/hostile.json is valid (checked by a test)")
});

/// What to generate.
#[derive(Clone, Debug)]
pub struct SeedOptions {
    pub seed: u64,
    /// The newest message is a few minutes before this instant.
    pub now: Time,
    pub conversations: usize,
    /// Messages in the one very long thread (the third most recent conversation).
    pub long_thread: usize,
    pub calls: usize,
}

/// Positions (in activity order) of the special conversations.
const LONG_THREAD: usize = 2;
const GROUPS: [usize; 5] = [1, 7, 15, 30, 60];
const HOSTILE_SHOWCASE: usize = 4;
const MEDIA_ONLY_LAST: [usize; 3] = [6, 40, 90];
const OPTED_OUT: [usize; 2] = [12, 45];
/// Every n-th seeded call is a web call.
const WEB_CALLS_EVERY: usize = 8;
/// Every n-th conversation gets hostile text sprinkled into its messages.
const HOSTILE_EVERY: usize = 9;

/// Builds the world.
pub fn generate(opts: &SeedOptions) -> World {
    let mut builder = Gen {
        world: World::empty(opts.seed ^ 0x5EED),
        rng: Rng::seeded(opts.seed),
        data: &SEED_DATA,
        now: opts.now,
        used_phones: HashSet::new(),
    };
    builder.numbers_and_agents();
    for position in 0..opts.conversations {
        let count = if position == LONG_THREAD {
            opts.long_thread
        } else {
            builder.message_count()
        };
        builder.conversation(position, count);
    }
    for position in 0..opts.calls {
        builder.call(position);
    }
    builder.world
}

struct Gen<'a> {
    world: World,
    rng: Rng,
    data: &'a SeedData,
    now: Time,
    used_phones: HashSet<String>,
}

impl Gen<'_> {
    fn numbers_and_agents(&mut self) {
        let agents = [
            ("Ava (Support)", 0),
            ("Max (Sales)", 1),
            ("Iris (Scheduling)", 2),
        ];
        for (name, _) in agents {
            let id = self.world.new_id("agt");
            self.world.agents.push(AgentRec {
                id,
                name: name.into(),
            });
        }
        let numbers = [
            ("+14155550100", "sms"),
            ("+12125550142", "sms"),
            ("+16465550199", "imessage"),
        ];
        for (i, (phone, kind)) in numbers.into_iter().enumerate() {
            let id = self.world.new_id("num");
            let agent_id = Some(self.world.agents[i].id.clone());
            self.used_phones.insert(phone.into());
            self.world.numbers.push(NumberRec {
                id,
                phone: phone.into(),
                kind,
                agent_id,
            });
        }
    }

    fn message_count(&mut self) -> usize {
        let n = if self.rng.chance(150) {
            self.rng.range(20, 90)
        } else {
            self.rng.range(1, 14)
        };
        usize::try_from(n).unwrap_or(1)
    }

    /// A fictional E.164 number (555-01xx in NANP, Ofcom's drama range, Australia's).
    fn phone(&mut self) -> String {
        loop {
            let phone = match self.rng.below(10) {
                0 => format!("+447700900{:03}", self.rng.below(1000)),
                1 => format!("+61491570{:03}", self.rng.below(1000)),
                _ => {
                    let area = self.rng.pick(&self.data.area_codes).clone();
                    format!("+1{area}55501{:02}", self.rng.below(100))
                }
            };
            if self.used_phones.insert(phone.clone()) {
                return phone;
            }
        }
    }

    fn person_name(&mut self) -> String {
        let first = self.rng.pick(&self.data.first_names).clone();
        let last = self.rng.pick(&self.data.last_names).clone();
        format!("{first} {last}")
    }

    /// Adds a contact for `phone` (most participants have one) and returns the first name.
    fn maybe_contact(&mut self, phone: &str, position: usize) -> Option<String> {
        let name = match position {
            5 => "\u{202E}Jane Doe\u{202C} (Trojan Source name)".to_owned(),
            11 => "\x1b]0;pwned\x07Mallory \x1b[31mRed\x1b[0m".to_owned(),
            17 => "Chloé 🇫🇷 Dubois 👩‍💻".to_owned(),
            _ if self.rng.chance(250) => return None,
            _ => self.person_name(),
        };
        let first = name.split_whitespace().next().map(str::to_owned);
        let id = self.world.new_id("contact");
        let created_at = self.now - TimeDelta::days(400);
        self.world.contacts.push(ContactRec {
            id,
            phone: phone.to_owned(),
            name,
            email: None,
            notes: None,
            created_at,
            updated_at: created_at,
        });
        first
    }

    fn conversation(&mut self, position: usize, count: usize) {
        let is_group = GROUPS.contains(&position);
        let number = if is_group {
            2
        } else {
            self.rng.index(self.world.numbers.len())
        };
        let participant = self.phone();
        let first_name = self.maybe_contact(&participant, position);
        let group = is_group.then(|| self.group());
        let topic = if position == LONG_THREAD {
            0
        } else {
            self.rng.index(self.data.topics.len())
        };
        let vars = self.vars(first_name.unwrap_or_else(|| "there".into()));
        let last_at = self.last_activity(position);
        let times = self.times(count, last_at, position == LONG_THREAD);
        let channel = self.world.numbers[number].kind;
        let mut conv = ConvRec {
            id: self.world.new_id("conv"),
            agent_id: self.world.numbers[number].agent_id.clone(),
            number,
            participant: group.as_ref().map_or(participant, |g| g.id.clone()),
            group,
            metadata: self.metadata(position),
            created_at: times.first().copied().unwrap_or(last_at) - TimeDelta::minutes(1),
            channel,
            undeliverable: self.rng.chance(40),
            opted_out: OPTED_OUT.contains(&position),
            topic,
            messages: Vec::new(),
        };
        self.fill_messages(&mut conv, &times, topic, &vars, position);
        self.world.add_conversation(conv);
    }

    fn group(&mut self) -> GroupRec {
        let members = (0..self.rng.range(3, 6))
            .map(|_| {
                let phone = self.phone();
                let name = self.rng.chance(800).then(|| self.person_name());
                (phone, name)
            })
            .collect();
        let name = if self.rng.chance(850) {
            Some(self.rng.pick(&self.data.group_names).clone())
        } else {
            None
        };
        GroupRec {
            id: self.world.new_id("grp"),
            name,
            members,
        }
    }

    fn vars(&mut self, name: String) -> Vars {
        Vars::random(&mut self.rng, name)
    }

    fn fill(&mut self, template: &str, vars: &Vars) -> String {
        fill(&mut self.rng, template, vars)
    }

    /// Recent conversations first: minutes to days ago, growing with the position.
    fn last_activity(&mut self, position: usize) -> Time {
        // Steps of at least 4 minutes against at most 2 of jitter: position is activity rank.
        let p = u32::try_from(position).unwrap_or(u32::MAX);
        let base = 3.0 + f64::from(p) * 4.0 + f64::from(p).powf(1.6) * 2.0;
        #[allow(clippy::cast_possible_truncation)] // bounded by the world size
        let minutes = base as i64 + i64::try_from(self.rng.below(3)).unwrap_or(0);
        self.now - TimeDelta::minutes(minutes)
    }

    /// Message times, oldest first, whole seconds. Some bursts share one instant; the long thread
    /// also has shared instants straddling every 200th message from the end (page edges).
    fn times(&mut self, count: usize, last: Time, long: bool) -> Vec<Time> {
        let mut times = Vec::with_capacity(count);
        let mut at = last;
        for _ in 0..count {
            times.push(at);
            let gap = match self.rng.below(100) {
                0..=3 => 0,
                4..=69 => self.rng.range(5, 240),
                70..=94 => self.rng.range(600, 4 * 3600),
                _ => self.rng.range(8 * 3600, 3 * 86_400),
            };
            at -= TimeDelta::seconds(i64::try_from(gap).unwrap_or(0));
        }
        times.reverse();
        if long {
            for k in 1..=count / 200 {
                let edge = count - 200 * k;
                let (lo, hi) = (edge.saturating_sub(2), (edge + 2).min(count - 1));
                let t = times[edge];
                times[lo..=hi].fill(t);
            }
        }
        times
    }

    fn metadata(&mut self, position: usize) -> Option<Map<String, Value>> {
        if position == 8 {
            return json!({"status": "open", "note": "\x1b[2J\x1b]52;c;ZXZpbA==\x07cleared?",
                           "customerName": "\u{202E}evil\u{202C}"})
            .as_object()
            .cloned();
        }
        if !self.rng.chance(450) {
            return None;
        }
        let status = self.rng.pick(&self.data.statuses).clone();
        let assignee = self.rng.pick(&self.data.assignees).clone();
        let tag = self.rng.pick(&self.data.tags).clone();
        let mut value = json!({
            "status": status,
            "assignee": assignee,
            "tags": [tag],
            "priority": self.rng.range(1, 4),
        });
        if self.rng.chance(500) {
            value["order"] = json!({
                "id": format!("ORD-{}", self.rng.range(10_000, 99_999)),
                "items": [{"sku": format!("SKU-{}", self.rng.range(100, 999)), "qty": self.rng.range(1, 3)}],
                "total": f64::from(u32::try_from(self.rng.range(500, 48_000)).unwrap_or(0)) / 100.0,
                "shipping": {"carrier": "UPS", "express": self.rng.chance(300)},
            });
        }
        value.as_object().cloned()
    }

    fn fill_messages(
        &mut self,
        conv: &mut ConvRec,
        times: &[Time],
        topic: usize,
        vars: &Vars,
        position: usize,
    ) {
        let mut inbound = self.rng.chance(800);
        let mut run = 0;
        for (i, &at) in times.iter().enumerate() {
            let body = self.body(topic, inbound, vars, position, i, times.len());
            let msg = self.message(conv, at, inbound, body);
            conv.messages.push(msg);
            run += 1;
            if run >= self.rng.range(1, 3) {
                inbound = !inbound;
                run = 0;
            }
        }
        self.decorate(conv, position);
    }

    fn body(
        &mut self,
        topic: usize,
        inbound: bool,
        vars: &Vars,
        position: usize,
        i: usize,
        len: usize,
    ) -> String {
        if position == HOSTILE_SHOWCASE && i + 1 == len {
            return HOSTILE[0].clone();
        }
        if position == HOSTILE_SHOWCASE && i + 2 == len {
            return big_body();
        }
        if position % HOSTILE_EVERY == HOSTILE_SHOWCASE && self.rng.chance(120) {
            return self.rng.pick(&HOSTILE).clone();
        }
        let topic = &self.data.topics[topic];
        let pool = if inbound {
            &topic.customer
        } else {
            &topic.agent
        };
        let template = self.rng.pick(pool).clone();
        self.fill(&template, vars)
    }

    fn message(&mut self, conv: &ConvRec, at: Time, inbound: bool, body: String) -> MsgRec {
        let ours = self.world.numbers[conv.number].phone.clone();
        let sender = conv
            .group
            .as_ref()
            .filter(|_| inbound)
            .map(|g| self.rng.pick(&g.members).0.clone());
        let (from, to) = if inbound {
            (
                sender.clone().unwrap_or_else(|| conv.participant.clone()),
                ours,
            )
        } else {
            (ours, conv.participant.clone())
        };
        let seq = self.world.next_seq();
        MsgRec {
            id: self.world.new_id("msg"),
            seq,
            at,
            inbound,
            body,
            channel: conv.channel.to_owned(),
            from,
            to,
            sender,
            media: Vec::new(),
            reactions: Vec::new(),
            reply_to: None,
            status: (!inbound).then(|| delivered_status(conv.channel).to_owned()),
            failure: None,
            delivered_at: (!inbound).then(|| at + TimeDelta::seconds(2)),
            read_at: None,
        }
    }

    /// Media, carousels, reactions, replies and failed deliveries.
    fn decorate(&mut self, conv: &mut ConvRec, position: usize) {
        let imessage = conv.channel == "imessage";
        let len = conv.messages.len();
        for i in 0..len {
            let roll = self.rng.below(1000);
            let msg = &conv.messages[i];
            match (msg.inbound, roll) {
                (true, 0..=39) => self.add_media(conv, i),
                (false, 0..=29) => self.fail_delivery(conv, i),
                (_, 100..=179) if imessage => self.add_reaction(conv, i),
                (_, 200..=229) if imessage && i > 0 => {
                    let parent = &conv.messages[self.rng.index(i)];
                    let excerpt: String = parent.body.chars().take(60).collect();
                    let parent_id = parent.id.clone();
                    conv.messages[i].reply_to = Some((parent_id, excerpt));
                }
                _ => {}
            }
        }
        if MEDIA_ONLY_LAST.contains(&position)
            && let Some(last) = conv.messages.last_mut()
        {
            last.body.clear();
            if !last.inbound {
                std::mem::swap(&mut last.from, &mut last.to);
            }
            last.inbound = true;
            last.status = None;
            last.failure = None;
            last.delivered_at = None;
            last.media = vec![format!(
                "https://media.agentphone.ai/sandbox/{}/IMG_0001.jpg",
                last.id
            )];
        }
    }

    fn add_media(&mut self, conv: &mut ConvRec, i: usize) {
        let count = usize::try_from(self.rng.range(1, 3)).unwrap_or(1);
        let msg = &mut conv.messages[i];
        for _ in 0..count {
            let name = self.rng.pick(&self.data.media_names);
            msg.media.push(format!(
                "https://media.agentphone.ai/sandbox/{}/{name}",
                msg.id
            ));
        }
        if conv.channel == "sms" {
            msg.channel = "mms".into();
        }
        if self.rng.chance(400) {
            msg.body.clear();
        }
    }

    fn fail_delivery(&mut self, conv: &mut ConvRec, i: usize) {
        let (code, reason) = self.rng.pick(&self.data.failure_reasons).clone();
        let msg = &mut conv.messages[i];
        msg.status = Some("failed".into());
        msg.failure = Some((code, reason));
        msg.delivered_at = None;
    }

    fn add_reaction(&mut self, conv: &mut ConvRec, i: usize) {
        let kind = self.rng.pick(&self.data.reactions).clone();
        let ours = self.world.numbers[conv.number].phone.clone();
        let id = self.world.new_id("rxn");
        let msg = &mut conv.messages[i];
        // Customers react to our messages and we react to theirs.
        let inbound = !msg.inbound;
        let from = if inbound { msg.to.clone() } else { ours };
        msg.reactions.push(ReactionRec {
            id,
            kind,
            from,
            inbound,
            at: msg.at + TimeDelta::seconds(30),
        });
    }

    /// A finished call; every `WEB_CALLS_EVERY`-th is a web call (inbound, from a browser). The
    /// kind draws nothing from the generator, so every id and time is what it was before calls
    /// had one.
    fn call(&mut self, position: usize) {
        let number = self.rng.index(self.world.numbers.len());
        let other = self.phone();
        let started_at = self.now
            - TimeDelta::minutes(i64::try_from(self.rng.range(30, 60 * 24 * 20)).unwrap_or(30));
        let status = match self.rng.below(10) {
            0 => "failed",
            _ => "completed",
        };
        let vars = self.vars("there".into());
        let mut rows = Vec::new();
        let mut at = started_at;
        if status == "completed" {
            for _ in 0..self.rng.range(2, 9) {
                let (user, agent) = self.rng.pick(&self.data.call_lines).clone();
                at += TimeDelta::seconds(i64::try_from(self.rng.range(4, 40)).unwrap_or(5));
                rows.push(TranscriptRow {
                    id: self.world.new_id("tr"),
                    user: self.fill(&user, &vars),
                    agent: Some(self.fill(&agent, &vars)),
                    at,
                });
            }
        }
        let id = self.world.new_id("call");
        let agent_id = self.world.numbers[number].agent_id.clone();
        let inbound = self.rng.chance(700);
        let web = position % WEB_CALLS_EVERY == WEB_CALLS_EVERY - 1;
        self.world.calls.push(CallRec {
            id,
            agent_id,
            number,
            other,
            inbound: inbound || web,
            kind: if web { WEB_CALL } else { PSTN_CALL },
            status,
            started_at,
            ended_at: Some(at + TimeDelta::seconds(5)),
            recording: status == "completed" && self.rng.chance(600),
            rows,
            planned_rows: 0,
        });
    }
}

#[cfg(test)]
mod tests;
