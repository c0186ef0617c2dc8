//! Reducer tests: feed actions, assert state and effects. No I/O, no clock.

use std::time::Duration;

use chrono::{TimeDelta, TimeZone, Utc};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde_json::json;

use super::update;
use crate::api::CatchUp;
use crate::api::{
    ApiError, Capabilities, Conversation, ConversationDetail, ConversationId, Counterparty, Cursor,
    DeliveryStatus, Direction, Message, MessageId, Metadata, NextPage, Page, Participant,
    SentMessage, Timestamp,
};
use crate::app::action::{Action, Command};
use crate::app::effect::Effect;
use crate::app::paging::{Load, RequestId};
use crate::app::state::{
    Account, AppState, EditorPhase, Focus, Overlay, Scroll, SendState, Settings,
};

fn t0() -> Timestamp {
    Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap()
}

fn state() -> AppState {
    let account = Account {
        label: "test".into(),
        demo: true,
    };
    let mut state = AppState::new(
        account,
        t0(),
        crate::app::view::time::Zone::utc(),
        Settings::default(),
    );
    update(
        &mut state,
        Action::Resize {
            width: 120,
            height: 30,
        },
    );
    state
}

fn conv(id: &str, minutes_ago: i64) -> Conversation {
    Conversation {
        id: ConversationId(id.into()),
        counterparty: Counterparty::Person(Participant {
            address: format!("+1555{id}"),
            name: Some(format!("Person {id}")),
        }),
        our_number: Some("+14155550100".into()),
        our_number_id: Some("num_1".into()),
        agent_id: None,
        channel: Some("sms".into()),
        last_activity_at: Some(t0() - TimeDelta::minutes(minutes_ago)),
        preview: Some(format!("hello from {id}")),
        message_count: Some(3),
        metadata: Metadata(None),
        created_at: None,
        unread_count: None,
        session: None,
        desk: None,
        capabilities: Capabilities::default(),
    }
}

fn msg(id: &str, secs: i64, direction: Direction) -> Message {
    let at = t0() - TimeDelta::days(30) + TimeDelta::seconds(secs);
    Message::new(id, direction, format!("body of {id}"), at)
        .with_channel("sms")
        .with_from("+1555")
}

/// Messages `from..to` (ids `m{n}`), one minute apart, alternating direction.
fn msgs(from: i64, to: i64) -> Vec<Message> {
    (from..to)
        .map(|n| {
            let dir = if n % 2 == 0 {
                Direction::Inbound
            } else {
                Direction::Outbound
            };
            msg(&format!("m{n:05}"), n * 60, dir)
        })
        .collect()
}

fn page<T>(items: Vec<T>, next: NextPage) -> Page<T> {
    Page {
        items,
        next,
        total: None,
        gaps: Vec::new(),
    }
}

fn cmd(state: &mut AppState, command: Command) -> Vec<Effect> {
    update(state, Action::Command(command))
}

/// The request id of the only conversations load in `effects`.
fn list_request(effects: &[Effect]) -> (RequestId, u64) {
    match effects {
        [
            Effect::LoadConversations {
                request, offset, ..
            },
            ..,
        ] => (*request, *offset),
        other => panic!("expected a list load, got {other:?}"),
    }
}

fn thread_request(effects: &[Effect]) -> (RequestId, Option<Cursor>) {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::LoadThread {
                request, cursor, ..
            } => Some((*request, cursor.clone())),
            _ => None,
        })
        .unwrap_or_else(|| panic!("expected a thread load, got {effects:?}"))
}

/// A state with the list loaded (`ids`, newest first) and more pages after it.
fn loaded(ids: &[&str]) -> AppState {
    let mut s = state();
    let effects = update(&mut s, Action::Start);
    let (request, offset) = list_request(&effects);
    let items = ids
        .iter()
        .enumerate()
        .map(|(i, id)| conv(id, i64::try_from(i).unwrap() + 1))
        .collect();
    update(
        &mut s,
        Action::ConversationsLoaded {
            request,
            offset,
            result: Ok(page(
                items,
                NextPage::More(Cursor::Offset(ids.len() as u64)),
            )),
        },
    );
    s
}

