//! Anyreach's AI sessions, generated from the seed: the channels, statuses and directions the
//! real API has, and LiveKit-style transcripts for the sessions that talked.

use chrono::TimeDelta;
use serde_json::{Value, json};

use crate::rng::Rng;
use crate::sandbox::Time;

/// One AI session.
#[derive(Clone, Debug)]
pub struct SessionRec {
    pub id: String,
    pub channel: &'static str,
    pub status: &'static str,
    pub direction: &'static str,
    pub user_id: String,
    pub agent: (&'static str, &'static str),
    pub created_at: Time,
    pub duration: Option<u64>,
    pub summary: Option<String>,
    pub initial_context: Option<String>,
    pub custom_metadata: Option<Value>,
    pub items: Vec<Value>,
}

const AGENTS: [(&str, &str); 3] = [
    ("agt_ava", "Ava (Support)"),
    ("agt_ben", "Ben (Billing)"),
    ("agt_cy", "Cy (Scheduling)"),
];

/// Generates the sessions, newest first. Two pairs share a `created_at` across a page edge of 20.
pub fn generate(seed: u64, now: Time, count: usize) -> Vec<SessionRec> {
    let mut rng = Rng::seeded(seed ^ 0x000A_11CE);
    let mut at = now - TimeDelta::minutes(3);
    let mut sessions = Vec::with_capacity(count);
    for i in 0..count {
        if i % 20 != 0 {
            at -= TimeDelta::minutes(i64::try_from(rng.range(7, 95)).unwrap_or(30));
        }
        sessions.push(session(&mut rng, i, at));
    }
    sessions
}

fn session(rng: &mut Rng, i: usize, at: Time) -> SessionRec {
    let channel = ["telephone", "telephone", "webrtc", "text", "text", "email"][rng.index(6)];
    let status = match (i, rng.below(20)) {
        (0, _) => "in_progress",
        (_, 0) => "failed",
        (_, 1) => "transferred",
        (_, 2) => "unanswered",
        (_, 3) if channel == "webrtc" => "token_created",
        _ => "completed",
    };
    let user_id = match channel {
        "webrtc" => format!("guest_{:06x}", rng.below(0xFF_FFFF)),
        "email" => format!("customer{}@example.com", rng.below(900) + 100),
        _ => format!("+1{}55503{:02}", rng.range(201, 989), rng.below(100)),
    };
    let agent = AGENTS[rng.index(AGENTS.len())];
    let talked = matches!(status, "completed" | "in_progress" | "transferred");
    let items = if talked {
        transcript(rng, at, status == "transferred")
    } else {
        Vec::new()
    };
    let turns = items.iter().filter(|i| i["role"] == "user").count();
    SessionRec {
        id: format!("conv_{:016x}", rng.next_u64()),
        channel,
        status,
        direction: if rng.chance(700) { "inbound" } else { "outbound" },
        user_id,
        agent,
        created_at: at,
        duration: talked.then(|| u64::try_from(turns * 17 + 9).unwrap_or(0)),
        summary: talked.then(|| SUMMARIES[rng.index(SUMMARIES.len())].to_owned()),
        initial_context: rng.chance(400).then(|| "Returning customer; prefers text follow-ups.".to_owned()),
        custom_metadata: rng.chance(500).then(|| {
            json!({"anyreach_campaign": "winter-renewals", "order_id": format!("ORD-{}", rng.range(10_000, 99_999))})
        }),
        items,
    }
}

const SUMMARIES: [&str; 4] = [
    "Customer asked where their order is; the agent looked it up and gave the delivery date.",
    "Caller wanted to move an appointment; rebooked for Friday afternoon.",
    "Billing question about a double charge; refund promised within 5 days.",
    "Customer asked for a human; handed off to billing.",
];

/// A LiveKit-style item list: user and assistant turns, a tool call with its output, sometimes
/// an interruption, and a handoff when the session was transferred.
fn transcript(rng: &mut Rng, start: Time, transferred: bool) -> Vec<Value> {
    let mut t = secs(start);
    let mut items = Vec::new();
    let mut id = || format!("item_{:012x}", rng.next_u64() & 0xFFFF_FFFF_FFFF);
    let ids: Vec<String> = (0..12).map(|_| id()).collect();
    let mut next = |step: f64| {
        t += step;
        t
    };
    let order = format!("ORD-{}", rng.range(10_000, 99_999));
    items.push(json!({"id": ids[0], "type": "message", "role": "assistant", "content": ["Hi, thanks for reaching out. How can I help?"],
        "interrupted": false, "metrics": {"e2e_latency": 0.82, "llm_node_ttft": 0.31, "tts_node_ttfb": 0.12}, "created_at": next(1.0)}));
    items.push(json!({"id": ids[1], "type": "message", "role": "user", "content": [format!("Where is my order {order}?")],
        "transcript_confidence": 0.94, "metrics": {"end_of_turn_delay": 0.4}, "created_at": next(4.2)}));
    items.push(
        json!({"id": ids[2], "type": "function_call", "call_id": ids[3], "name": "lookup_order",
        "arguments": format!("{{\"order_id\":\"{order}\"}}"), "created_at": next(0.6)}),
    );
    let failed = rng.chance(150);
    let output = if failed {
        "{\"error\":\"order service timed out\"}".to_owned()
    } else {
        "{\"status\":\"shipped\",\"eta\":\"Friday\"}".to_owned()
    };
    items.push(json!({"id": ids[4], "type": "function_call_output", "call_id": ids[3], "name": "lookup_order",
        "output": output, "is_error": failed, "created_at": next(0.9)}));
    let answer = if failed {
        "Sorry, I can't reach our order system right now."
    } else {
        "It shipped and should arrive on Friday."
    };
    items.push(
        json!({"id": ids[5], "type": "message", "role": "assistant", "content": [answer],
        "interrupted": rng.chance(300), "metrics": {"e2e_latency": 1.37}, "created_at": next(0.5)}),
    );
    items.push(json!({"id": ids[6], "type": "message", "role": "user", "content": [if transferred { "Can I talk to a person about billing?" } else { "Great, thank you!" }],
        "transcript_confidence": 0.88, "created_at": next(3.1)}));
    if transferred {
        items.push(json!({"id": ids[7], "type": "agent_handoff", "old_agent_id": null, "new_agent_id": "agt_ben", "created_at": next(0.8)}));
    } else {
        items.push(json!({"id": ids[7], "type": "message", "role": "assistant", "content": ["You're welcome. Have a great day!"],
            "interrupted": false, "metrics": {"e2e_latency": 0.74}, "created_at": next(0.7)}));
    }
    items
}

#[allow(clippy::cast_precision_loss)] // seconds since 1970 fit an f64's mantissa
fn secs(t: Time) -> f64 {
    t.timestamp_micros() as f64 / 1e6
}
