//! Chatwoot flows: the real `update` and runtime, headless, against the sandbox on 127.0.0.1.
#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use crate::common::quiet_settings;

use std::collections::HashSet;
use std::time::Duration;

use secrecy::SecretString;
use switchboard::api::ConversationId;
use switchboard::api::chatwoot::Chatwoot;
use switchboard::app::action::Command;
use switchboard::app::headless::Headless;
use switchboard::sandbox::{self, SandboxConfig};

const WAIT: Duration = Duration::from_secs(20);

async fn start() -> (sandbox::SandboxHandle, Chatwoot, Headless) {
    let handle = sandbox::spawn(SandboxConfig::quiet(9)).await.unwrap();
    let mut http = handle.http_config();
    http.api_key = Some(SecretString::from(sandbox::CHATWOOT_TOKEN.to_owned()));
    let client = Chatwoot::new(http, 1).unwrap();
    let settings = quiet_settings();
    let app = Headless::start(client.clone(), settings, 160, 48);
    (handle, client, app)
}

/// Selects and opens conversation `id` once the list has it.
async fn open(app: &mut Headless, id: &ConversationId) {
    assert!(
        app.run_until(WAIT, |s| s.inbox.list.items.iter().any(|c| &c.id == id))
            .await
    );
    crate::common::open(app, id).await;
}

#[tokio::test]
async fn the_long_chatwoot_thread_pages_back_to_its_first_message_every_message_once() {
    let (handle, _client, mut app) = start().await;
    open(&mut app, &ConversationId("3".into())).await;
    handle.clear_requests();
    app.command(Command::Top);
    assert!(
        app.run_until(WAIT, |s| s
            .open_thread()
            .is_some_and(switchboard::app::state::Thread::at_beginning))
            .await
    );
    let thread = app.state.open_thread().unwrap();
    let ids: Vec<u64> = thread
        .messages
        .iter()
        .map(|m| m.id.as_str().parse().unwrap())
        .collect();
    assert_eq!(ids.len(), 230);
    assert_eq!(
        ids.iter().collect::<HashSet<_>>().len(),
        230,
        "every message once"
    );
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "in order");
    let pages = handle
        .requests()
        .iter()
        .filter(|r| {
            r.path.ends_with("/messages")
                && r.query
                    .as_deref()
                    .is_some_and(|q| q.contains("before_timestamp="))
        })
        .count();
    assert_eq!(
        pages,
        (230 - 20_usize).div_ceil(19),
        "one request per older page of 20 (19 new: the boundary second is read again)"
    );
    // A customer writes in: the poll asks only for what is after the newest message held.
    handle.clear_requests();
    handle.chatwoot_incoming(3, "Hello again").unwrap();
    app.command(Command::Refresh);
    let arrived = |s: &switchboard::app::state::AppState| {
        s.open_thread()
            .is_some_and(|t| t.messages.last().is_some_and(|m| m.body == "Hello again"))
    };
    assert!(app.run_until(WAIT, arrived).await);
    let polls: Vec<String> = handle
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/conversations/3/messages"))
        .map(|r| r.query.clone().unwrap_or_default())
        .collect();
    assert!(
        !polls.is_empty() && polls.iter().all(|q| q.starts_with("after=")),
        "{polls:?}"
    );
}

fn type_text(app: &mut Headless, text: &str) {
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    for c in text.chars() {
        app.dispatch(switchboard::app::action::Action::Key(KeyEvent::new(
            KeyCode::Char(c),
            KeyModifiers::NONE,
        )));
    }
}

#[tokio::test]
async fn an_agent_resolves_snoozes_and_writes_a_private_note_from_the_keyboard() {
    let (_handle, client, mut app) = start().await;
    let first = ConversationId("1".into());
    open(&mut app, &first).await;
    // x, then the first action: Resolve.
    app.command(Command::Actions);
    app.command(Command::Open);
    let status = |s: &switchboard::app::state::AppState| {
        let conv = s.inbox.list.items.iter().find(|c| c.id.as_str() == "1");
        conv.and_then(|c| c.desk.as_ref()).map(|d| d.status.clone())
    };
    assert!(
        app.run_until(WAIT, |s| status(s).as_deref() == Some("resolved"))
            .await
    );
    // The activity line the change left shows in the thread.
    let activity = |s: &switchboard::app::state::AppState| {
        s.open_thread().is_some_and(|t| {
            t.messages
                .iter()
                .any(|m| m.body.contains("marked resolved"))
        })
    };
    assert!(app.run_until(WAIT, activity).await);
    // Snooze until tomorrow morning: find it in the menu by its words.
    app.command(Command::Actions);
    let Some(switchboard::app::state::Overlay::Actions { items, .. }) =
        app.state.chrome.overlay.clone()
    else {
        panic!("the actions menu is open");
    };
    let snooze = items
        .iter()
        .position(|(l, _)| l.contains("tomorrow"))
        .unwrap();
    for _ in 0..snooze {
        app.command(Command::Down);
    }
    app.command(Command::Open);
    assert!(
        app.run_until(WAIT, |s| status(s).as_deref() == Some("snoozed"))
            .await
    );
    // A private note: r, ctrl-p, text, enter.
    app.command(Command::Reply);
    app.command(Command::ToggleNote);
    type_text(&mut app, "Customer is a VIP, call back");
    app.command(Command::Send);
    let noted = |s: &switchboard::app::state::AppState| {
        s.open_thread().is_some_and(|t| {
            t.messages
                .iter()
                .any(|m| m.private && m.body == "Customer is a VIP, call back")
        })
    };
    assert!(
        app.run_until(WAIT, noted).await,
        "the note arrives in the thread as a note"
    );
    let server = client.messages_page(&first, None).await.unwrap();
    let note = server
        .items
        .iter()
        .find(|m| m.body == "Customer is a VIP, call back")
        .unwrap();
    assert!(note.private, "sent as a private note, not to the customer");
}

#[tokio::test]
async fn a_contact_reads_its_conversation_and_writes_through_the_public_api() {
    let handle = sandbox::spawn(SandboxConfig::quiet(9)).await.unwrap();
    let (inbox, contact) = handle.chatwoot_contact(5).unwrap();
    let mut http = handle.http_config();
    http.api_key = None;
    let public = switchboard::api::chatwoot::ChatwootPublic::new(http, &inbox, &contact).unwrap();
    let settings = quiet_settings();
    let mut app = Headless::start(public, settings, 160, 48);
    let id = ConversationId("5".into());
    open(&mut app, &id).await;
    let thread = app.state.open_thread().unwrap();
    assert!(
        thread.messages.iter().all(|m| !m.private),
        "no agent notes for a contact"
    );
    // No triage for a contact; writing goes out as the contact.
    app.command(Command::Actions);
    assert!(app.state.chrome.overlay.is_none());
    app.command(Command::Reply);
    type_text(&mut app, "Is there any news?");
    app.command(Command::Send);
    let arrived = |s: &switchboard::app::state::AppState| {
        s.open_thread().is_some_and(|t| {
            t.messages.iter().any(|m| {
                m.body == "Is there any news?"
                    && m.direction == switchboard::api::Direction::Inbound
            })
        })
    };
    assert!(app.run_until(WAIT, arrived).await);
    let settled = |s: &switchboard::app::state::AppState| {
        s.open_thread().is_some_and(|t| t.outbox.is_empty())
            && s.inbox.drafts.values().all(|d| d.sending.is_none())
    };
    assert!(
        app.run_until(WAIT, settled).await,
        "the send settles with its copy"
    );
}