/// A state with conversation `c` open and `messages` as its latest page (more before them).
fn opened(messages: Vec<Message>) -> AppState {
    let mut s = loaded(&["c", "d"]);
    let effects = cmd(&mut s, Command::Open);
    let (request, cursor) = thread_request(&effects);
    assert_eq!(cursor, None);
    let oldest = messages[0].sent_at;
    update(
        &mut s,
        Action::ThreadLoaded {
            request,
            conversation: ConversationId("c".into()),
            result: Ok(page(
                messages,
                NextPage::More(Cursor::Before {
                    at: oldest,
                    inclusive: true,
                }),
            )),
            cached: false,
        },
    );
    s
}

fn type_text(s: &mut AppState, text: &str) {
    for c in text.chars() {
        update(
            s,
            Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
        );
    }
}

fn editor_with_edit() -> AppState {
    let mut s = loaded(&["c"]);
    s.inbox.list.items[0].metadata = Metadata(json!({"status": "open"}).as_object().cloned());
    cmd(&mut s, Command::EditMetadata);
    assert_eq!(s.chrome.focus, Focus::Editor);
    // Replace the text with a new object.
    s.inbox.editor.as_mut().unwrap().text = ratatui_textarea::TextArea::default();
    type_text(&mut s, r#"{"status": "done"}"#);
    s
}

fn fetched_with(s: &mut AppState, metadata: &serde_json::Value) -> Vec<Effect> {
    let effects = cmd(s, Command::Save);
    let Some(Effect::FetchConversation {
        request,
        conversation,
    }) = effects.into_iter().next()
    else {
        panic!("saving starts with a fresh read");
    };
    let mut fresh = conv("c", 0);
    fresh.metadata = Metadata(metadata.as_object().cloned());
    update(
        s,
        Action::ConversationFetched {
            request,
            conversation,
            result: Ok(ConversationDetail {
                conversation: fresh,
                messages: Vec::new(),
            }),
        },
    )
}

fn composing(text: &str) -> AppState {
    let mut s = opened(msgs(0, 20));
    cmd(&mut s, Command::Reply);
    assert_eq!(s.chrome.focus, Focus::Compose);
    type_text(&mut s, text);
    s
}

fn send_request(effects: &[Effect]) -> RequestId {
    effects
        .iter()
        .find_map(|e| match e {
            Effect::SendMessage {
                request, message, ..
            } => {
                assert_eq!(message.to, "+1555c");
                assert_eq!(message.from_number_id.as_deref(), Some("num_1"));
                Some(*request)
            }
            _ => None,
        })
        .expect("a send")
}

/// Sends "refund approved", fails with an unknown outcome; returns the conversation.
fn unknown_send(s: &mut AppState) -> ConversationId {
    let request = send_request(&cmd(s, Command::Send));
    let conversation = ConversationId("c".into());
    let timeout = Err(ApiError::Timeout {
        after: Duration::from_secs(20),
    });
    update(
        s,
        Action::MessageSent {
            request,
            conversation: conversation.clone(),
            result: timeout,
        },
    );
    conversation
}

/// Ticks to `secs` after t0 and answers the check that starts, if any, with `messages`.
fn check_at(s: &mut AppState, secs: i64, messages: Vec<Message>, complete: bool) -> bool {
    let effects = update(
        s,
        Action::Tick {
            now: t0() + TimeDelta::seconds(secs),
        },
    );
    let Some(Effect::CheckSend {
        request,
        conversation,
        ..
    }) = effects
        .into_iter()
        .find(|e| matches!(e, Effect::CheckSend { .. }))
    else {
        return false;
    };
    update(
        s,
        Action::SendChecked {
            request,
            conversation,
            result: Ok(CatchUp {
                messages,
                complete,
                gaps: Vec::new(),
            }),
        },
    );
    true
}

/// Our copy of "refund approved" as the server would list it.
fn our_copy(id: &str) -> Message {
    let mut m = msg(id, 0, Direction::Outbound);
    m.body = "refund approved".into();
    m.from = Some("+14155550100".into());
    m.sent_at = t0();
    m
}

mod calls;
mod compose_box;
mod editor;
mod find;
mod help;
mod list;
mod list_props;
mod loading;
mod panes;
mod providers;
mod reading;
mod sending;
mod session;
mod terminal;
mod text_boxes;
mod thread;
