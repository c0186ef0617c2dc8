//! The soak run: the real app, headless, against the sandbox on loopback with every fault on
//! (5xx, 429 with Retry-After, malformed and truncated bodies, dropped connections, stalls past
//! the timeout) and live traffic, while a scripted user browses, scrolls, replies and edits
//! metadata. Bounded in time. At the end the faults stop, the app catches up, and its threads are
//! compared with the server: nothing lost, nothing invented, no reply sent twice.

use std::collections::BTreeMap;
use std::fmt;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::time::Instant;

use crate::api::{AgentPhone, ErrorClass, RetryPolicy};
use crate::app::action::{Action, Command};
use crate::app::headless::Headless;
use crate::app::state::{Connection, Focus, Settings};
use crate::rng::Rng;
use crate::sandbox::{self, FaultConfig, RetryAfter, SandboxConfig, SandboxHandle};

/// How long and with which seed.
#[derive(Clone, Copy, Debug)]
pub struct SoakOptions {
    pub duration: Duration,
    pub seed: u64,
}

/// What the soak saw.
#[derive(Clone, Debug, Default)]
pub struct SoakReport {
    pub duration: Duration,
    /// Requests the sandbox served (every attempt, retries included).
    pub requests: u64,
    /// Requests that got an injected fault.
    pub faults_injected: u64,
    /// Failed results that reached the app, by class.
    pub errors: BTreeMap<ErrorClass, u64>,
    pub recoveries: u64,
    pub panics: u64,
    /// Messages compared with the server at the end.
    pub messages_checked: usize,
    /// Server messages inside a loaded window of a thread that the app does not have.
    pub messages_lost: usize,
    /// App messages the server does not have.
    pub messages_invented: usize,
    pub replies_attempted: usize,
    /// Replies that reached the server more than once.
    pub replies_sent_twice: usize,
    pub metadata_saves: usize,
    /// What was lost, for diagnosis (at most a few lines).
    pub details: Vec<String>,
}

impl SoakReport {
    /// The guarantees held.
    pub fn passed(&self) -> bool {
        self.panics == 0
            && self.messages_lost == 0
            && self.messages_invented == 0
            && self.replies_sent_twice == 0
    }
}

impl fmt::Display for SoakReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "soak: {}s against the sandbox, every fault on",
            self.duration.as_secs()
        )?;
        writeln!(
            f,
            "requests made:        {} ({} with an injected fault)",
            self.requests, self.faults_injected
        )?;
        let errors: Vec<String> = self
            .errors
            .iter()
            .map(|(c, n)| format!("{c:?} {n}"))
            .collect();
        writeln!(
            f,
            "errors by class:      {}",
            if errors.is_empty() {
                "none".into()
            } else {
                errors.join(", ")
            }
        )?;
        writeln!(f, "recoveries:           {}", self.recoveries)?;
        writeln!(f, "replies attempted:    {}", self.replies_attempted)?;
        writeln!(f, "metadata saves:       {}", self.metadata_saves)?;
        writeln!(f, "messages checked:     {}", self.messages_checked)?;
        writeln!(f, "panics:               {}", self.panics)?;
        writeln!(f, "messages lost:        {}", self.messages_lost)?;
        writeln!(f, "messages invented:    {}", self.messages_invented)?;
        writeln!(f, "replies sent twice:   {}", self.replies_sent_twice)?;
        for line in &self.details {
            writeln!(f, "  {line}")?;
        }
        write!(
            f,
            "result:               {}",
            if self.passed() { "PASS" } else { "FAIL" }
        )
    }
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

static PANICS: AtomicU64 = AtomicU64::new(0);

fn count_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            PANICS.fetch_add(1, Ordering::SeqCst);
            previous(info);
        }));
    });
}

