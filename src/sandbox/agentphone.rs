//! The AgentPhone API, served by the sandbox: conversations (SMS, MMS, iMessage, groups) with
//! their messages, metadata, typing and reactions; calls with transcripts and a live transcript
//! stream; the address book. A seeded world ([`world`], `seed`) with live traffic (`traffic`):
//! customers text in, the AI agent answers, messages get delivered, calls go on.

pub(super) mod calls;
mod contacts;
mod render;
mod routes;
mod seed;
mod send;
pub(super) mod traffic;
pub mod world;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use chrono::Utc;
use tokio::sync::{Notify, watch};

pub use self::routes::router;
pub use self::seed::HOSTILE;
use self::traffic::Pending;
use self::world::World;
use super::{SandboxConfig, SandboxHandle, Shared, Time, truncate};

/// AgentPhone's part of the sandbox: the world, the key it accepts, live traffic and the
/// transcript streams.
#[derive(Debug)]
pub struct Phone {
    world: Mutex<World>,
    api_key: String,
    /// What live traffic does next, and the bell that wakes it when that changes.
    events: Mutex<Vec<Pending>>,
    wake: Notify,
    traffic: Option<Duration>,
    seed: u64,
    /// Answer `after` queries oldest first instead of newest first.
    after_oldest_first: AtomicBool,
    /// New inbound messages and AI replies are held (deliveries still happen).
    traffic_paused: AtomicBool,
    /// Bumped whenever a call changes (transcript streams wake on it).
    calls_changed: watch::Sender<u64>,
    /// Bumped to drop every open transcript stream (the tests' connection-drop knob).
    streams_dropped: watch::Sender<u64>,
    heartbeat: Duration,
}

impl Phone {
    /// Seeds the world at `now` and sets up live traffic as `config` says.
    pub fn build(config: &SandboxConfig, now: Time) -> Self {
        let mut world = seed::generate(&seed::SeedOptions {
            seed: config.seed,
            now,
            conversations: config.conversations,
            long_thread: config.long_thread,
            calls: config.calls,
        });
        if config.hostile {
            seed::make_hostile(&mut world);
        }
        if let Some(live) = config.live_seed {
            world.reseed(live);
        }
        // Two calls going on right now (real time, whatever the world's anchor), so the calls
        // view is alive from the first frame.
        for rows in [2, 1].into_iter().take(config.calls) {
            calls::start(&mut world, truncate(Utc::now()), rows);
        }
        Self {
            world: Mutex::new(world),
            api_key: config.api_key.clone(),
            events: Mutex::new(Vec::new()),
            wake: Notify::new(),
            traffic: config.traffic,
            seed: config.live_seed.unwrap_or(config.seed),
            after_oldest_first: AtomicBool::new(false),
            traffic_paused: AtomicBool::new(false),
            calls_changed: watch::channel(0).0,
            streams_dropped: watch::channel(0).0,
            heartbeat: config.heartbeat,
        }
    }
}

impl Shared {
    fn lock_world(&self) -> MutexGuard<'_, World> {
        self.agentphone
            .world
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// The knobs tests turn on AgentPhone's world and its live traffic.
impl SandboxHandle {
    /// Holds (or resumes) new simulated messages; deliveries of sent ones still happen.
    pub fn pause_traffic(&self, paused: bool) {
        self.shared
            .agentphone
            .traffic_paused
            .store(paused, Ordering::Relaxed);
    }

    /// Answers `after` queries oldest first (`true`) or newest first (the default).
    pub fn set_after_oldest_first(&self, oldest_first: bool) {
        self.shared
            .agentphone
            .after_oldest_first
            .store(oldest_first, Ordering::Relaxed);
    }

    /// Reads or changes the world directly (tests: count messages, inject traffic).
    pub fn with_world<R>(&self, f: impl FnOnce(&mut World) -> R) -> R {
        f(&mut self.shared.lock_world())
    }

    /// Adds an inbound message now, as a customer texting in would (returns its id).
    pub fn inject_inbound(&self, conversation_id: &str, body: &str) -> Option<String> {
        let now = self.shared.now();
        let mut world = self.shared.lock_world();
        let conv = world.conversation_index(conversation_id)?;
        Some(world.add_simple(conv, true, body, now))
    }

    /// Replaces a conversation's metadata on the server, as another agent or the AI backend
    /// would (`None` clears it). False when there is no such conversation.
    pub fn set_metadata(&self, conversation_id: &str, metadata: &serde_json::Value) -> bool {
        let mut world = self.shared.lock_world();
        let Some(conv) = world.conversation_index(conversation_id) else {
            return false;
        };
        world.conversations[conv].metadata = metadata.as_object().cloned();
        true
    }

    /// Advances a call in progress by one exchange, or ends it at its planned length. Returns
    /// true while the call goes on.
    pub fn advance_call(&self, call_id: &str) -> bool {
        let now = self.shared.now();
        let going = self.with_call(call_id, |world, call| calls::advance(world, call, now));
        going.unwrap_or(false)
    }

    /// Ends a call in progress now.
    pub fn end_call(&self, call_id: &str) {
        let now = self.shared.now();
        self.with_call(call_id, |world, call| calls::end(world, call, now));
    }

    /// Ids of the calls in progress.
    pub fn live_calls(&self) -> Vec<String> {
        let world = self.shared.lock_world();
        let live = world
            .calls
            .iter()
            .filter(|c| c.status == calls::IN_PROGRESS);
        live.map(|c| c.id.clone()).collect()
    }

    /// Drops every open transcript stream mid-way, as a broken connection would.
    pub fn drop_streams(&self) {
        self.shared
            .agentphone
            .streams_dropped
            .send_modify(|n| *n += 1);
    }

    fn with_call<R>(&self, call_id: &str, f: impl FnOnce(&mut World, usize) -> R) -> Option<R> {
        let result = {
            let mut world = self.shared.lock_world();
            let call = world.calls.iter().position(|c| c.id == call_id)?;
            f(&mut world, call)
        };
        self.shared
            .agentphone
            .calls_changed
            .send_modify(|n| *n += 1);
        Some(result)
    }
}
