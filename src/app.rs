//! The app: one task owns `AppState`; keys, ticks and effect results arrive as `Action`s on one
//! channel; `update` returns `Effect`s the runtime performs; the screen is drawn once per drained
//! batch after an input or a result (the terminal writes only changed cells, so an idle inbox
//! writes nothing and does not spin).

pub mod action;
pub mod effect;
pub mod headless;
pub mod paging;
pub mod runtime;
pub mod scroll;
pub mod state;
pub mod update;
pub mod view;

use std::time::Duration;

use chrono::Utc;
use color_eyre::eyre::{Result, WrapErr};
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::mpsc;

use self::action::Action;
use self::effect::{EditPurpose, Effect, TerminalEffect};
use self::runtime::Runtime;
use self::state::{Account, AppState, Settings};
use crate::app::view::theme::Theme;
use crate::app::view::time::Zone;
use crate::input::Input;
use crate::session::Session;
use crate::store::Store;
use crate::terminal::{TerminalGuard, notification, osc52, write_raw};
use crate::ui::{self, ViewState};

/// How often the clock ticks (relative times, countdowns, due polls).
const TICK: Duration = Duration::from_secs(1);
/// Most actions handled between two looks at signals, the clock and the screen.
const MAX_DRAIN: usize = 1_000;

/// What the app is started with besides the connection.
#[derive(Clone, Debug, Default)]
pub struct Launch {
    pub settings: Settings,
    pub theme: Theme,
    /// Shown in the status bar at start (config warnings).
    pub notices: Vec<String>,
    pub log_path: Option<String>,
}

/// The terminal side of the app: what the event loop owns besides the state.
struct Screen {
    guard: TerminalGuard,
    input: Input,
    view: ViewState,
    in_tmux: bool,
    mouse: bool,
}

/// Runs the inbox until the user quits.
pub async fn run(session: Session, launch: Launch) -> Result<()> {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let runtime = Runtime::new(
        session.client.clone(),
        tx.clone(),
        launch.settings.read_only,
    )
    .with_store(Store::for_account(&session.store_key))
    .with_cache(session.cache.clone());
    let account = Account {
        label: session.label.clone(),
        demo: session.demo,
    };
    let mouse = launch.settings.mouse;
    let mut state = AppState::new(account, Utc::now(), Zone::Local, launch.settings);
    state.can_open_links = links_can_open();
    state.capabilities = session.client.capabilities();
    state.log_path = launch.log_path;
    let guard = TerminalGuard::enter().wrap_err("cannot set up the terminal")?;
    crate::terminal::set_mouse(mouse).wrap_err("cannot turn the mouse on")?;
    let mut screen = Screen {
        guard,
        input: Input::spawn(tx),
        view: ViewState {
            theme: launch.theme,
        },
        in_tmux: std::env::var_os("TMUX").is_some(),
        mouse,
    };
    let size = screen.guard.terminal.size()?;
    apply(
        &mut state,
        &runtime,
        &mut screen,
        Action::Resize {
            width: size.width,
            height: size.height,
        },
    );
    apply(&mut state, &runtime, &mut screen, Action::Start);
    for notice in launch.notices {
        update::notice(&mut state, &notice);
    }
    let result = event_loop(&mut state, &runtime, &mut screen, &mut rx).await;
    // Stop reading keys before the shell gets the terminal back: keys typed right after quitting
    // belong to the shell, not to an app on its way out.
    screen.input.pause();
    crate::terminal::restore();
    // Whatever ended the loop (quit, SIGTERM, SIGHUP, an error), keep the drafts first.
    if let Err(error) = runtime.save_work_now(&state.saved_work()) {
        tracing::warn!("could not save drafts on exit: {error}");
    }
    if let Some(cache) = runtime.cache()
        && !cache.flush(Duration::from_secs(2))
    {
        tracing::warn!("the cache did not finish writing before exit");
    }
    result
}

