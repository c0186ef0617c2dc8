//! After the faults stop: the app must be live again by itself (nobody presses refresh), settle the sends the server
//! holds, and catch up every thread it holds and the list's top page. Every wait is bounded; what
//! did not happen in time is for the checks to report.

use std::panic::AssertUnwindSafe;
use std::time::Duration;

use futures::FutureExt as _;
use tokio::time::Instant;

use super::user::{SIZES, back_to_list};
use crate::app::action::{Action, Command};
use crate::app::headless::Headless;
use crate::app::state::{AppState, Connection, SendState};
use crate::sandbox::SandboxHandle;

/// How long the app has to be live again after the faults stop.
pub const RECOVERY: Duration = Duration::from_secs(6);
/// How long settling may take in all.
const SETTLE: Duration = Duration::from_secs(20);
/// A request stalled by a fault just before the faults stopped still lands this long after
/// (the longest stall, and a margin): only then is the server's copy final.
const STALLS_LAND: Duration = Duration::from_millis(3_500);
/// The longest wait for one thread's requests to settle.
const PER_THREAD: Duration = Duration::from_secs(3);

/// The app, with the panics its steps raised counted instead of ending the run.
pub struct Driven<'a> {
    pub app: &'a mut Headless,
    pub panics: u64,
}

impl Driven<'_> {
    /// Processes answers and ticks until `done` or `timeout`; a panic counts and ends the wait.
    pub async fn wait(&mut self, timeout: Duration, done: impl FnMut(&AppState) -> bool) -> bool {
        let run = AssertUnwindSafe(self.app.run_until(timeout, done)).catch_unwind();
        run.await.unwrap_or_else(|_| {
            self.panics += 1;
            false
        })
    }

    /// Runs one synchronous step of the user or the soak, counting a panic.
    pub fn step(&mut self, act: impl FnOnce(&mut Headless)) {
        let app = &mut *self.app;
        if std::panic::catch_unwind(AssertUnwindSafe(|| act(app))).is_err() {
            self.panics += 1;
        }
    }
}

/// Stops the faults and waits for the app to catch up; how long recovery took (`None`: it did
/// not recover within [`RECOVERY`]).
pub async fn settle(handle: &SandboxHandle, driven: &mut Driven<'_>) -> Option<Duration> {
    let cleared = Instant::now();
    handle.clear_faults();
    handle.pause_traffic(true);
    let deadline = cleared + SETTLE;
    let (width, height) = SIZES[0];
    driven.step(|app| app.dispatch(Action::Resize { width, height }));
    // No refresh: the app must come back by itself.
    let live = |s: &AppState| s.sync.connection == Connection::Live;
    if !driven.wait(RECOVERY, live).await {
        return None;
    }
    let recovered = cleared.elapsed();
    let landed = (cleared + STALLS_LAND).saturating_duration_since(Instant::now());
    driven.wait(landed, |_| false).await;
    sends(handle, driven, deadline).await;
    threads(driven, deadline).await;
    list(driven, deadline).await;
    Some(recovered)
}

/// Waits while a send is in flight, or unsettled although the server holds its message (a send
/// the server never stored takes its full check schedule to settle, and is not waited for).
async fn sends(handle: &SandboxHandle, driven: &mut Driven<'_>, deadline: Instant) {
    while Instant::now() < deadline {
        let waiting = handle.with_world(|world| {
            driven
                .app
                .state
                .inbox
                .drafts
                .values()
                .filter_map(|d| d.sending.as_ref())
                .any(|p| {
                    p.state == SendState::Sending
                        || world
                            .conversations
                            .iter()
                            .any(|c| c.messages.iter().any(|m| m.body == p.body))
                })
        });
        if !waiting {
            return;
        }
        driven.wait(Duration::from_millis(250), |_| false).await;
    }
}

/// Reopens every thread the app holds (only the open one is polled) and lets it catch up.
async fn threads(driven: &mut Driven<'_>, deadline: Instant) {
    let ids: Vec<_> = driven.app.state.inbox.threads.keys().cloned().collect();
    for id in ids {
        if Instant::now() >= deadline {
            return;
        }
        if driven.app.state.conversation(&id).is_none() {
            continue;
        }
        // Back to the list first: leaving a thread selects its row, which would reopen it.
        driven.step(|app| {
            back_to_list(app);
            app.state.inbox.list.selected = Some(id.clone());
            app.command(Command::Open);
        });
        if driven.app.state.inbox.open.as_ref() == Some(&id) {
            open_thread(driven, deadline).await;
        }
    }
}

/// Waits for the open thread's requests to settle, then polls it once more and waits for that:
/// a poll already in flight when the thread was opened may have left before the thread's last
/// messages arrived, and its answer must not count as caught up.
async fn open_thread(driven: &mut Driven<'_>, deadline: Instant) {
    let bound = || PER_THREAD.min(deadline.saturating_duration_since(Instant::now()));
    let idle = |s: &AppState| {
        s.sync.thread.request.is_none() && s.open_thread().is_some_and(|t| !t.latest.is_loading())
    };
    driven.wait(bound(), idle).await;
    let before = driven.app.state.open_thread().map_or(0, |t| t.requests);
    driven.step(|app| app.command(Command::Refresh));
    let polled = |s: &AppState| idle(s) && s.open_thread().is_some_and(|t| t.requests > before);
    driven.wait(bound(), polled).await;
}

/// Polls the list's top once more, after everything else, and waits for the answer.
async fn list(driven: &mut Driven<'_>, deadline: Instant) {
    let bound = || deadline.saturating_duration_since(Instant::now());
    driven.step(back_to_list);
    driven
        .wait(bound(), |s| s.sync.list.request.is_none())
        .await;
    driven.step(|app| app.command(Command::Refresh));
    let Some(asked) = driven.app.state.sync.list.request else {
        return;
    };
    driven
        .wait(bound(), |s| s.sync.list.request != Some(asked))
        .await;
}
