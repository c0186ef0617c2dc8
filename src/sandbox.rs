//! The embedded sandbox: an in-process HTTP server that speaks the AgentPhone API over loopback.
//!
//! [`serve`] runs the routes and the live-traffic task on a listener the caller bound (tests bind
//! `127.0.0.1:0`, so there are no port races and no sleeps). [`spawn`] does that on a background
//! task and returns a [`SandboxHandle`] with the URL, the key, and the knobs tests turn: faults,
//! direct access to the world, and the log of requests served.

mod agentphone;
mod anyreach;
mod chatwoot;
mod faults;
pub mod mutate;
mod reject;
mod request;

use std::future::Future;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use tokio::net::TcpListener;
use tokio::sync::{Notify, oneshot, watch};
use tokio::task::JoinHandle;
use url::Url;

use self::agentphone::traffic::{Event, Pending};
use self::agentphone::world::World;
pub use self::agentphone::{HOSTILE, world};
use self::agentphone::{calls, routes, seed, traffic};
pub use self::anyreach::{
    ORG_ID as ANYREACH_ORG_ID, ORG_KEY as ANYREACH_KEY, READ_ONLY_TOKEN as ANYREACH_READ_ONLY_TOKEN,
};
pub use self::chatwoot::{PAGE_SIZE as CHATWOOT_PAGE_SIZE, TOKEN as CHATWOOT_TOKEN};
pub use self::faults::{Fault, FaultConfig, FaultRule, RequestRecord, RetryAfter};
use self::faults::{FaultState, RequestLog};

/// A moment in the sandbox: UTC, whole seconds in the seeded history.
pub type Time = DateTime<Utc>;

/// The key the sandbox accepts unless configured otherwise.
pub const DEFAULT_API_KEY: &str = "sandbox-key-not-secret";

/// What world to build and how the server behaves.
#[derive(Clone, Debug)]
pub struct SandboxConfig {
    pub seed: u64,
    /// The anchor of the seeded history (newest messages minutes before it); `None` is now.
    pub now: Option<Time>,
    pub api_key: String,
    pub conversations: usize,
    pub long_thread: usize,
    pub calls: usize,
    /// Anyreach AI sessions.
    pub sessions: usize,
    /// Chatwoot conversations of account 1 (plus one with imported history when not 0).
    pub desk: usize,
    /// Chatwoot conversations per list page (the server's `CONVERSATION_RESULTS_PER_PAGE`,
    /// which self-hosted instances set; 25 by default).
    pub chatwoot_page_size: usize,
    /// Average gap between simulated inbound messages; `None` turns live traffic off.
    pub traffic: Option<Duration>,
    /// Fill names, previews, bodies and metadata with the hostile corpus (escape-proofing tests).
    pub hostile: bool,
    pub faults: FaultConfig,
    /// Seeds live traffic (and the ids it creates) apart from the history, so two runs of the
    /// same world do not invent the same "new" messages; `None` follows `seed`.
    pub live_seed: Option<u64>,
    /// How often a transcript stream sends `: heartbeat` (15 s, as the real API).
    pub heartbeat: Duration,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        Self {
            seed: 7,
            now: None,
            api_key: DEFAULT_API_KEY.into(),
            conversations: 240,
            long_thread: 2_400,
            calls: 60,
            sessions: 150,
            desk: 60,
            chatwoot_page_size: chatwoot::PAGE_SIZE,
            traffic: Some(Duration::from_secs(4)),
            hostile: false,
            faults: FaultConfig::default(),
            live_seed: None,
            heartbeat: Duration::from_secs(15),
        }
    }
}

impl SandboxConfig {
    /// A deterministic configuration for tests: fixed anchor time, no live traffic.
    pub fn quiet(seed: u64) -> Self {
        Self {
            seed,
            now: Utc::now().duration_trunc(TimeDelta::hours(1)).ok(),
            traffic: None,
            ..Self::default()
        }
    }
}

