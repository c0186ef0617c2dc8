//! The embedded sandbox: an in-process HTTP server that speaks the AgentPhone, Anyreach and
//! Chatwoot APIs over loopback.
//!
//! [`serve`] runs the routes and the live-traffic task on a listener the caller bound (tests bind
//! `127.0.0.1:0`, so there are no port races and no sleeps). [`spawn`] does that on a background
//! task and returns a [`SandboxHandle`] with the URL, the key, and the knobs tests turn: faults,
//! direct access to the world, and the log of requests served.
//!
//! One folder per provider, as in `api/`: `agentphone`, `anyreach`, `chatwoot`, each with its
//! data, its routes in the provider's shapes and its part of [`Shared`]. Here, shared by all: the
//! server (`router` is the registry of providers' routes), request parsing (`request`), refusals
//! (`reject`), the fault layer (`faults`) and odd records ([`mutate`]).

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

use axum::Router;
use axum::http::StatusCode;
use axum::middleware;
use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use tokio::net::TcpListener;
use tokio::sync::{oneshot, watch};
use tokio::task::JoinHandle;
use url::Url;

pub use self::agentphone::{HOSTILE, world};
pub use self::anyreach::{
    ORG_ID as ANYREACH_ORG_ID, ORG_KEY as ANYREACH_KEY, READ_ONLY_TOKEN as ANYREACH_READ_ONLY_TOKEN,
};
pub use self::chatwoot::{PAGE_SIZE as CHATWOOT_PAGE_SIZE, TOKEN as CHATWOOT_TOKEN};
pub use self::faults::{Fault, FaultConfig, FaultRule, RequestRecord, RetryAfter};
use self::faults::{FaultState, RequestLog};
use self::reject::Reject;

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

/// State shared by the routes, the fault layer and the traffic task: a part per provider, and
/// the faults, the request log and the shutdown signal that all of them share.
#[derive(Debug)]
pub struct Shared {
    /// AgentPhone: the world, its key, live traffic and the transcript streams.
    agentphone: agentphone::Phone,
    /// Anyreach's AI sessions, newest first.
    sessions: Mutex<Vec<anyreach::SessionRec>>,
    /// Chatwoot account 1.
    desk: Mutex<chatwoot::Desk>,
    faults: Mutex<FaultState>,
    log: Mutex<RequestLog>,
    /// Turns true when the server shuts down, so open streams end and shutdown is not held up.
    stopping: watch::Sender<bool>,
}

impl Shared {
    /// Builds every provider's data and the state around it.
    pub fn build(config: &SandboxConfig) -> Arc<Self> {
        let now = truncate(config.now.unwrap_or_else(Utc::now));
        Arc::new(Self {
            agentphone: agentphone::Phone::build(config, now),
            sessions: Mutex::new(anyreach::generate(config.seed, now, config.sessions)),
            desk: Mutex::new(chatwoot::Desk::generate(
                config.seed,
                now,
                config.desk,
                config.chatwoot_page_size,
            )),
            faults: Mutex::new(FaultState::new(config.faults.clone(), config.seed)),
            log: Mutex::new(RequestLog::default()),
            stopping: watch::channel(false).0,
        })
    }

    fn lock_faults(&self) -> MutexGuard<'_, FaultState> {
        self.faults.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn lock_log(&self) -> MutexGuard<'_, RequestLog> {
        self.log.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The sandbox clock: wall time in whole seconds, like the seeded history.
    #[allow(clippy::unused_self)] // a method so a test clock can replace it in one place
    fn now(&self) -> Time {
        truncate(Utc::now())
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
    let traffic = agentphone::traffic::run(sandbox.clone(), stop_rx);
    let stopping = sandbox.clone();
    let server = axum::serve(listener, router(sandbox)).with_graceful_shutdown(async move {
        shutdown.await;
        let _ = stop_tx.send(true);
        stopping.stopping.send_replace(true);
    });
    let (result, ()) = tokio::join!(server, traffic);
    result
}

/// Every provider's routes, the refusals of unknown paths and methods in FastAPI's shape, and
/// the fault layer around everything. A new provider merges its router here.
fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .merge(agentphone::router(shared.clone()))
        .merge(anyreach::router())
        .merge(chatwoot::router())
        .fallback(|| async { Reject::detail(StatusCode::NOT_FOUND, "Not Found") })
        .method_not_allowed_fallback(|| async {
            Reject::detail(StatusCode::METHOD_NOT_ALLOWED, "Method Not Allowed")
        })
        .layer(middleware::from_fn_with_state(
            shared.clone(),
            faults::apply,
        ))
        .with_state(shared)
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
