//! The soak run: the real app, headless, against the sandbox on loopback with every fault on
//! (5xx, 429 with Retry-After, malformed and truncated bodies, dropped connections, stalls past
//! the timeout) and live traffic, while a scripted user browses, scrolls, resizes, replies and
//! edits metadata. Every action is followed by a frame drawn into a test terminal. Four of the
//! first replies are forced to be ambiguous (the server acts, the answer is lost), and the last
//! moments of the run are a blackout, so the app is offline when the faults stop.
//! Bounded in time.
//!
//! At the end the faults stop and the app must recover and catch up by itself; then its threads
//! and list are compared with the server's copy (the `check` module says how a thread's window
//! is bounded): nothing lost, nothing invented, ids unique and ordered, the same bodies and
//! metadata, no reply sent twice.
//!
//! [`Breakage`] runs the same soak against a deliberately broken client, to prove each check
//! can fail.

mod breakage;
mod check;
mod report;
mod settle;
mod user;

use std::sync::PoisonError;
use std::time::Duration;

use tokio::time::Instant;

pub use self::breakage::Breakage;
pub use self::report::{Broken, Check, SoakReport};
use self::settle::Driven;
use self::user::User;
use crate::api::{AgentPhone, ApiError, RetryPolicy};
use crate::app::headless::Headless;
use crate::app::state::{AppState, Connection, EditorPhase, Settings};
use crate::sandbox::{self, Fault, FaultConfig, FaultRule, RetryAfter, SandboxConfig};

/// How long the user acts between steps of the app.
const STEP: Duration = Duration::from_millis(150);
/// At the end of the run every request fails for this long, so the app is offline when the
/// faults stop and must recover by itself.
const BLACKOUT: Duration = Duration::from_millis(1_500);
/// The longest the user waits for a metadata save to answer.
const SAVE_WAIT: Duration = Duration::from_secs(1);

/// How long, with which seed, against which client.
#[derive(Clone, Copy, Debug)]
pub struct SoakOptions {
    pub duration: Duration,
    pub seed: u64,
    /// A deliberately broken client (`None`: the app as it is).
    pub breakage: Option<Breakage>,
}

