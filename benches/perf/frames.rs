//! Frame costs: the thread at three history lengths, and keypress to finished frame in a big
//! inbox. Both drive the real `update` and `ui::render` into an in-memory terminal.

use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use switchboard::app::action::{Action, Command};
use switchboard::app::state::AppState;
use switchboard::app::update::update;
use switchboard::ui::{self, ViewState};

use super::fixtures;
use super::stats::{Samples, ms};

pub struct Screen {
    terminal: Terminal<TestBackend>,
    view: ViewState,
}

impl Screen {
    pub fn new(state: &AppState) -> Self {
        Self {
            terminal: Terminal::new(TestBackend::new(state.chrome.width, state.chrome.height))
                .unwrap(),
            view: ViewState::default(),
        }
    }

    /// Draws one frame the way the app does (ratatui diffs against the last one).
    pub fn draw(&mut self, state: &AppState) {
        let view = &mut self.view;
        self.terminal
            .draw(|frame| ui::render(frame, state, view))
            .unwrap();
    }
}

/// Thread render cost at 100, 10,000 and 100,000 messages: the same 120x40 viewport (the newest
/// messages), sizes interleaved round by round so machine noise hits all of them alike.
pub fn thread_render() {
    println!("\n## Thread render cost versus history length (120x40, newest messages in view)");
    let sizes = [100usize, 10_000, 100_000];
    let mut cases: Vec<(AppState, Screen, Samples)> = sizes
        .iter()
        .map(|&n| {
            let mut state = fixtures::inbox(50, 120, 40);
            fixtures::open_with(&mut state, n, 1, true);
            let mut screen = Screen::new(&state);
            screen.draw(&state);
            (state, screen, Samples::default())
        })
        .collect();
    for _round in 0..40 {
        for (state, screen, samples) in &mut cases {
            for _ in 0..25 {
                let started = Instant::now();
                screen.draw(state);
                samples.push(started.elapsed());
            }
        }
    }
    for (n, (_, _, samples)) in sizes.iter().zip(&cases) {
        println!(
            "  {n:>7} messages: median {} per frame",
            ms(samples.median())
        );
    }
    let ratio = cases[2].2.median().as_secs_f64() / cases[0].2.median().as_secs_f64();
    let verdict = if ratio <= 1.2 { "met" } else { "MISSED" };
    println!("  ratio 100,000 / 100 = {ratio:.2} (target at most 1.20: {verdict})");
}

fn key(code: KeyCode) -> Action {
    Action::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ctrl(c: char) -> Action {
    Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

/// The inbox of the keypress figure: 10,000 conversations in the list and 200,000 messages
/// loaded through the app (twenty threads of 5,000, then one of 100,000 read from its very top,
/// so all of it is in memory), back in the list.
pub fn big_inbox() -> AppState {
    let mut state = fixtures::inbox(10_000, 160, 48);
    for i in 0..21u64 {
        let count = if i == 20 { 100_000 } else { 5_000 };
        fixtures::open_with(&mut state, count, i + 1, i == 20);
        update(&mut state, Action::Command(Command::Back));
        update(&mut state, Action::Command(Command::Down));
    }
    update(&mut state, Action::Command(Command::Top));
    state
}

/// Messages held in memory.
pub fn resident(state: &AppState) -> usize {
    state.inbox.threads.values().map(|t| t.messages.len()).sum()
}

/// What a user does: move through the list, open threads, scroll back, filter, search keys.
fn script() -> Vec<Action> {
    let mut keys = Vec::new();
    for _ in 0..3 {
        keys.extend((0..30).map(|_| key(KeyCode::Char('j'))));
        keys.push(key(KeyCode::Enter));
        keys.extend((0..20).map(|_| key(KeyCode::Char('k'))));
        keys.extend((0..10).map(|_| ctrl('u')));
        keys.push(key(KeyCode::Char('G')));
        keys.push(key(KeyCode::Esc));
        keys.extend((0..30).map(|_| key(KeyCode::Char('k'))));
        keys.push(key(KeyCode::Char('/')));
        keys.extend("custo".chars().map(|c| key(KeyCode::Char(c))));
        keys.push(key(KeyCode::Esc));
        keys.push(ctrl('d'));
        keys.push(key(KeyCode::Char('g')));
    }
    keys
}

/// Keypress to finished frame: `update` plus a full draw, per key.
pub fn keypress() {
    println!("\n## Keypress to finished frame (10,000 conversations, 200,000 messages, 160x48)");
    let mut state = big_inbox();
    println!("  ({} messages in memory at the start)", resident(&state));
    let mut screen = Screen::new(&state);
    screen.draw(&state);
    let mut samples = Samples::default();
    let mut slowest: Vec<(Duration, String)> = Vec::new();
    for _ in 0..4 {
        for action in script() {
            let label = format!("{action:?}");
            let started = Instant::now();
            // Effects (page loads) are not performed here: the figure is the UI's own cost.
            let _effects = update(&mut state, action);
            screen.draw(&state);
            let took = started.elapsed();
            samples.push(took);
            slowest.push((took, label));
        }
    }
    slowest.sort_by_key(|s| std::cmp::Reverse(s.0));
    if std::env::var_os("BENCH_VERBOSE").is_some() {
        for (took, label) in slowest.iter().take(12) {
            println!("    {} {label}", ms(*took));
        }
    }
    let (p50, p99, max) = (samples.quantile(0.5), samples.quantile(0.99), samples.max());
    let verdict = if p99 < Duration::from_micros(16_700) {
        "met"
    } else {
        "MISSED"
    };
    println!(
        "  {} keys: p50 {}, p99 {}, max {} (target p99 under 16.7 ms: {verdict})",
        samples.len(),
        ms(p50),
        ms(p99),
        ms(max)
    );
}
