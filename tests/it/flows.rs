//! Flow tests: the real `update` and runtime, headless, against the sandbox on 127.0.0.1.
#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use crate::common::{open, quiet_settings};

use std::collections::HashSet;
use std::time::Duration;

use serde_json::json;
use switchboard::api::{AgentPhone, ConversationId};
use switchboard::app::action::{Action, Command};
use switchboard::app::headless::Headless;
use switchboard::app::state::{AppState, EditorPhase, SendState, Settings};
use switchboard::sandbox::{self, Fault, FaultRule, RetryAfter, SandboxConfig, SandboxHandle};

const WAIT: Duration = Duration::from_secs(20);

async fn start(settings: Settings) -> (SandboxHandle, Headless) {
    let handle = sandbox::spawn(SandboxConfig::quiet(5)).await.unwrap();
    let mut config = handle.http_config();
    config.request_timeout = Duration::from_secs(2);
    config.retry.base_delay = Duration::from_millis(10);
    let client = AgentPhone::new(config).unwrap();
    let mut app = Headless::start(client, settings, 120, 40);
    assert!(
        app.run_until(WAIT, |s| s.inbox.list.items.len() >= 20)
            .await,
        "the list loads"
    );
    (handle, app)
}

fn type_text(app: &mut Headless, text: &str) {
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    for c in text.chars() {
        app.dispatch(Action::Key(KeyEvent::new(
            KeyCode::Char(c),
            KeyModifiers::NONE,
        )));
    }
}

fn message_page_requests(handle: &SandboxHandle) -> usize {
    handle
        .requests()
        .iter()
        .filter(|r| {
            r.path.ends_with("/messages") && !r.query.as_deref().unwrap_or("").contains("after=")
        })
        .count()
}

#[tokio::test]
async fn scrolling_the_longest_thread_to_its_beginning_shows_every_message_once() {
    let (handle, mut app) = start(quiet_settings()).await;
    let (id, expected) = handle.with_world(|w| {
        let conv = w
            .conversations
            .iter()
            .max_by_key(|c| c.messages.len())
            .unwrap();
        let mut ids: Vec<_> = conv.messages.iter().map(|m| (m.at, m.id.clone())).collect();
        ids.sort();
        (
            ConversationId(conv.id.clone()),
            ids.into_iter().map(|(_, id)| id).collect::<Vec<_>>(),
        )
    });
    handle.clear_requests();
    open(&mut app, &id).await;
    app.command(Command::Top);
    let done = app
        .run_until(WAIT, |s| {
            s.open_thread()
                .is_some_and(switchboard::app::state::Thread::at_beginning)
        })
        .await;
    assert!(done, "reached the beginning");
    let thread = app.state.open_thread().unwrap();
    let got: Vec<String> = thread.messages.iter().map(|m| m.id.to_string()).collect();
    assert_eq!(got.len(), expected.len(), "every message, none twice");
    assert_eq!(
        got.iter().collect::<HashSet<_>>(),
        expected.iter().collect::<HashSet<_>>()
    );
    assert!(
        thread
            .messages
            .windows(2)
            .all(|w| w[0].order_key() < w[1].order_key()),
        "in order"
    );
    let requests = message_page_requests(&handle);
    assert!(
        requests <= expected.len().div_ceil(200) + 1,
        "{requests} message requests for {} messages",
        expected.len()
    );
    assert_eq!(thread.requests as usize, requests);
    // The screen shows the beginning of the conversation.
    let screen = format!("{:?}", app.render());
    assert!(screen.contains("beginning of conversation"));
}

#[tokio::test]
async fn a_reply_goes_to_the_participant_from_the_conversations_number_and_appears() {
    let (handle, mut app) = start(Settings::default()).await;
    let conv = app
        .state
        .inbox
        .list
        .items
        .iter()
        .find(|c| c.capabilities.can_send)
        .unwrap()
        .clone();
    open(&mut app, &conv.id).await;
    app.command(Command::Reply);
    type_text(&mut app, "Hello from the flow test");
    app.command(Command::Send);
    let arrived = app
        .run_until(WAIT, |s| {
            s.open_thread().is_some_and(|t| {
                t.outbox.is_empty()
                    && t.messages
                        .iter()
                        .any(|m| m.body == "Hello from the flow test")
            })
        })
        .await;
    assert!(arrived, "the server's copy replaced the sent row");
    let stored = handle.with_world(|w| {
        let c = &w.conversations[w.conversation_index(conv.id.as_str()).unwrap()];
        let m = c
            .messages
            .iter()
            .find(|m| m.body == "Hello from the flow test")
            .unwrap();
        (
            m.to.clone(),
            m.from.clone(),
            w.numbers[c.number].phone.clone(),
        )
    });
    assert_eq!(stored.0, conv.counterparty.reply_address());
    assert_eq!(
        stored.1, stored.2,
        "sent from the conversation's own number"
    );
    let posts = handle
        .requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path == "/v1/messages")
        .count();
    assert_eq!(posts, 1);
    assert!(app.state.inbox.drafts[&conv.id].is_empty());
}