/// Runs the soak and reports.
pub async fn run(options: SoakOptions) -> std::io::Result<SoakReport> {
    count_panics();
    let panics_before = PANICS.load(Ordering::SeqCst);
    let config = SandboxConfig {
        seed: options.seed,
        traffic: Some(Duration::from_millis(300)),
        faults: all_faults(),
        ..SandboxConfig::default()
    };
    let handle = sandbox::spawn(config).await?;
    let mut http = handle.http_config();
    http.request_timeout = Duration::from_secs(2);
    http.retry = RetryPolicy {
        max_attempts: 3,
        base_delay: Duration::from_millis(50),
        max_delay: Duration::from_millis(500),
        max_retry_after: Duration::from_secs(5),
    };
    let client = AgentPhone::new(http).map_err(std::io::Error::other)?;
    let settings = Settings {
        list_poll: Duration::from_millis(600),
        thread_poll: Duration::from_millis(400),
        list_poll_max: Duration::from_secs(3),
        thread_poll_max: Duration::from_secs(2),
        offline_max: Duration::from_secs(2),
        ..Settings::default()
    };
    let mut app = Headless::start(client, settings, 140, 40);
    let mut user = User {
        rng: Rng::seeded(options.seed),
        replies: Vec::new(),
        saves: 0,
    };
    let deadline = Instant::now() + options.duration;
    while Instant::now() < deadline {
        step(&mut app, Duration::from_millis(150)).await;
        let acted = std::panic::catch_unwind(AssertUnwindSafe(|| user.act(&mut app)));
        if acted.is_err() {
            break;
        }
    }
    settle(&handle, &mut app).await;
    let mut report = compare(&handle, &app, &user);
    report.duration = options.duration;
    report.requests = handle.requests().len() as u64;
    report.faults_injected = handle
        .requests()
        .iter()
        .filter(|r| r.fault.is_some())
        .count() as u64;
    report.errors = app.errors.clone();
    report.recoveries = app.recoveries;
    report.panics = PANICS.load(Ordering::SeqCst) - panics_before;
    handle.shutdown().await;
    Ok(report)
}

/// Lets the app process results and ticks for a while, counting a panic instead of dying.
async fn step(app: &mut Headless, time: Duration) {
    let _ =
        futures::FutureExt::catch_unwind(AssertUnwindSafe(app.run_until(time, |_| false))).await;
}

/// Faults off: the app must recover by itself, settle every send and catch up.
async fn settle(handle: &SandboxHandle, app: &mut Headless) {
    handle.clear_faults();
    handle.pause_traffic(true);
    app.command(Command::Refresh);
    let recovered = |s: &crate::app::state::AppState| {
        s.sync.connection == Connection::Live
            && s.inbox.drafts.values().all(|d| d.sending.is_none())
    };
    let _ = app.run_until(Duration::from_secs(30), recovered).await;
    // Only the open thread is polled: revisit every cached thread so each catches up from what
    // it holds (messages can share the instant of a thread's newest one and arrive after its
    // last poll), then compare everything.
    let ids: Vec<_> = app.state.inbox.threads.keys().cloned().collect();
    for id in ids {
        if !app.state.inbox.list.items.iter().any(|c| c.id == id) {
            continue;
        }
        // Back to the list first (from a reply box or an editor too): leaving a thread selects
        // its row, which would reopen the same thread.
        for _ in 0..6 {
            if app.state.chrome.focus == crate::app::state::Focus::List {
                break;
            }
            // An unsaved metadata edit asks before it is dropped: drop it.
            let confirm = app.state.chrome.overlay.is_some();
            app.command(if confirm { Command::Yes } else { Command::Back });
        }
        app.state.inbox.list.selected = Some(id.clone());
        app.command(Command::Open);
        assert_eq!(
            app.state.inbox.open.as_ref(),
            Some(&id),
            "the soak reopens each thread"
        );
        catch_up_open_thread(app).await;
    }
}

/// Waits for the open thread's requests to settle, then polls it once more and waits for that:
/// a poll already in flight when the thread was opened may have left before the thread's last
/// messages arrived (they can share the instant of its newest one), and its answer must not
/// count as caught up.
async fn catch_up_open_thread(app: &mut Headless) {
    let idle = |s: &crate::app::state::AppState| {
        s.sync.thread.request.is_none() && s.open_thread().is_some_and(|t| !t.latest.is_loading())
    };
    let _ = app.run_until(Duration::from_secs(5), idle).await;
    let before = app.state.open_thread().map_or(0, |t| t.requests);
    app.command(Command::Refresh);
    let polled = |s: &crate::app::state::AppState| {
        idle(s) && s.open_thread().is_some_and(|t| t.requests > before)
    };
    let _ = app.run_until(Duration::from_secs(5), polled).await;
}

/// The scripted user: browses the busiest conversations, scrolls, replies, edits metadata.
struct User {
    rng: Rng,
    replies: Vec<String>,
    saves: usize,
}

