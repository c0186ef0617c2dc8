//! The app without a terminal: the real `update` and runtime against a real provider, driven by
//! tests (flow tests, the soak run) that feed actions and wait for conditions.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::Utc;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use tokio::sync::mpsc::{self, UnboundedReceiver};
use tokio::time::Instant;

use super::action::{Action, Command};
use super::effect::{Effect, TerminalEffect};
use super::runtime::Runtime;
use super::state::{Account, AppState, Connection, Settings};
use super::update::update;
use crate::api::{ApiError, Client, ErrorClass};
use crate::ui::{self, ViewState};

/// How often the headless clock ticks.
const TICK: Duration = Duration::from_millis(100);

/// Stands between the provider's answers and `update`: the soak's deliberately broken clients.
///
/// Only answers coming back from the runtime pass through it, never the user's own actions, so
/// a tamper models a client that mishandles what the server said.
pub trait Tamper: Send {
    /// What `update` gets in place of `answer`, and effects to start again (a client that
    /// repeats a request). `started` holds every effect started so far, oldest first.
    fn answer(&mut self, answer: Action, started: &[Effect]) -> Tampered;

    /// Runs after `update` applied the answers: a tamper that corrupts what the app holds does
    /// it here.
    fn after(&mut self, _state: &mut AppState) {}
}

/// What a [`Tamper`] made of one answer.
#[derive(Debug, Default)]
pub struct Tampered {
    pub actions: Vec<Action>,
    pub repeat: Vec<Effect>,
}

impl Tampered {
    /// The answer as it came.
    pub fn pass(action: Action) -> Self {
        Self {
            actions: vec![action],
            repeat: Vec::new(),
        }
    }
}

/// An app instance with no terminal.
pub struct Headless {
    pub state: AppState,
    runtime: Runtime,
    rx: UnboundedReceiver<Action>,
    /// Every effect `update` returned, in order.
    pub effects: Vec<Effect>,
    /// Failed requests seen by the app, by class.
    pub errors: BTreeMap<ErrorClass, u64>,
    /// Times the connection came back to live after being offline or rate limited.
    pub recoveries: u64,
    /// Frames drawn by [`Headless::draw_every_step`].
    pub frames: u64,
    /// Times the app asked for the whole screen to be drawn again (`ctrl-l`); the terminal
    /// clears, here only the count is kept (every `render` draws every cell anyway).
    pub redraws: u64,
    view: ViewState,
    tamper: Option<Box<dyn Tamper>>,
    /// Set by [`Headless::draw_every_step`]: every action is followed by a frame.
    terminal: Option<Terminal<TestBackend>>,
}

impl Headless {
    /// A started app (first page requested) with a `width` x `height` screen, times in UTC.
    ///
    /// # Panics
    /// Never: the UTC offset is valid.
    pub fn start(client: impl Into<Client>, settings: Settings, width: u16, height: u16) -> Self {
        Self::start_with_cache(client, settings, (width, height), None)
    }

    /// A started app that keeps a local cache (tests of the cache, search and unread state).
    pub fn start_with_cache(
        client: impl Into<Client>,
        settings: Settings,
        (width, height): (u16, u16),
        cache: Option<crate::cache::Cache>,
    ) -> Self {
        let (tx, rx) = mpsc::unbounded_channel();
        let client: Client = client.into();
        let account = Account {
            label: format!("{} sandbox", client.name()),
            demo: true,
        };
        let read_only = settings.read_only;
        let mut state = AppState::new(
            account,
            Utc::now(),
            crate::app::view::time::Zone::utc(),
            settings,
        );
        state.capabilities = client.capabilities();
        let mut app = Self {
            state,
            runtime: Runtime::new(client, tx, read_only).with_cache(cache),
            rx,
            effects: Vec::new(),
            errors: BTreeMap::new(),
            recoveries: 0,
            frames: 0,
            redraws: 0,
            view: ViewState::default(),
            tamper: None,
            terminal: None,
        };
        app.dispatch(Action::Resize { width, height });
        app.dispatch(Action::Start);
        app
    }