#[tokio::test]
async fn a_dropped_send_is_checked_in_the_thread_and_never_sent_twice() {
    let (handle, mut app) = start(Settings::default()).await;
    let conv = app
        .state
        .inbox
        .list
        .items
        .iter()
        .find(|c| c.capabilities.can_send)
        .unwrap()
        .clone();
    open(&mut app, &conv.id).await;
    app.command(Command::Reply);
    type_text(&mut app, "Refund of $40 approved");
    handle.push_fault(FaultRule::next(Fault::Drop, 1).on_method("POST"));
    app.command(Command::Send);
    let unknown = app
        .run_until(WAIT, |s| {
            s.inbox.drafts[&conv.id]
                .sending
                .as_ref()
                .is_some_and(|p| matches!(p.state, SendState::Unknown { .. }))
        })
        .await;
    assert!(unknown, "a dropped connection leaves the outcome unknown");
    // Pressing send again does nothing while unknown.
    app.command(Command::Send);
    let settled = app
        .run_until(WAIT, |s| s.inbox.drafts[&conv.id].sending.is_none())
        .await;
    assert!(settled);
    assert!(
        app.state.inbox.drafts[&conv.id].is_empty(),
        "found in the thread: sent, the box is cleared"
    );
    let posts = handle
        .requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path == "/v1/messages")
        .count();
    assert_eq!(posts, 1, "sent exactly once");
    let copies = handle.with_world(|w| {
        let c = &w.conversations[w.conversation_index(conv.id.as_str()).unwrap()];
        c.messages
            .iter()
            .filter(|m| m.body == "Refund of $40 approved")
            .count()
    });
    assert_eq!(copies, 1);
}