impl User {
    fn act(&mut self, app: &mut Headless) {
        let roll = self.rng.below(100);
        if app.state.chrome.overlay.is_some() {
            // Only the discard question can be open here: drop the edit and go on.
            app.command(Command::Yes);
        }
        if matches!(app.state.chrome.focus, Focus::Editor | Focus::Compose) {
            app.command(Command::Back);
            if app.state.chrome.overlay.is_some() {
                app.command(Command::Yes);
            }
        }
        match roll {
            0..=24 => {
                let down = self.rng.chance(600);
                app.command(Command::Back);
                app.command(if down { Command::Down } else { Command::Up });
            }
            25..=39 => {
                app.command(Command::Back);
                let steps = self.rng.below(12);
                app.command(Command::Top);
                for _ in 0..steps {
                    app.command(Command::Down);
                }
                app.command(Command::Open);
            }
            40..=59 => app.command(Command::PageUp),
            60..=66 => app.command(Command::Bottom),
            67..=76 => self.reply(app),
            77..=82 => self.edit_metadata(app),
            83..=86 => app.command(Command::Refresh),
            87..=90 => app.command(Command::Top),
            _ => app.command(Command::PageDown),
        }
    }

    fn reply(&mut self, app: &mut Headless) {
        if app.state.inbox.open.is_none() {
            return;
        }
        app.command(Command::Reply);
        if app.state.chrome.focus != Focus::Compose {
            return;
        }
        let open = app.state.inbox.open.clone();
        let locked = open
            .and_then(|id| app.state.inbox.drafts.get(&id))
            .is_some_and(|d| d.sending.is_some());
        if !locked {
            let text = format!("soak reply {} {}", self.replies.len(), self.rng.next_u64());
            app.dispatch(Action::Paste(text.clone()));
            self.replies.push(text);
        }
        app.command(Command::Send);
        app.command(Command::Back);
    }

    fn edit_metadata(&mut self, app: &mut Headless) {
        app.command(Command::EditMetadata);
        if app.state.chrome.focus != Focus::Editor {
            return;
        }
        // Add a key at the top of the object: `{` then a new first member.
        let value = self.rng.below(1_000);
        let blank = app
            .state
            .inbox
            .editor
            .as_ref()
            .is_some_and(|e| e.parsed == Ok(crate::api::Metadata(None)));
        let text = if blank {
            format!("{{\"soak\": {value}}}")
        } else {
            String::new()
        };
        if blank {
            app.dispatch(Action::Paste(text));
        } else {
            // Cursor is at the start of "{": move past it and insert a member.
            app.dispatch(Action::Key(ratatui::crossterm::event::KeyEvent::new(
                ratatui::crossterm::event::KeyCode::Right,
                ratatui::crossterm::event::KeyModifiers::NONE,
            )));
            app.dispatch(Action::Paste(format!("\"soak{value}\": {value}, ")));
        }
        app.command(Command::Save);
        self.saves += 1;
    }
}

/// Compares the app's threads with the server.
fn compare(handle: &SandboxHandle, app: &Headless, user: &User) -> SoakReport {
    let mut report = SoakReport {
        replies_attempted: user.replies.len(),
        metadata_saves: user.saves,
        ..SoakReport::default()
    };
    handle.with_world(|world| {
        for thread in app.state.inbox.threads.values() {
            let (Some(first), Some(last)) = (thread.messages.first(), thread.messages.last())
            else {
                continue;
            };
            let Some(conv) = world.conversation_index(thread.conversation.as_str()) else {
                report.messages_invented += thread.messages.len();
                continue;
            };
            let server = &world.conversations[conv].messages;
            // Messages sharing the oldest loaded instant may still be further back (the next
            // older page re-reads that instant), unless the thread is loaded to its beginning.
            let from_first = thread.at_beginning();
            let window: Vec<&str> = server
                .iter()
                .filter(|m| m.at > first.sent_at || (from_first && m.at == first.sent_at))
                .filter(|m| m.at <= last.sent_at)
                .map(|m| m.id.as_str())
                .collect();
            report.messages_checked += window.len();
            for id in window.iter().filter(|id| {
                !thread
                    .ids
                    .contains(&crate::api::MessageId((**id).to_owned()))
            }) {
                report.messages_lost += 1;
                if report.details.len() < 8 {
                    let position = server.iter().position(|m| m.id == *id).unwrap_or(0);
                    report.details.push(format!(
                        "lost {id} at {} (#{position} of {}) in {}: app holds {} from {} to {}",
                        server[position].at,
                        server.len(),
                        thread.conversation,
                        thread.messages.len(),
                        first.sent_at,
                        last.sent_at
                    ));
                }
            }
            report.messages_invented += thread
                .messages
                .iter()
                .filter(|m| !server.iter().any(|s| s.id == m.id.as_str()))
                .count();
        }
        for text in &user.replies {
            let copies: usize = world
                .conversations
                .iter()
                .map(|c| c.messages.iter().filter(|m| &m.body == text).count())
                .sum();
            if copies > 1 {
                report.replies_sent_twice += 1;
            }
        }
    });
    report
}
