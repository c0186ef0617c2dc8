//! Terminal input on its own thread, as actions on the app's channel.
//!
//! The thread polls with a short timeout so it can be paused: while `$EDITOR` runs it must not
//! read the keys meant for the editor (the problem gitui's `InputState::Paused` solves).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use ratatui::crossterm::event::{self, Event, KeyEventKind};
use tokio::sync::mpsc::UnboundedSender;

use crate::app::action::Action;

/// How long one poll waits for input (also how soon a pause takes effect).
const POLL: Duration = Duration::from_millis(100);
/// Errors in a row after which the terminal is taken to be gone.
const MAX_ERRORS: u32 = 50;

/// The input thread and its switches.
pub struct Input {
    paused: Arc<AtomicBool>,
    parked: Arc<AtomicBool>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Input {
    /// Starts reading the terminal.
    pub fn spawn(tx: UnboundedSender<Action>) -> Self {
        let paused = Arc::new(AtomicBool::new(false));
        let parked = Arc::new(AtomicBool::new(false));
        let stop = Arc::new(AtomicBool::new(false));
        let (p, k, s) = (paused.clone(), parked.clone(), stop.clone());
        let thread = std::thread::Builder::new()
            .name("input".into())
            .spawn(move || read_loop(&tx, &p, &k, &s))
            .ok();
        Self {
            paused,
            parked,
            stop,
            thread,
        }
    }

    /// Stops reading and waits (up to a second) until the thread has stopped touching stdin.
    pub fn pause(&self) {
        self.paused.store(true, Ordering::SeqCst);
        let deadline = Instant::now() + Duration::from_secs(1);
        while !self.parked.load(Ordering::SeqCst) && Instant::now() < deadline {
            std::thread::yield_now();
        }
    }

    pub fn resume(&self) {
        self.paused.store(false, Ordering::SeqCst);
    }
}

impl Drop for Input {
    /// Asks the thread to stop but does not wait: on a hung-up terminal crossterm's `poll` can
    /// spin forever inside its read loop (it never breaks on end of file), and joining would hang
    /// the exit. The thread ends with the process.
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        drop(self.thread.take());
    }
}

#[allow(clippy::disallowed_methods)] // a dedicated input thread, not a tokio worker
fn read_loop(
    tx: &UnboundedSender<Action>,
    paused: &AtomicBool,
    parked: &AtomicBool,
    stop: &AtomicBool,
) {
    let mut errors = 0;
    while !stop.load(Ordering::SeqCst) {
        if paused.load(Ordering::SeqCst) {
            parked.store(true, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(20));
            continue;
        }
        parked.store(false, Ordering::SeqCst);
        let read = match event::poll(POLL) {
            Ok(true) => event::read().map(Some),
            Ok(false) => Ok(None),
            Err(e) => Err(e),
        };
        match read {
            Ok(Some(event)) => {
                errors = 0;
                if let Some(action) = event_action(event)
                    && tx.send(action).is_err()
                {
                    return;
                }
            }
            Ok(None) => {}
            // One unreadable event is skipped; a stream of them means the terminal is gone.
            Err(_) if errors < MAX_ERRORS => errors += 1,
            Err(_) => {
                let _ = tx.send(Action::InputClosed);
                return;
            }
        }
    }
}

/// Terminal events the app cares about.
fn event_action(event: Event) -> Option<Action> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => Some(Action::Key(key)),
        Event::Paste(text) => Some(Action::Paste(text)),
        Event::Resize(width, height) => Some(Action::Resize { width, height }),
        Event::Mouse(mouse) => Some(Action::Mouse(mouse)),
        _ => None,
    }
}
