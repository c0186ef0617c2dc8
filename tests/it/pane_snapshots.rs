//! Every pane the tab bar shows is reachable (issue 15, item 2): the metadata pane of an
//! AgentPhone conversation and the session pane of an Anyreach session, read-only without an
//! editor, at 80x24 (its own tab), about 120 columns (a popup) and 160x48 (in place).
#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

use crate::common::screen;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use switchboard::app::action::{Action, Command};
use switchboard::app::state::{AppState, Focus};
use switchboard::app::update::update;

fn key(state: &mut AppState, c: char) {
    update(
        state,
        Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
    );
}

fn text(state: &AppState) -> String {
    let backend = screen(state);
    let buffer = backend.buffer();
    (0..buffer.area.height)
        .map(|y| {
            (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol())
                .collect::<String>()
                + "\n"
        })
        .collect()
}

#[test]
fn agentphone_metadata_pane_by_tab_80x24() {
    let mut state = crate::ui_snapshots::fixture(80, 24, true);
    update(&mut state, Action::Command(Command::FocusNext));
    assert_eq!(state.chrome.focus, Focus::Side);
    let shown = text(&state);
    assert!(shown.contains("\"assignee\": \"dana\""), "{shown}");
    assert!(shown.contains("e edit (JSON)"), "{shown}");
    insta::assert_snapshot!(screen(&state));
    // Round to the list, then back with shift-tab.
    update(&mut state, Action::Command(Command::FocusNext));
    assert_eq!(state.chrome.focus, Focus::List);
    update(&mut state, Action::Command(Command::FocusPrev));
    assert_eq!(state.chrome.focus, Focus::Side);
}

#[test]
fn agentphone_metadata_pane_focused_160x48() {
    let mut state = crate::ui_snapshots::fixture(160, 48, true);
    key(&mut state, '3');
    assert_eq!(state.chrome.focus, Focus::Side);
    insta::assert_snapshot!(screen(&state));
}

#[test]
fn anyreach_session_pane_by_number_80x24() {
    let mut state = crate::anyreach_snapshots::fixture(80, 24);
    key(&mut state, '3');
    assert_eq!(state.chrome.focus, Focus::Side);
    let shown = text(&state);
    assert!(shown.contains("3 Session"), "{shown}");
    assert!(shown.contains("Ava (Support)"), "{shown}");
    insta::assert_snapshot!(screen(&state));
    key(&mut state, '2');
    assert_eq!(state.chrome.focus, Focus::Thread);
}

#[test]
fn anyreach_session_popup_120x30() {
    let mut state = crate::anyreach_snapshots::fixture(120, 30);
    assert!(!text(&state).contains(" Session "), "no pane before 3");
    key(&mut state, '3');
    let shown = text(&state);
    assert!(shown.contains(" Session "), "{shown}");
    assert!(shown.contains("winter-renewals"), "{shown}");
    insta::assert_snapshot!(screen(&state));
    update(&mut state, Action::Command(Command::Back));
    assert_eq!(state.chrome.focus, Focus::Thread);
    assert!(!text(&state).contains(" Session "), "esc closes the popup");
    // Tab reaches it too.
    update(&mut state, Action::Command(Command::FocusNext));
    assert_eq!(state.chrome.focus, Focus::Side);
}

#[test]
fn anyreach_session_pane_focused_160x48() {
    let mut state = crate::anyreach_snapshots::fixture(160, 48);
    update(&mut state, Action::Command(Command::FocusNext));
    assert_eq!(state.chrome.focus, Focus::Side);
    insta::assert_snapshot!(screen(&state));
}
