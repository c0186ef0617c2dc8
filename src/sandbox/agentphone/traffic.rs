//! Live traffic: customers text in every few seconds, the AI agent answers, messages get delivered.
//!
//! One task per sandbox. It sleeps until the next inbound message or scheduled event (a delivery, an
//! AI reply), so an idle sandbox costs nothing, and it ends when the sandbox shuts down.

use std::sync::{Arc, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::sync::watch;
use tokio::time::Instant;

use super::calls;
use super::seed::{self, HOSTILE};
use super::world::{ConvRec, World};
use crate::rng::Rng;
use crate::sandbox::{Shared, Time};

/// Something the sandbox does later.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// An outbound message reaches the handset (or fails, for a landline).
    Deliver { message: String },
    /// The AI agent answers in a conversation.
    AiReply { conv: usize },
    /// A call in progress: the next exchange is spoken (or the call ends).
    CallStep { call: usize },
    /// Someone calls in.
    CallStart,
}

/// An event and when it is due.
#[derive(Clone, Debug)]
pub struct Pending {
    pub due: Instant,
    pub event: Event,
}

impl Shared {
    fn lock_events(&self) -> MutexGuard<'_, Vec<Pending>> {
        self.agentphone
            .events
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Schedules `event` in `secs` seconds and wakes the traffic task.
    pub(super) fn schedule(&self, secs: u64, event: Event) {
        let due = tokio::time::Instant::now() + Duration::from_secs(secs);
        self.lock_events().push(Pending { due, event });
        self.agentphone.wake.notify_one();
    }

    fn next_due(&self) -> Option<tokio::time::Instant> {
        self.lock_events().iter().map(|p| p.due).min()
    }

    fn take_due(&self, now: tokio::time::Instant) -> Vec<Event> {
        let mut events = self.lock_events();
        let (due, later): (Vec<Pending>, Vec<Pending>) =
            events.drain(..).partition(|p| p.due <= now);
        *events = later;
        due.into_iter().map(|p| p.event).collect()
    }
}

/// Runs until `stop` turns true (or its sender is gone).
pub async fn run(shared: Arc<Shared>, mut stop: watch::Receiver<bool>) {
    let mut rng = Rng::seeded(shared.agentphone.seed ^ 0x007A_FF1C);
    let mut next_inbound = shared
        .agentphone
        .traffic
        .map(|every| Instant::now() + jitter(every, &mut rng));
    if shared.agentphone.traffic.is_some() {
        let live: Vec<usize> = {
            let world = shared.lock_world();
            let calls = world.calls.iter().enumerate();
            calls
                .filter(|(_, c)| c.status == calls::IN_PROGRESS)
                .map(|(i, _)| i)
                .collect()
        };
        for call in live {
            shared.schedule(rng.range(3, 8), Event::CallStep { call });
        }
    }
    loop {
        let wake = [next_inbound, shared.next_due()]
            .into_iter()
            .flatten()
            .min();
        tokio::select! {
            () = sleep_until(wake) => {}
            () = shared.agentphone.wake.notified() => continue,
            changed = stop.changed() => {
                if changed.is_err() || *stop.borrow() {
                    return;
                }
                continue;
            }
        }
        let now = Instant::now();
        if let (Some(at), Some(every)) = (next_inbound, shared.agentphone.traffic)
            && at <= now
        {
            inbound(&shared, &mut rng);
            next_inbound = Some(now + jitter(every, &mut rng));
        }
        for event in shared.take_due(now) {
            apply(&shared, &event, &mut rng);
        }
    }
}

