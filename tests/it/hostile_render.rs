//! Every string of the hostile corpus (`assets/hostile.json`) rendered through the real panes as a
//! name, a preview, a message body, a reaction, a failure reason, a metadata value and a notice:
//! no cell may hold a control character, and no pane may spill over its border.
#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use chrono::{TimeDelta, TimeZone, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use serde_json::json;
use switchboard::api::{
    Capabilities, Conversation, ConversationId, Counterparty, Cursor, Delivery, DeliveryStatus,
    Direction, Message, MessageId, Metadata, NextPage, Page, Participant, Reaction, Timestamp,
};
use switchboard::app::action::{Action, Command};
use switchboard::app::effect::Effect;
use switchboard::app::state::{Account, AppState, Settings};
use switchboard::app::update::update;
use switchboard::sandbox::HOSTILE;
use switchboard::text::is_terminal_safe;
use switchboard::ui::{self, ViewState, layout};

fn now() -> Timestamp {
    Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap()
}

fn conversation(i: usize, text: &str) -> Conversation {
    Conversation {
        id: ConversationId(format!("c{i}")),
        counterparty: Counterparty::Person(Participant {
            address: format!("+1202555{i:04}"),
            name: Some(text.to_owned()),
        }),
        our_number: Some("+14155550100".into()),
        our_number_id: Some("num_1".into()),
        agent_id: None,
        channel: Some(text.to_owned()),
        last_activity_at: Some(now() - TimeDelta::minutes(i64::try_from(i).unwrap())),
        preview: Some(text.to_owned()),
        message_count: None,
        metadata: Metadata(
            json!({"status": text, "assignee": text, "nested": {"v": [text]}})
                .as_object()
                .cloned(),
        ),
        created_at: None,
        unread_count: None,
        session: None,
        desk: None,
        capabilities: Capabilities::default(),
    }
}

fn message(i: usize, text: &str) -> Message {
    let outbound = i % 2 == 1;
    Message {
        id: MessageId(format!("m{i}")),
        direction: if outbound {
            Direction::Outbound
        } else {
            Direction::Inbound
        },
        channel: Some(text.to_owned()),
        body: text.to_owned(),
        from: Some(text.to_owned()),
        to: None,
        sender: None,
        media: vec![format!("https://x.example/{text}")],
        reactions: vec![Reaction {
            id: "r".into(),
            kind: text.to_owned(),
            from: None,
            direction: Direction::Inbound,
            at: None,
        }],
        reply_to: Some(switchboard::api::ReplyRef {
            message_id: MessageId("m0".into()),
            excerpt: Some(text.to_owned()),
        }),
        delivery: outbound.then(|| Delivery {
            status: DeliveryStatus::Failed,
            failure_reason: Some(text.to_owned()),
            error_code: Some(text.to_owned()),
            delivered_at: None,
            read_at: None,
        }),
        sent_at: now() - TimeDelta::minutes(60 - i64::try_from(i).unwrap()),
        private: false,
        turn: None,
    }
}

/// A state whose list, open thread, editor and notice all carry `text`.
fn state_with(text: &str, width: u16, height: u16) -> AppState {
    let account = Account {
        label: text.to_owned(),
        demo: true,
    };
    let mut state = AppState::new(
        account,
        now(),
        switchboard::ui::time::Zone::utc(),
        Settings::default(),
    );
    update(&mut state, Action::Resize { width, height });
    let effects = update(&mut state, Action::Start);
    let Some(Effect::LoadConversations { request, .. }) = effects.first().cloned() else {
        panic!()
    };
    let items = (0..12).map(|i| conversation(i, text)).collect();
    let result = Ok(Page {
        items,
        next: NextPage::More(Cursor::Offset(12)),
        total: None,
        gaps: Vec::new(),
    });
    update(
        &mut state,
        Action::ConversationsLoaded {
            request,
            offset: 0,
            result,
        },
    );
    let effects = update(&mut state, Action::Command(Command::Open));
    let request = effects
        .iter()
        .find_map(|e| match e {
            Effect::LoadThread { request, .. } => Some(*request),
            _ => None,
        })
        .unwrap();
    let items = (0..8).map(|i| message(i, text)).collect();
    let result = Ok(Page {
        items,
        next: NextPage::End,
        total: None,
        gaps: Vec::new(),
    });
    update(
        &mut state,
        Action::ThreadLoaded {
            request,
            conversation: ConversationId("c0".into()),
            result,
            cached: false,
        },
    );
    update(&mut state, Action::Paste(text.to_owned()));
    state
}

fn draw(state: &AppState) -> Buffer {
    let mut terminal =
        Terminal::new(TestBackend::new(state.chrome.width, state.chrome.height)).unwrap();
    terminal
        .draw(|frame| ui::render(frame, state, &mut ViewState::default()))
        .unwrap();
    terminal.backend().buffer().clone()
}

/// Each row of a bordered pane still ends in its border.
fn borders_hold(buffer: &Buffer, pane: Rect, label: &str) {
    for y in pane.y..pane.bottom() {
        let symbol = buffer[(pane.right() - 1, y)].symbol();
        assert!(
            "│┃┐┓┘┛║█".contains(symbol),
            "{label}: row {y} ends in {symbol:?}"
        );
    }
}

fn check(state: &AppState, label: &str) {
    let buffer = draw(state);
    for cell in buffer.content() {
        assert!(
            is_terminal_safe(cell.symbol()),
            "{label}: cell {:?}",
            cell.symbol()
        );
    }
    let panes = layout::panes(state, buffer.area);
    for pane in [panes.list, panes.thread, panes.compose, panes.meta]
        .into_iter()
        .flatten()
    {
        borders_hold(&buffer, pane, label);
    }
}

#[test]
fn the_corpus_has_at_least_fifty_strings() {
    assert!(HOSTILE.len() >= 50);
}

#[test]
fn every_hostile_string_renders_safely_in_every_pane() {
    for (i, text) in HOSTILE.iter().enumerate() {
        for (width, height) in [(80, 24), (160, 48)] {
            let mut state = state_with(text, width, height);
            check(&state, &format!("#{i} list {width}x{height}"));
            update(&mut state, Action::Command(Command::EditMetadata));
            check(&state, &format!("#{i} editor {width}x{height}"));
            update(&mut state, Action::Command(Command::Back));
            update(&mut state, Action::Command(Command::Reply));
            check(&state, &format!("#{i} reply {width}x{height}"));
        }
    }
}