/// Links can be opened where there is a desktop: not over SSH, and with a display on Linux.
fn links_can_open() -> bool {
    let env = |name| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    let ssh = env("SSH_CONNECTION") || env("SSH_TTY");
    let display = cfg!(target_os = "macos") || env("DISPLAY") || env("WAYLAND_DISPLAY");
    !ssh && display
}

async fn event_loop(
    state: &mut AppState,
    runtime: &Runtime,
    screen: &mut Screen,
    rx: &mut mpsc::UnboundedReceiver<Action>,
) -> Result<()> {
    let mut ticker = tokio::time::interval(TICK);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut terminate = signal(SignalKind::terminate()).wrap_err("cannot watch SIGTERM")?;
    let mut hangup = signal(SignalKind::hangup()).wrap_err("cannot watch SIGHUP")?;
    let mut drawn = 0;
    loop {
        if state.chrome.version != drawn {
            let view = &mut screen.view;
            screen
                .guard
                .terminal
                .draw(|frame| ui::render(frame, state, view))
                .wrap_err("cannot draw to the terminal")?;
            drawn = state.chrome.version;
        }
        if state.chrome.should_quit {
            return Ok(());
        }
        if state.chrome.suspend {
            screen.input.pause();
            let suspended = screen.guard.suspend(screen.mouse);
            screen.input.resume();
            suspended.wrap_err("cannot suspend")?;
            apply(state, runtime, screen, Action::Resumed);
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
        apply(state, runtime, screen, first);
        // Drain what else is ready (keys and results alike), then draw once. Bounded, so a flood
        // of input can never keep the loop from signals and the clock.
        for _ in 0..MAX_DRAIN {
            let Ok(action) = rx.try_recv() else { break };
            apply(state, runtime, screen, action);
        }
    }
}

/// Feeds an action to `update`; terminal effects are performed here, the rest by the runtime.
fn apply(state: &mut AppState, runtime: &Runtime, screen: &mut Screen, action: Action) {
    let mut queue = vec![action];
    // An external edit answers with an action at once; bounded, as each answer is one edit.
    for _ in 0..16 {
        let Some(action) = queue.pop() else { return };
        for effect in update::update(state, action) {
            match effect {
                Effect::Terminal(effect) => queue.extend(perform(&effect, runtime, screen)),
                other => runtime.run(other),
            }
        }
    }
}

/// Performs a terminal effect; an external edit returns its result as an action.
fn perform(effect: &TerminalEffect, runtime: &Runtime, screen: &mut Screen) -> Option<Action> {
    let written = match effect {
        TerminalEffect::Copy(text) => write_raw(&osc52(text, screen.in_tmux)),
        TerminalEffect::Bell => write_raw("\x07"),
        TerminalEffect::Notify { title, body } => {
            write_raw(&notification(title, body, screen.in_tmux))
        }
        TerminalEffect::Redraw => screen.guard.terminal.clear(),
        TerminalEffect::OpenUrl(url) => {
            runtime.open_url(url.clone());
            Ok(())
        }
        TerminalEffect::Edit { purpose, text } => {
            return Some(external_edit(screen, purpose.clone(), text));
        }
    };
    if let Err(error) = written {
        tracing::warn!("cannot write to the terminal: {error}");
    }
    None
}

/// Hands the terminal to the editor and takes it back.
fn external_edit(screen: &mut Screen, purpose: EditPurpose, text: &str) -> Action {
    let extension = match purpose {
        EditPurpose::Reply(_) => "txt",
        EditPurpose::Metadata(_) => "json",
    };
    screen.input.pause();
    crate::terminal::restore();
    let result = crate::editor::edit(text, extension);
    let back = screen.guard.reenter(screen.mouse);
    screen.input.resume();
    let result = match back {
        Ok(()) => result,
        Err(e) => Err(format!("cannot take the terminal back: {e}")),
    };
    Action::Edited { purpose, result }
}