async fn sleep_until(at: Option<Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

/// `every` scaled by a random factor in [0.5, 1.5).
fn jitter(every: Duration, rng: &mut Rng) -> Duration {
    every.mul_f64(0.5 + rng.unit())
}

/// A customer texts in: usually one of the busiest threads, sometimes any, rarely a new number.
fn inbound(shared: &Shared, rng: &mut Rng) {
    if shared
        .agentphone
        .traffic_paused
        .load(std::sync::atomic::Ordering::Relaxed)
    {
        return;
    }
    let now = shared.now();
    let mut world = shared.lock_world();
    let conv = if rng.chance(40) {
        new_conversation(&mut world, rng, now)
    } else {
        let order = world.conversations_by_activity();
        let pool = if rng.chance(600) {
            &order[..order.len().min(12)]
        } else {
            &order[..]
        };
        let Some(&conv) = pool.get(rng.index(pool.len().max(1))) else {
            return;
        };
        conv
    };
    if world.conversations[conv].opted_out {
        return;
    }
    let body = if rng.chance(15) {
        rng.pick(&HOSTILE).clone()
    } else {
        seed::live_line(rng, world.conversations[conv].topic, true)
    };
    world.add_simple(conv, true, &body, now);
    drop(world);
    if rng.chance(850) {
        shared.schedule(rng.range(2, 6), Event::AiReply { conv });
    }
}

fn new_conversation(world: &mut World, rng: &mut Rng, now: Time) -> usize {
    let number = rng.index(world.numbers.len());
    let participant = format!("+1{}55501{:02}", rng.range(201, 989), rng.below(100));
    if let Some(existing) = world.find_thread(number, &participant) {
        return existing;
    }
    let conv = ConvRec {
        id: world.new_id("conv"),
        agent_id: world.numbers[number].agent_id.clone(),
        number,
        participant,
        group: None,
        metadata: None,
        created_at: now,
        channel: world.numbers[number].kind,
        undeliverable: false,
        opted_out: false,
        topic: rng.index(seed::SEED_DATA.topics.len()),
        messages: Vec::new(),
    };
    world.add_conversation(conv)
}

fn apply(shared: &Shared, event: &Event, rng: &mut Rng) {
    let now = shared.now();
    let paused = shared
        .agentphone
        .traffic_paused
        .load(std::sync::atomic::Ordering::Relaxed);
    match event {
        Event::CallStep { call } if paused => {
            shared.schedule(5, Event::CallStep { call: *call });
        }
        Event::CallStep { call } => {
            let going = calls::advance(&mut shared.lock_world(), *call, now);
            shared.agentphone.calls_changed.send_modify(|n| *n += 1);
            if going {
                shared.schedule(rng.range(4, 10), Event::CallStep { call: *call });
            } else {
                shared.schedule(rng.range(15, 45), Event::CallStart);
            }
        }
        Event::CallStart if paused => shared.schedule(10, Event::CallStart),
        Event::CallStart => {
            let call = calls::start(&mut shared.lock_world(), now, 1);
            shared.agentphone.calls_changed.send_modify(|n| *n += 1);
            shared.schedule(rng.range(4, 10), Event::CallStep { call });
        }
        Event::AiReply { .. }
            if shared
                .agentphone
                .traffic_paused
                .load(std::sync::atomic::Ordering::Relaxed) => {}
        Event::AiReply { conv } => {
            let mut world = shared.lock_world();
            let Some(rec) = world.conversations.get(*conv) else {
                return;
            };
            let body = seed::live_line(rng, rec.topic, false);
            let id = world.add_simple(*conv, false, &body, now);
            drop(world);
            shared.schedule(2, Event::Deliver { message: id });
        }
        Event::Deliver { message } => {
            let mut world = shared.lock_world();
            let Some((conv, pos)) = world.find_message(message) else {
                return;
            };
            let undeliverable = world.conversations[conv].undeliverable;
            let msg = &mut world.conversations[conv].messages[pos];
            if undeliverable {
                msg.status = Some("failed".into());
                msg.failure = Some(("30006".into(), "Landline or unreachable carrier".into()));
            } else {
                msg.status = Some("delivered".into());
                msg.delivered_at = Some(now);
            }
        }
    }
}