    /// Applies an action and starts its effects.
    pub fn dispatch(&mut self, action: Action) {
        if let Some(class) = error_class(&action) {
            *self.errors.entry(class).or_default() += 1;
        }
        let was_down = matches!(
            self.state.sync.connection,
            Connection::Offline { .. } | Connection::RateLimited { .. }
        );
        let effects = update(&mut self.state, action);
        if was_down && self.state.sync.connection == Connection::Live {
            self.recoveries += 1;
        }
        for effect in effects {
            if effect == Effect::Terminal(TerminalEffect::Redraw) {
                self.redraws += 1;
            }
            self.effects.push(effect.clone());
            self.runtime.run(effect);
        }
        if let Some(terminal) = self.terminal.as_mut() {
            draw(terminal, &self.state, &mut self.view);
            self.frames += 1;
        }
    }

    /// Draws a frame into a test terminal after every action from now on, as a terminal would
    /// show it, so a panic in `ui` surfaces where the action that caused it is known.
    ///
    /// # Panics
    /// Never: a test backend does not fail.
    pub fn draw_every_step(&mut self) {
        let backend = TestBackend::new(self.state.chrome.width, self.state.chrome.height);
        self.terminal = Some(Terminal::new(backend).expect("a test backend never fails"));
    }

    /// Passes the provider's answers through `tamper` from now on.
    pub fn tamper(&mut self, tamper: Box<dyn Tamper>) {
        self.tamper = Some(tamper);
    }

    /// An answer from the runtime, through the tamper when there is one.
    fn answered(&mut self, action: Action) {
        let Some(tamper) = self.tamper.as_mut() else {
            self.dispatch(action);
            return;
        };
        let Tampered { actions, repeat } = tamper.answer(action, &self.effects);
        for effect in repeat {
            self.runtime.run(effect);
        }
        for action in actions {
            self.dispatch(action);
        }
        if let Some(tamper) = self.tamper.as_mut() {
            tamper.after(&mut self.state);
        }
    }

    pub fn command(&mut self, command: Command) {
        self.dispatch(Action::Command(command));
    }

    /// Processes results and clock ticks until `done` holds or `timeout` passes; true when done.
    pub async fn run_until(
        &mut self,
        timeout: Duration,
        mut done: impl FnMut(&AppState) -> bool,
    ) -> bool {
        let deadline = Instant::now() + timeout;
        let mut next_tick = Instant::now() + TICK;
        loop {
            if done(&self.state) {
                return true;
            }
            let now = Instant::now();
            if now >= deadline {
                return false;
            }
            tokio::select! {
                Some(action) = self.rx.recv() => self.answered(action),
                () = tokio::time::sleep_until(next_tick.min(deadline)) => {
                    if Instant::now() >= next_tick {
                        self.dispatch(Action::Tick { now: Utc::now() });
                        next_tick = Instant::now() + TICK;
                    }
                }
            }
        }
    }

    /// Draws the current state into a buffer of the state's size.
    ///
    /// # Panics
    /// Never: drawing to a test backend does not fail.
    pub fn render(&mut self) -> Buffer {
        let backend = TestBackend::new(self.state.chrome.width, self.state.chrome.height);
        let mut terminal = Terminal::new(backend).expect("a test backend never fails");
        terminal
            .draw(|frame| ui::render(frame, &self.state, &mut self.view))
            .expect("a test backend never fails");
        terminal.backend().buffer().clone()
    }
}

/// Draws one frame of `state` into `terminal`, resized to the state's screen first.
fn draw(terminal: &mut Terminal<TestBackend>, state: &AppState, view: &mut ViewState) {
    let size = terminal.backend().buffer().area;
    if (size.width, size.height) != (state.chrome.width, state.chrome.height) {
        let backend = TestBackend::new(state.chrome.width, state.chrome.height);
        *terminal = Terminal::new(backend).expect("a test backend never fails");
    }
    terminal
        .draw(|frame| ui::render(frame, state, view))
        .expect("a test backend never fails");
}

/// The class of a failed result carried by an action, if it carries one.
fn error_class(action: &Action) -> Option<ErrorClass> {
    action.error().map(ApiError::class)
}