/// State shared by the routes, the fault layer and the traffic task.
#[derive(Debug)]
pub struct Shared {
    world: Mutex<World>,
    /// Anyreach's AI sessions, newest first.
    sessions: Mutex<Vec<anyreach::SessionRec>>,
    /// Chatwoot account 1.
    desk: Mutex<chatwoot::Desk>,
    faults: Mutex<FaultState>,
    log: Mutex<RequestLog>,
    events: Mutex<Vec<Pending>>,
    wake: Notify,
    api_key: String,
    traffic: Option<Duration>,
    seed: u64,
    /// Answer `after` queries oldest first instead of newest first.
    after_oldest_first: std::sync::atomic::AtomicBool,
    /// New inbound messages and AI replies are held (deliveries still happen).
    traffic_paused: std::sync::atomic::AtomicBool,
    /// Bumped whenever a call changes (transcript streams wake on it).
    calls_changed: watch::Sender<u64>,
    /// Bumped to drop every open transcript stream (the tests' connection-drop knob).
    streams_dropped: watch::Sender<u64>,
    heartbeat: Duration,
    /// Turns true when the server shuts down, so open streams end and shutdown is not held up.
    stopping: watch::Sender<bool>,
}

impl Shared {
    /// Builds the world and the state around it.
    pub fn build(config: &SandboxConfig) -> Arc<Self> {
        let now = config.now.unwrap_or_else(Utc::now);
        let mut world = seed::generate(&seed::SeedOptions {
            seed: config.seed,
            now: truncate(now),
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
        Arc::new(Self {
            world: Mutex::new(world),
            sessions: Mutex::new(anyreach::generate(
                config.seed,
                truncate(now),
                config.sessions,
            )),
            desk: Mutex::new(chatwoot::Desk::generate(
                config.seed,
                truncate(now),
                config.desk,
                config.chatwoot_page_size,
            )),
            faults: Mutex::new(FaultState::new(config.faults.clone(), config.seed)),
            log: Mutex::new(RequestLog::default()),
            events: Mutex::new(Vec::new()),
            wake: Notify::new(),
            api_key: config.api_key.clone(),
            traffic: config.traffic,
            seed: config.live_seed.unwrap_or(config.seed),
            after_oldest_first: std::sync::atomic::AtomicBool::new(false),
            traffic_paused: std::sync::atomic::AtomicBool::new(false),
            calls_changed: watch::channel(0).0,
            streams_dropped: watch::channel(0).0,
            heartbeat: config.heartbeat,
            stopping: watch::channel(false).0,
        })
    }

    fn lock_world(&self) -> MutexGuard<'_, World> {
        self.world.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn lock_desk(&self) -> MutexGuard<'_, chatwoot::Desk> {
        self.desk.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn lock_sessions(&self) -> MutexGuard<'_, Vec<anyreach::SessionRec>> {
        self.sessions.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn lock_faults(&self) -> MutexGuard<'_, FaultState> {
        self.faults.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn lock_log(&self) -> MutexGuard<'_, RequestLog> {
        self.log.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn lock_events(&self) -> MutexGuard<'_, Vec<Pending>> {
        self.events.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The sandbox clock: wall time in whole seconds, like the seeded history.
    #[allow(clippy::unused_self)] // a method so a test clock can replace it in one place
    fn now(&self) -> Time {
        truncate(Utc::now())
    }

    /// Schedules `event` in `secs` seconds and wakes the traffic task.
    fn schedule(&self, secs: u64, event: Event) {
        let due = tokio::time::Instant::now() + Duration::from_secs(secs);
        self.lock_events().push(Pending { due, event });
        self.wake.notify_one();
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

fn truncate(t: Time) -> Time {
    t.duration_trunc(TimeDelta::seconds(1)).unwrap_or(t)
}

/// Serves the API on `listener` until `shutdown` completes; runs live traffic meanwhile.
pub async fn serve(
    listener: TcpListener,
    sandbox: Arc<Shared>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let (stop_tx, stop_rx) = watch::channel(false);
    let traffic = traffic::run(sandbox.clone(), stop_rx);
    let stopping = sandbox.clone();
    let server =
        axum::serve(listener, routes::router(sandbox)).with_graceful_shutdown(async move {
            shutdown.await;
            let _ = stop_tx.send(true);
            stopping.stopping.send_replace(true);
        });
    let (result, ()) = tokio::join!(server, traffic);
    result
}

/// A sandbox running on a background task, bound to `127.0.0.1`.
#[derive(Debug)]
pub struct SandboxHandle {
    url: Url,
    api_key: String,
    shared: Arc<Shared>,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
}

/// Starts a sandbox on `127.0.0.1:0` (any free port).
pub async fn spawn(config: SandboxConfig) -> std::io::Result<SandboxHandle> {
    spawn_on(config, 0).await
}

/// Starts a sandbox on `127.0.0.1:port`.
pub async fn spawn_on(config: SandboxConfig, port: u16) -> std::io::Result<SandboxHandle> {
    let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port))).await?;
    let addr = listener.local_addr()?;
    let shared = Shared::build(&config);
    let (tx, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(serve(listener, shared.clone(), async move {
        let _ = rx.await;
    }));
    let url = Url::parse(&format!("http://{addr}"))
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?;
    Ok(SandboxHandle {
        url,
        api_key: config.api_key,
        shared,
        shutdown: Some(tx),
        task: Some(task),
    })
}

impl SandboxHandle {
    /// The base URL (`http://127.0.0.1:PORT`).
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// The bearer key the sandbox accepts.
    pub fn api_key(&self) -> &str {
        &self.api_key
    }

    /// A client configuration pointed at this sandbox with its key.
    pub fn http_config(&self) -> crate::api::HttpConfig {
        crate::api::HttpConfig::new(
            self.url.clone(),
            Some(secrecy::SecretString::from(self.api_key.clone())),
        )
    }

    /// Holds (or resumes) new simulated messages; deliveries of sent ones still happen.
    pub fn pause_traffic(&self, paused: bool) {
        self.shared
            .traffic_paused
            .store(paused, std::sync::atomic::Ordering::Relaxed);
    }

    /// Answers `after` queries oldest first (`true`) or newest first (the default).
    pub fn set_after_oldest_first(&self, oldest_first: bool) {
        self.shared
            .after_oldest_first
            .store(oldest_first, std::sync::atomic::Ordering::Relaxed);
    }

    /// Replaces the random fault settings.
    pub fn set_faults(&self, config: FaultConfig) {
        self.shared.lock_faults().config = config;
    }

    /// Adds a scripted fault for the next matching requests.
    pub fn push_fault(&self, rule: FaultRule) {
        self.shared.lock_faults().push_rule(rule);
    }

    /// Turns every fault off.
    pub fn clear_faults(&self) {
        self.shared.lock_faults().clear();
    }

    /// Reads or changes the world directly (tests: count messages, inject traffic).
    pub fn with_world<R>(&self, f: impl FnOnce(&mut World) -> R) -> R {
        f(&mut self.shared.lock_world())
    }

    /// The most recent requests served (up to 100,000), oldest first.
    pub fn requests(&self) -> Vec<RequestRecord> {
        self.shared.lock_log().entries.iter().cloned().collect()
    }

    /// Forgets the request log.
    pub fn clear_requests(&self) {
        let mut log = self.shared.lock_log();
        log.entries.clear();
        log.total = 0;
    }

    /// Adds an inbound message now, as a customer texting in would (returns its id).
    pub fn inject_inbound(&self, conversation_id: &str, body: &str) -> Option<String> {
        let now = self.shared.now();
        let mut world = self.shared.lock_world();
        let conv = world.conversation_index(conversation_id)?;
        Some(world.add_simple(conv, true, body, now))
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

    /// The public API's identifiers of a Chatwoot conversation's contact: `(inbox, contact)`.
    pub fn chatwoot_contact(&self, conversation: u64) -> Option<(String, String)> {
        let mut desk = self.shared.lock_desk();
        let conv = desk.find(conversation)?;
        Some((format!("inbox-{}", conv.inbox), conv.source_id.clone()))
    }

    /// Adds an incoming Chatwoot message now (a customer writing in); returns its id.
    pub fn chatwoot_incoming(&self, conversation: u64, content: &str) -> Option<u64> {
        let now = self.shared.now().timestamp();
        let mut desk = self.shared.lock_desk();
        let contact = desk.find(conversation)?.contact.clone();
        let sender = Some((contact.0, contact.1, "contact"));
        desk.add(conversation, content, 0, false, sender, now)
            .map(|m| m.id)
    }

    /// Drops every open transcript stream mid-way, as a broken connection would.
    pub fn drop_streams(&self) {
        self.shared.streams_dropped.send_modify(|n| *n += 1);
    }

    fn with_call<R>(&self, call_id: &str, f: impl FnOnce(&mut World, usize) -> R) -> Option<R> {
        let result = {
            let mut world = self.shared.lock_world();
            let call = world.calls.iter().position(|c| c.id == call_id)?;
            f(&mut world, call)
        };
        self.shared.calls_changed.send_modify(|n| *n += 1);
        Some(result)
    }

    /// Stops the server, waiting up to a second for open requests to finish.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let abort = task.abort_handle();
            if tokio::time::timeout(Duration::from_secs(1), task)
                .await
                .is_err()
            {
                abort.abort();
            }
        }
    }
}

impl Drop for SandboxHandle {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}