#[tokio::test]
async fn metadata_saves_replace_the_object_and_conflicts_are_offered() {
    let (handle, mut app) = start(Settings::default()).await;
    let id = app.state.inbox.list.items[3].id.clone();
    open(&mut app, &id).await;
    app.command(Command::EditMetadata);
    app.state.inbox.editor.as_mut().unwrap().text = ratatui_textarea::TextArea::default();
    type_text(&mut app, r#"{"status": "resolved", "assignee": "me"}"#);
    app.command(Command::Save);
    let saved = app
        .run_until(WAIT, |s| {
            s.inbox
                .editor
                .as_ref()
                .is_some_and(|e| e.phase == EditorPhase::Editing && !e.is_dirty())
        })
        .await;
    assert!(saved);
    let stored = handle.with_world(|w| {
        w.conversations[w.conversation_index(id.as_str()).unwrap()]
            .metadata
            .clone()
    });
    assert_eq!(
        serde_json::Value::Object(stored.unwrap()),
        json!({"status": "resolved", "assignee": "me"})
    );

    // Someone else writes while we edit: the save stops and asks.
    type_text(&mut app, " ");
    app.state.inbox.editor.as_mut().unwrap().text = ratatui_textarea::TextArea::default();
    type_text(&mut app, r#"{"status": "open"}"#);
    handle.with_world(|w| {
        let conv = w.conversation_index(id.as_str()).unwrap();
        w.conversations[conv].metadata = json!({"status": "escalated", "by": "ai"})
            .as_object()
            .cloned();
    });
    app.command(Command::Save);
    let conflict = app
        .run_until(WAIT, |s| {
            s.inbox
                .editor
                .as_ref()
                .is_some_and(|e| matches!(e.phase, EditorPhase::Conflict { .. }))
        })
        .await;
    assert!(conflict, "the server's change is not clobbered");
    let untouched = handle.with_world(|w| {
        w.conversations[w.conversation_index(id.as_str()).unwrap()]
            .metadata
            .clone()
    });
    assert_eq!(
        serde_json::Value::Object(untouched.unwrap()),
        json!({"status": "escalated", "by": "ai"})
    );
    app.command(Command::Overwrite);
    let overwritten = app
        .run_until(WAIT, |s| {
            s.inbox
                .editor
                .as_ref()
                .is_some_and(|e| e.phase == EditorPhase::Editing && !e.is_dirty())
        })
        .await;
    assert!(overwritten);
    let stored = handle.with_world(|w| {
        w.conversations[w.conversation_index(id.as_str()).unwrap()]
            .metadata
            .clone()
    });
    assert_eq!(
        serde_json::Value::Object(stored.unwrap()),
        json!({"status": "open"})
    );
}

#[tokio::test]
async fn a_rate_limited_poll_shows_in_the_status_and_the_app_recovers() {
    let settings = Settings {
        list_poll: Duration::from_millis(200),
        ..Settings::default()
    };
    let (handle, mut app) = start(settings).await;
    handle.push_fault(
        FaultRule::next(Fault::RateLimit(RetryAfter::Seconds(1)), 8).on_path("/v1/conversations"),
    );
    let limited = app
        .run_until(WAIT, |s| {
            matches!(
                s.sync.connection,
                switchboard::app::state::Connection::RateLimited { .. }
            )
        })
        .await;
    assert!(limited);
    handle.clear_faults();
    let recovered = app
        .run_until(WAIT, |s| {
            s.sync.connection == switchboard::app::state::Connection::Live
        })
        .await;
    assert!(recovered);
    assert!(
        app.state.inbox.list.items.len() >= 20,
        "nothing shown was lost"
    );
}

#[tokio::test]
async fn new_messages_follow_at_the_bottom_and_mark_other_threads_unread() {
    let settings = Settings {
        list_poll: Duration::from_millis(300),
        thread_poll: Duration::from_millis(300),
        ..Settings::default()
    };
    let (handle, mut app) = start(settings).await;
    let open_id = app.state.inbox.list.items[0].id.clone();
    let other_id = app.state.inbox.list.items[5].id.clone();
    open(&mut app, &open_id).await;
    handle
        .inject_inbound(open_id.as_str(), "new in the open thread")
        .unwrap();
    handle
        .inject_inbound(other_id.as_str(), "new elsewhere")
        .unwrap();
    let seen = app
        .run_until(WAIT, |s: &AppState| {
            s.open_thread().is_some_and(|t| {
                t.messages
                    .iter()
                    .any(|m| m.body == "new in the open thread")
            }) && s.inbox.list.unread.contains_key(&other_id)
        })
        .await;
    assert!(seen);
    assert!(
        !app.state.inbox.list.unread.contains_key(&open_id),
        "the open thread is read"
    );
    assert_eq!(
        app.state.inbox.list.items[0].id, other_id,
        "the list re-sorted by activity"
    );
}

#[tokio::test]
async fn read_only_sends_nothing_even_when_asked_directly() {
    use switchboard::api::{Metadata, OutgoingMessage};
    use switchboard::app::effect::Effect;
    use switchboard::app::paging::RequestId;
    use switchboard::app::runtime::Runtime;
    let handle = sandbox::spawn(SandboxConfig::quiet(5)).await.unwrap();
    let client = AgentPhone::new(handle.http_config()).unwrap();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let runtime = Runtime::new(client, tx, true);
    let conversation = ConversationId(handle.with_world(|w| w.conversations[0].id.clone()));
    let message = OutgoingMessage {
        to: "+15550100".into(),
        from_number_id: None,
        body: "must not go out".into(),
        media_urls: Vec::new(),
        reply_to: None,
        private: false,
    };
    runtime.run(Effect::SendMessage {
        request: RequestId(1),
        conversation: conversation.clone(),
        message,
    });
    runtime.run(Effect::SaveMetadata {
        request: RequestId(2),
        conversation: conversation.clone(),
        metadata: Metadata(None),
    });
    runtime.run(Effect::SendTyping { conversation });
    for _ in 0..3 {
        let action = tokio::time::timeout(WAIT, rx.recv())
            .await
            .unwrap()
            .unwrap();
        let failed = match action {
            Action::MessageSent { result, .. } => result.is_err(),
            Action::MetadataSaved { result, .. } => result.is_err(),
            Action::TypingSent { result } => result.is_err(),
            other => panic!("{other:?}"),
        };
        assert!(failed);
    }
    assert!(handle.requests().is_empty(), "nothing reached the server");
}

#[tokio::test]
async fn scrolling_up_page_by_page_prefetches_to_the_beginning() {
    let (handle, mut app) = start(quiet_settings()).await;
    let (id, total) = handle.with_world(|w| {
        let conv = w
            .conversations
            .iter()
            .max_by_key(|c| c.messages.len())
            .unwrap();
        (ConversationId(conv.id.clone()), conv.messages.len())
    });
    handle.clear_requests();
    open(&mut app, &id).await;
    let mut pages = 0;
    while !app.state.open_thread().unwrap().at_beginning() {
        app.command(Command::PageUp);
        pages += 1;
        // Give a prefetch in flight time to land, as a reader pausing would.
        app.run_until(Duration::from_millis(20), |s| {
            s.open_thread().is_some_and(|t| !t.older_load.is_loading())
        })
        .await;
        assert!(pages < 20_000, "never reached the beginning");
    }
    let thread = app.state.open_thread().unwrap();
    assert_eq!(thread.messages.len(), total);
    let requests = message_page_requests(&handle);
    assert!(
        requests <= total.div_ceil(200) + 1,
        "{requests} requests for {total} messages"
    );
}

/// Issue 15, item 4, against the sandbox: an open metadata editor follows a change made on the
/// server (an untouched editor shows it with a notice, never "✓ saved"); an edited one keeps the
/// edit under a banner, shows the difference, and reloads only when asked, after showing what
/// the reload drops. Nothing is written to the server meanwhile.
#[tokio::test]
async fn an_open_metadata_editor_follows_changes_made_on_the_server() {
    let settings = Settings {
        list_poll: Duration::from_millis(300),
        list_poll_max: Duration::from_millis(300),
        ..quiet_settings()
    };
    let (handle, mut app) = start(settings).await;
    let id = app.state.inbox.list.items[3].id.clone();
    let assignee = |s: &AppState| {
        s.conversation(&id)
            .and_then(|c| c.metadata.field_text("assignee"))
    };
    assert!(handle.set_metadata(id.as_str(), &json!({"assignee": "dana"})));
    let listed = app
        .run_until(WAIT, |s| assignee(s).as_deref() == Some("dana"))
        .await;
    assert!(listed, "the list shows the server's copy");
    open(&mut app, &id).await;
    app.command(Command::EditMetadata);
    assert!(editor_text(&app).contains("dana"));

    // Changed on the server, editor untouched: it shows the new copy with a notice.
    handle.set_metadata(id.as_str(), &json!({"assignee": "lee"}));
    let followed = app
        .run_until(WAIT, |s| {
            s.inbox.editor.as_ref().unwrap().base.field_text("assignee") == Some("lee".into())
        })
        .await;
    assert!(followed, "the editor follows the server");
    assert!(editor_text(&app).contains("lee"), "{}", editor_text(&app));
    assert_eq!(
        assignee(&app.state).as_deref(),
        Some("lee"),
        "the list agrees"
    );
    let notice = app.state.chrome.notice.clone().unwrap().text;
    assert!(notice.contains("changed on the server"), "{notice}");
    let shown = on_screen(&app);
    assert!(
        !shown.contains("✓ saved") && shown.contains("↻ the server's copy"),
        "{shown}"
    );
    an_edit_stays_under_a_server_change(&handle, &mut app, &id).await;
}

/// Edited, then changed on the server: the edit stays under a banner, the difference shows, and
/// a reload drops the edit only after showing it.
async fn an_edit_stays_under_a_server_change(
    handle: &SandboxHandle,
    app: &mut Headless,
    id: &ConversationId,
) {
    let edit = r#"{"assignee": "lee", "note": "vip"}"#;
    app.state.inbox.editor.as_mut().unwrap().text = ratatui_textarea::TextArea::default();
    type_text(app, edit);
    handle.set_metadata(id.as_str(), &json!({"assignee": "sam"}));
    let bannered = app
        .run_until(WAIT, |s| s.inbox.editor.as_ref().unwrap().newer.is_some())
        .await;
    assert!(bannered, "the change is noticed");
    assert_eq!(editor_text(app), edit, "the edit is kept");
    let shown = on_screen(app);
    assert!(shown.contains("changed on the server"), "{shown}");

    // The difference, key by key.
    app.command(Command::Diff);
    let shown = on_screen(app);
    assert!(
        shown.contains("+ note") && shown.contains("\"sam\""),
        "{shown}"
    );
    app.command(Command::Back);
    assert_eq!(editor_text(app), edit);

    // Reload asks by showing what it drops; the second reload takes the server's copy.
    app.command(Command::Reload);
    assert!(matches!(
        app.state.inbox.editor.as_ref().unwrap().phase,
        EditorPhase::Comparing { reload: true }
    ));
    app.command(Command::Reload);
    let editor = app.state.inbox.editor.as_ref().unwrap();
    assert!(!editor.is_dirty() && editor.newer.is_none());
    assert!(editor_text(app).contains("sam"));
    let stored = handle.with_world(|w| {
        w.conversations[w.conversation_index(id.as_str()).unwrap()]
            .metadata
            .clone()
    });
    assert_eq!(
        serde_json::Value::Object(stored.unwrap()),
        json!({"assignee": "sam"}),
        "nothing was written to the server"
    );
}

/// The metadata editor's text.
fn editor_text(app: &Headless) -> String {
    app.state
        .inbox
        .editor
        .as_ref()
        .unwrap()
        .text
        .lines()
        .join("\n")
}

/// Every cell of the app's screen, in order (rows run together).
fn on_screen(app: &Headless) -> String {
    let screen = crate::common::screen(&app.state);
    screen
        .buffer()
        .content()
        .iter()
        .map(ratatui::buffer::Cell::symbol)
        .collect()
}
