//! The find box and the "new messages" markers have rows of their own under a thread's or a
//! transcript's text: neither hides a line, at 80x24 and 160x48 (issue 15.10).
#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use crate::common::{list_and_open, now, screen, started};

use chrono::TimeDelta;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use switchboard::api::{
    Capabilities, Conversation, ConversationId, Counterparty, Direction, Message, Metadata,
    Participant,
};
use switchboard::app::action::{Action, Command};
use switchboard::app::state::{AppState, Focus};
use switchboard::app::update::update;

const LAST: &str = "LAST-LINE-OF-THE-THREAD";
const SIZES: [(u16, u16); 2] = [(80, 24), (160, 48)];

fn conversation() -> Conversation {
    Conversation {
        id: ConversationId("c1".into()),
        counterparty: Counterparty::Person(Participant {
            address: "+15559876543".into(),
            name: Some("Jane Cooper".into()),
        }),
        our_number: Some("+14155550100".into()),
        our_number_id: None,
        agent_id: None,
        channel: Some("sms".into()),
        last_activity_at: Some(now()),
        preview: Some(LAST.into()),
        message_count: Some(40),
        metadata: Metadata(None),
        created_at: None,
        unread_count: None,
        session: None,
        desk: None,
        capabilities: Capabilities::default(),
    }
}

/// Forty inbound messages; the newest ends with [`LAST`].
fn messages() -> Vec<Message> {
    (0..40)
        .map(|i| {
            let body = if i == 39 {
                format!("the newest one\n{LAST}")
            } else {
                format!("message number {i}")
            };
            let at = now() - TimeDelta::minutes(40 - i);
            Message::new(format!("m{i:02}"), Direction::Inbound, body, at).with_from("+15559876543")
        })
        .collect()
}

/// The thread open and focused, at the bottom.
fn thread(width: u16, height: u16) -> AppState {
    let (mut state, request) = started("AgentPhone sandbox", width, height);
    list_and_open(&mut state, request, vec![conversation()], messages());
    state.chrome.focus = Focus::Thread;
    state
}

fn command(state: &mut AppState, command: Command) {
    update(state, Action::Command(command));
}

fn type_text(state: &mut AppState, text: &str) {
    for c in text.chars() {
        update(state, Action::Key(KeyEvent::from(KeyCode::Char(c))));
    }
}

/// The rows inside the thread pane's border, as text (the scrollbar column left out).
fn pane_rows(state: &AppState) -> Vec<String> {
    let backend = screen(state);
    let buffer = backend.buffer();
    let pane: Rect = switchboard::ui::layout::panes(state, buffer.area)
        .thread
        .unwrap();
    (pane.y + 1..pane.bottom() - 1)
        .map(|y| {
            (pane.x + 1..pane.right() - 2)
                .map(|x| buffer[(x, y)].symbol())
                .collect()
        })
        .collect()
}

fn shows(rows: &[String], text: &str) -> bool {
    rows.iter().any(|row| row.contains(text))
}

#[test]
fn the_last_line_stays_visible_with_the_find_box_open() {
    for (width, height) in SIZES {
        let mut state = thread(width, height);
        assert!(shows(&pane_rows(&state), LAST), "{width}x{height}");
        command(&mut state, Command::Find);
        type_text(&mut state, "number");
        let rows = pane_rows(&state);
        assert!(
            shows(&rows, LAST),
            "{width}x{height} typing:\n{}",
            rows.join("\n")
        );
        assert!(rows.last().unwrap().starts_with("/number"), "{rows:#?}");
        // Kept after enter, with the keys to move between matches; one line up from the
        // bottom (past the blank under the newest message) the last line is the lowest text row.
        update(&mut state, Action::Key(KeyEvent::from(KeyCode::Enter)));
        command(&mut state, Command::Bottom);
        command(&mut state, Command::Up);
        let rows = pane_rows(&state);
        assert!(!state.find.query.is_empty());
        assert!(
            shows(&rows, LAST),
            "{width}x{height} found:\n{}",
            rows.join("\n")
        );
        assert!(rows[rows.len() - 2].contains(LAST), "{rows:#?}");
        assert!(rows.last().unwrap().starts_with("/number"), "{rows:#?}");
    }
}

#[test]
fn the_new_messages_marker_hides_no_line_down_to_the_last() {
    for (width, height) in SIZES {
        let mut state = thread(width, height);
        for _ in 0..6 {
            command(&mut state, Command::Up);
        }
        let without = pane_rows(&state);
        state.inbox.threads.values_mut().next().unwrap().new_below = 2;
        let mut rows = pane_rows(&state);
        let marker = rows.len() - 1;
        assert_eq!(
            rows[marker].trim(),
            "↓ 2 new messages · G to jump",
            "{width}x{height}: the marker's row is its own:\n{}",
            rows.join("\n")
        );
        assert_eq!(
            rows[..marker],
            without[..marker],
            "the text above stays put"
        );
        // Line by line down to the newest: the marker keeps its own row on the way, and the
        // last line is seen whole.
        for _ in 0..20 {
            if state.open_thread().unwrap().new_below == 0 {
                break;
            }
            let marker = rows.last().unwrap().trim().to_owned();
            assert!(
                marker.starts_with('↓') && marker.ends_with("G to jump"),
                "{rows:#?}"
            );
            command(&mut state, Command::Down);
            rows = pane_rows(&state);
        }
        assert_eq!(state.open_thread().unwrap().new_below, 0, "at the bottom");
        assert!(shows(&rows, LAST), "{width}x{height}:\n{}", rows.join("\n"));
    }
}

#[test]
fn the_transcript_keeps_its_last_line_and_marker_with_the_find_box_open() {
    for (width, height) in SIZES {
        let mut state = crate::calls_snapshots::fixture(width, height, true);
        state.chrome.focus = Focus::Thread;
        command(&mut state, Command::Find);
        type_text(&mut state, "order");
        let rows = pane_rows(&state);
        let text = rows.join("\n");
        assert!(
            shows(&rows, "Let me check that order for you."),
            "{width}x{height}:\n{text}"
        );
        assert!(
            shows(&rows, "● following the live call"),
            "{width}x{height}:\n{text}"
        );
        assert!(rows.last().unwrap().starts_with("/order"), "{text}");
        state.calls.open.as_mut().unwrap().new_below = 1;
        let rows = pane_rows(&state);
        let text = rows.join("\n");
        assert!(
            shows(&rows, "↓ 1 new turns below"),
            "{width}x{height}:\n{text}"
        );
        assert!(shows(&rows, "Let me check that order for you."), "{text}");
        assert!(rows.last().unwrap().starts_with("/order"), "{text}");
    }
}
