//! The reply box wraps a long draft over several rows, with the character count and, on SMS
//! threads, the parts it goes out as (80x24 and 160x48).

use chrono::TimeDelta;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use switchboard::api::{
    Capabilities, Conversation, ConversationId, Counterparty, Direction, Message, Metadata,
    Participant,
};
use switchboard::app::action::{Action, Command};
use switchboard::app::state::AppState;
use switchboard::app::update::update;

use crate::common::{list_and_open, now, screen, started};

fn conversation(channel: &str) -> Conversation {
    Conversation {
        id: ConversationId("c1".into()),
        counterparty: Counterparty::Person(Participant {
            address: "+15559876543".into(),
            name: Some("Jane Doe".into()),
        }),
        our_number: Some("+14155550100".into()),
        our_number_id: Some("num_1".into()),
        agent_id: None,
        channel: Some(channel.into()),
        last_activity_at: Some(now() - TimeDelta::minutes(3)),
        preview: Some("Where is my order?".into()),
        message_count: Some(2),
        metadata: Metadata(None),
        created_at: None,
        unread_count: None,
        session: None,
        desk: None,
        capabilities: Capabilities::default(),
    }
}

fn messages(channel: &str) -> Vec<Message> {
    let at = |minutes| now() - TimeDelta::minutes(minutes);
    vec![
        Message::new(
            "m1",
            Direction::Inbound,
            "Where is my order ORD-12345?",
            at(10),
        )
        .with_channel(channel)
        .with_from("+15559876543"),
        Message::new(
            "m2",
            Direction::Outbound,
            "Checking now, one moment.",
            at(3),
        )
        .with_channel(channel)
        .with_from("+14155550100"),
    ]
}

/// 300 characters of words, in the GSM-7 alphabet.
fn long_reply() -> String {
    let text = "Your replacement ships today by courier, tracking ORD-12345. ".repeat(5);
    format!("{}!", &text[..299])
}

/// Jane's thread on `channel` at `width` x `height`, with `text` typed in the reply box.
fn writing(channel: &str, width: u16, height: u16, text: &str) -> AppState {
    let (mut state, request) = started("AgentPhone sandbox", width, height);
    list_and_open(
        &mut state,
        request,
        vec![conversation(channel)],
        messages(channel),
    );
    update(&mut state, Action::Command(Command::Reply));
    for c in text.chars() {
        let key = KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
        update(&mut state, Action::Key(key));
    }
    state
}

/// The rows inside the reply box, and its bottom border.
fn reply_box(state: &AppState) -> (Vec<String>, String) {
    let backend = screen(state);
    let buffer = backend.buffer();
    let area = Rect::new(0, 0, state.chrome.width, state.chrome.height);
    let pane = switchboard::ui::layout::panes(state, area).compose.unwrap();
    let row = |y: u16, from: u16, to: u16| -> String {
        (from..to).map(|x| buffer[(x, y)].symbol()).collect()
    };
    let rows = (pane.y + 1..pane.bottom() - 1)
        .map(|y| row(y, pane.x + 1, pane.right() - 1))
        .collect();
    (rows, row(pane.bottom() - 1, pane.x, pane.right()))
}

fn check_wrapped(state: &AppState, text: &str) {
    let (rows, border) = reply_box(state);
    assert!(rows.len() > 1, "the draft takes several rows: {rows:?}");
    let visible = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    assert_eq!(
        visible(&rows.concat()),
        visible(text),
        "every character is on screen, none scrolled sideways"
    );
    assert!(border.contains(" 300 · 2 SMS "), "{border}");
}

#[test]
fn a_300_character_sms_wraps_with_its_parts_80x24() {
    let text = long_reply();
    assert_eq!(text.chars().count(), 300);
    let state = writing("sms", 80, 24, &text);
    check_wrapped(&state, &text);
    insta::assert_snapshot!(screen(&state));
}

#[test]
fn a_300_character_sms_wraps_with_its_parts_160x48() {
    let text = long_reply();
    let state = writing("sms", 160, 48, &text);
    check_wrapped(&state, &text);
    insta::assert_snapshot!(screen(&state));
}

#[test]
fn imessage_shows_only_the_character_count() {
    let text = long_reply();
    let state = writing("imessage", 80, 24, &text);
    let (_, border) = reply_box(&state);
    assert!(border.contains(" 300 "), "{border}");
    assert!(!border.contains("SMS"), "{border}");
}

#[test]
fn one_character_outside_gsm7_makes_it_unicode() {
    let text = format!("{} 👍", &long_reply()[..100]);
    let state = writing("sms", 80, 24, &text);
    let (_, border) = reply_box(&state);
    assert!(border.contains(" 102 · 2 SMS · unicode "), "{border}");
}

#[test]
fn the_help_explains_the_counter() {
    let state = writing("sms", 80, 24, "");
    let theme = switchboard::ui::theme::Theme::dark();
    // Wide enough that the note is one line: the words are checked, not where they wrap.
    let help: String = switchboard::app::view::help::lines(&state, &theme, 400)
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(help.contains("reply box wraps"), "{help}");
    assert!(help.contains("GSM-7 160, then 153"), "{help}");
}