/// Why a soak could not run at all (a broken guarantee is a report, not an error).
#[derive(Debug, thiserror::Error)]
pub enum SoakError {
    #[error("cannot start the sandbox on 127.0.0.1: {0}")]
    Sandbox(#[from] std::io::Error),
    #[error("cannot create the client for the sandbox: {0}")]
    Client(#[from] ApiError),
}

/// Every fault at once.
fn all_faults() -> FaultConfig {
    FaultConfig {
        latency: Duration::from_millis(5),
        error_rate: 0.06,
        rate_limit_every: Some(29),
        retry_after: RetryAfter::Seconds(1),
        malformed_rate: 0.03,
        truncate_rate: 0.03,
        drop_rate: 0.03,
        stall_rate: 0.015,
        stall: Duration::from_secs(3),
        max_rps: None,
        ..FaultConfig::default()
    }
}

/// The replies (by number) whose answer is lost after the server acted, each in another way:
/// the first two, then every other one (so clean sends come between them).
const FORCED_AT: [usize; 4] = [0, 1, 3, 5];

/// Sends that lose their answer after the server acted, each in another way.
fn ambiguous_sends() -> [FaultRule; 4] {
    let stall = Fault::Stall(Duration::from_millis(2_500));
    [Fault::Drop, Fault::Truncated, Fault::Malformed, stall].map(|fault| {
        FaultRule::next(fault, 1)
            .on_path("/v1/messages")
            .on_method("POST")
    })
}

/// The app on the sandbox, with short timeouts and polls so a short run sees a lot.
fn start_app(handle: &sandbox::SandboxHandle) -> Result<Headless, SoakError> {
    let mut http = handle.http_config();
    http.request_timeout = Duration::from_secs(2);
    http.retry = RetryPolicy {
        max_attempts: 3,
        base_delay: Duration::from_millis(50),
        max_delay: Duration::from_millis(500),
        max_retry_after: Duration::from_secs(5),
    };
    let client = AgentPhone::new(http)?;
    let settings = Settings {
        list_poll: Duration::from_millis(600),
        thread_poll: Duration::from_millis(400),
        list_poll_max: Duration::from_secs(3),
        thread_poll_max: Duration::from_secs(2),
        offline_max: Duration::from_secs(2),
        ..Settings::default()
    };
    let (width, height) = user::SIZES[0];
    let mut app = Headless::start(client, settings, width, height);
    app.draw_every_step();
    Ok(app)
}

/// Runs the soak and reports.
pub async fn run(options: SoakOptions) -> Result<SoakReport, SoakError> {
    let config = SandboxConfig {
        seed: options.seed,
        traffic: Some(Duration::from_millis(300)),
        faults: all_faults(),
        ..SandboxConfig::default()
    };
    let handle = sandbox::spawn(config).await?;
    let mut app = start_app(&handle)?;
    let (watch, tally) = breakage::Watch::new(options.breakage);
    app.tamper(Box::new(watch));
    let mut user = User::new(options.seed);
    let mut driven = Driven {
        app: &mut app,
        panics: 0,
    };
    drive(&handle, &mut driven, &mut user, options.duration).await;
    let down_at_stop = driven.app.state.sync.connection != Connection::Live;
    let recovered_after = settle::settle(&handle, &mut driven).await;
    let panics = driven.panics;
    let tally = std::mem::take(&mut *tally.lock().unwrap_or_else(PoisonError::into_inner));
    let mut report = SoakReport {
        duration: options.duration,
        breakage: options.breakage,
        recovered_after,
        down_at_stop,
        panics: panics + tally.panics,
        ..SoakReport::default()
    };
    record(&handle, &app, &mut report);
    compare(&handle, &app, (&user, &tally), &mut report);
    handle.shutdown().await;
    Ok(report)
}

/// The user acts while every fault is on; the first replies are made ambiguous in turn, and the
/// end of the run is a blackout.
async fn drive(
    handle: &sandbox::SandboxHandle,
    driven: &mut Driven<'_>,
    user: &mut User,
    duration: Duration,
) {
    let deadline = Instant::now() + duration;
    let blackout = deadline - BLACKOUT.min(duration / 2);
    let mut dark = false;
    let mut forced = ambiguous_sends().into_iter().enumerate().peekable();
    while Instant::now() < deadline {
        if let Some((_, rule)) = forced.next_if(|(i, _)| user.replies.len() >= FORCED_AT[*i]) {
            handle.push_fault(rule);
        }
        if !dark && Instant::now() >= blackout {
            handle.push_fault(FaultRule::next(Fault::Status(503), u32::MAX));
            dark = true;
        }
        driven.wait(STEP, |_| false).await;
        driven.step(|app| user.act(app));
        await_save(driven, user).await;
    }
}

/// Like a person, the user waits to see whether a metadata save went through, and presses save
/// again (twice at most) when it failed.
async fn await_save(driven: &mut Driven<'_>, user: &mut User) {
    let saving = |s: &AppState| {
        s.inbox
            .editor
            .as_ref()
            .is_some_and(|e| matches!(e.phase, EditorPhase::Checking(_) | EditorPhase::Saving(_)))
    };
    for retry in 0..3 {
        driven.wait(SAVE_WAIT, |s| !saving(s)).await;
        let failed = driven
            .app
            .state
            .inbox
            .editor
            .as_ref()
            .is_some_and(|e| e.phase == EditorPhase::Editing && e.error.is_some());
        if !failed || retry == 2 {
            return;
        }
        driven.step(|app| user.save_again(app));
    }
}

/// What the sandbox and the app counted.
fn record(handle: &sandbox::SandboxHandle, app: &Headless, report: &mut SoakReport) {
    let requests = handle.requests();
    report.requests = requests.len() as u64;
    report.faults_injected = requests.iter().filter(|r| r.fault.is_some()).count() as u64;
    (report.ambiguous_sends, report.metadata_saves) = check::writes(&requests);
    report.errors = app.errors.clone();
    report.recoveries = app.recoveries;
    report.frames = app.frames;
}

/// Runs every check.
fn compare(
    handle: &sandbox::SandboxHandle,
    app: &Headless,
    (user, tally): (&User, &breakage::Tally),
    report: &mut SoakReport,
) {
    report.replies_attempted = user.replies.len();
    report.replies_confirmed = tally.confirmed.len();
    report.metadata_save_presses = user.save_presses;
    report.metadata_saves_confirmed = tally.saves_confirmed;
    if report.panics > 0 {
        let panics = report.panics;
        report.fail(Check::NoPanic, || {
            format!("{panics} panics (see the log above)")
        });
    }
    if report.recovered_after.is_none() {
        let connection = &app.state.sync.connection;
        report.fail(Check::Recovered, || {
            format!(
                "still {connection:?} {}s after the faults stopped",
                settle::RECOVERY.as_secs()
            )
        });
    }
    handle.with_world(|world| {
        check::threads(world, &app.state, report);
        check::list(world, &app.state, report);
        let replies = (user.replies.as_slice(), tally.confirmed.as_slice());
        check::replies(world, &app.state, replies, report);
    });
    check::exercised(report);
}
