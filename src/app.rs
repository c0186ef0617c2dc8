//! The app: one task owns `AppState`; keys, ticks and effect results arrive as `Action`s on one
//! channel; `update` returns `Effect`s the runtime performs; the screen is drawn once per drained
//! batch, and only when something visible changed (an idle inbox neither redraws nor spins).

pub mod action;
pub mod effect;
pub mod headless;
pub mod paging;
pub mod runtime;
pub mod scroll;
pub mod state;
pub mod update;

use std::time::Duration;

use chrono::Utc;
use color_eyre::eyre::{Result, WrapErr};
use futures::StreamExt;
use ratatui::crossterm::event::{Event, EventStream, KeyEventKind};
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::mpsc;

use self::action::Action;
use self::runtime::Runtime;
use self::state::{Account, AppState, Settings};
use crate::cli::Session;
use crate::store::Store;
use crate::terminal::TerminalGuard;
use crate::ui::{self, ViewState};

/// How often the clock ticks (relative times, countdowns, due polls).
const TICK: Duration = Duration::from_secs(1);

/// Runs the inbox until the user quits.
pub async fn run(session: Session) -> Result<()> {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let tx_input = tx.clone();
    let settings = Settings {
        read_only: session.read_only,
        ..Settings::default()
    };
    let runtime = Runtime::new(session.client.clone(), tx, settings.read_only)
        .with_store(Store::for_account(&session.store_key));
    let account = Account {
        label: session.label.clone(),
        demo: session.demo,
    };
    let tz = crate::ui::time::Zone::Local;
    let mut state = AppState::new(account, Utc::now(), tz, settings);
    let mut guard = TerminalGuard::enter().wrap_err("cannot set up the terminal")?;
    let size = guard.terminal.size()?;
    apply(
        &mut state,
        &runtime,
        Action::Resize {
            width: size.width,
            height: size.height,
        },
    );
    apply(&mut state, &runtime, Action::Start);
    let input = tokio::spawn(forward_terminal_events(tx_input));
    let result = event_loop(&mut state, &runtime, &mut guard, &mut rx).await;
    input.abort();
    // Whatever ended the loop (quit, SIGTERM, SIGHUP, an error), keep the drafts first.
    if let Err(error) = runtime.save_work_now(&state.saved_work()) {
        tracing::warn!("could not save drafts on exit: {error}");
    }
    result
}

async fn event_loop(
    state: &mut AppState,
    runtime: &Runtime,
    guard: &mut TerminalGuard,
    rx: &mut mpsc::UnboundedReceiver<Action>,
) -> Result<()> {
    let mut view = ViewState::default();
    let mut ticker = tokio::time::interval(TICK);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut terminate = signal(SignalKind::terminate()).wrap_err("cannot watch SIGTERM")?;
    let mut hangup = signal(SignalKind::hangup()).wrap_err("cannot watch SIGHUP")?;
    let mut drawn = 0;
    loop {
        if state.version != drawn {
            guard
                .terminal
                .draw(|frame| ui::render(frame, state, &mut view))
                .wrap_err("cannot draw to the terminal")?;
            drawn = state.version;
        }
        if state.should_quit {
            return Ok(());
        }
        if state.suspend {
            guard.suspend().wrap_err("cannot suspend")?;
            apply(state, runtime, Action::Resumed);
            continue;
        }
        let first = tokio::select! {
            action = rx.recv() => action,
            _ = ticker.tick() => Some(Action::Tick { now: Utc::now() }),
            // A closed SSH session (SIGHUP) or a kill (SIGTERM): leave cleanly, drafts saved.
            _ = terminate.recv() => return Ok(()),
            _ = hangup.recv() => return Ok(()),
        };
        let Some(first) = first else { return Ok(()) };
        apply(state, runtime, first);
        // Drain whatever else is ready (keys and results alike), then draw once.
        while let Ok(action) = rx.try_recv() {
            apply(state, runtime, action);
        }
    }
}

/// Reads terminal events on their own task and forwards them as actions. (Polling the event
/// stream with `now_or_never` from the loop would register a no-op waker and delay keys.)
/// Errors in a row after which the terminal is taken to be gone.
const MAX_INPUT_ERRORS: u32 = 50;

async fn forward_terminal_events(tx: mpsc::UnboundedSender<Action>) {
    let mut events = EventStream::new();
    let mut errors = 0;
    loop {
        match events.next().await {
            Some(Ok(event)) => {
                errors = 0;
                if let Some(action) = event_action(event)
                    && tx.send(action).is_err()
                {
                    return;
                }
            }
            // One unreadable event is skipped; a stream of them means the terminal is gone.
            Some(Err(_)) if errors < MAX_INPUT_ERRORS => errors += 1,
            Some(Err(_)) | None => {
                let _ = tx.send(Action::InputClosed);
                return;
            }
        }
    }
}

/// Feeds an action to `update` and hands its effects to the runtime.
pub fn apply(state: &mut AppState, runtime: &Runtime, action: Action) {
    for effect in update::update(state, action) {
        runtime.run(effect);
    }
}

/// Terminal events the app cares about.
pub fn event_action(event: Event) -> Option<Action> {
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => Some(Action::Key(key)),
        Event::Paste(text) => Some(Action::Paste(text)),
        Event::Resize(width, height) => Some(Action::Resize { width, height }),
        _ => None,
    }
}
