//! The words of the seeded world: template values per conversation, filled templates, live
//! lines, the hostile corpus and the one very long body.

use std::fmt::Write as _;

use serde_json::json;

use super::{HOSTILE, SEED_DATA};
use crate::rng::Rng;
use crate::sandbox::agentphone::world::World;

/// Per-conversation template values, so a thread talks about one order.
pub(super) struct Vars {
    order: String,
    tracking: String,
    name: String,
    amount: String,
    code: String,
}

const DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "tomorrow",
];
const TIMES: [&str; 6] = [
    "9:00 AM", "10:30 AM", "1:15 PM", "3:45 PM", "5:00 PM", "6:30 PM",
];

impl Vars {
    pub(super) fn random(rng: &mut Rng, name: String) -> Self {
        Self {
            order: format!("ORD-{}", rng.range(10_000, 99_999)),
            tracking: format!("1Z{:010X}", rng.below(1 << 40)),
            name,
            amount: format!("${}.{:02}", rng.range(5, 480), rng.below(100)),
            code: format!("{:06}", rng.below(1_000_000)),
        }
    }
}

pub(super) fn fill(rng: &mut Rng, template: &str, vars: &Vars) -> String {
    let days: [&str; 2] = [DAYS[rng.index(DAYS.len())], DAYS[rng.index(DAYS.len())]];
    let times: [&str; 2] = [TIMES[rng.index(TIMES.len())], TIMES[rng.index(TIMES.len())]];
    template
        .replace("{order}", &vars.order)
        .replace("{tracking}", &vars.tracking)
        .replace("{name}", &vars.name)
        .replace("{amount}", &vars.amount)
        .replace("{code}", &vars.code)
        .replace("{day}", days[0])
        .replace("{day2}", days[1])
        .replace("{time}", times[0])
        .replace("{time2}", times[1])
}

/// A line for live traffic: a customer's (`inbound`) or the agent's, on the thread's topic.
/// A template with its `{order}`, `{name}`, … filled in at random.
pub fn fill_random(rng: &mut Rng, template: &str) -> String {
    let vars = Vars::random(rng, "there".into());
    fill(rng, template, &vars)
}

pub fn live_line(rng: &mut Rng, topic: usize, inbound: bool) -> String {
    let topic = &SEED_DATA.topics[topic % SEED_DATA.topics.len()];
    let pool = if inbound {
        &topic.customer
    } else {
        &topic.agent
    };
    let template = rng.pick(pool).clone();
    let vars = Vars::random(rng, "there".into());
    fill(rng, &template, &vars)
}

/// Puts the hostile corpus everywhere text reaches the screen: contact and group names, the last
/// message of every thread (the list preview), more message bodies, metadata values, reactions.
pub fn make_hostile(world: &mut World) {
    let corpus = &*HOSTILE;
    let pick = |i: usize| corpus[i % corpus.len()].clone();
    for (i, contact) in world.contacts.iter_mut().enumerate() {
        contact.name = pick(i * 7 + 3);
    }
    for (i, conv) in world.conversations.iter_mut().enumerate() {
        if let Some(group) = conv.group.as_mut() {
            group.name = Some(pick(i + 11));
            for (j, member) in group.members.iter_mut().enumerate() {
                member.1 = Some(pick(i + j));
            }
        }
        conv.metadata =
            json!({"status": pick(i + 5), "assignee": pick(i + 9), "note": {"deep": [pick(i)]}})
                .as_object()
                .cloned();
        let n = conv.messages.len();
        for (j, msg) in conv
            .messages
            .iter_mut()
            .enumerate()
            .skip(n.saturating_sub(12))
        {
            msg.body = pick(i * 13 + j);
            msg.media = if j % 4 == 0 {
                vec![format!("https://media.example/{}", pick(j))]
            } else {
                Vec::new()
            };
            if let Some(reaction) = msg.reactions.first_mut() {
                reaction.kind = pick(j + 1);
            }
            if let Some((code, reason)) = msg.failure.as_mut() {
                *code = pick(j + 2);
                *reason = pick(j + 4);
            }
        }
    }
}

pub(super) fn delivered_status(channel: &str) -> &'static str {
    if channel == "imessage" {
        "read"
    } else {
        "delivered"
    }
}

/// A body of about 10 KB: a pasted log with a very long line.
pub(super) fn big_body() -> String {
    let mut body = String::from("Pasting the error log from the app, sorry it's long:\n");
    let mut n = 0;
    while body.len() < 10 * 1024 {
        n += 1;
        let _ = writeln!(
            body,
            "[{n:04}] ERROR sync_worker: upload failed (code=E{n:03}) retrying in {n}s…"
        );
    }
    body.push_str(&"=".repeat(400));
    body
}
