//! Anyreach flows: the real `update` and runtime, headless, against the sandbox on 127.0.0.1.
#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use crate::common::quiet_settings;

use std::time::Duration;

use secrecy::SecretString;
use switchboard::api::TurnKind;
use switchboard::api::anyreach::Anyreach;
use switchboard::app::action::Command;
use switchboard::app::headless::Headless;
use switchboard::app::state::{Focus, Settings};
use switchboard::sandbox::{self, SandboxConfig};

const WAIT: Duration = Duration::from_secs(20);

/// Scrolling to the end pages through every session once (ties at page edges deduplicated).
async fn page_to_end(app: &mut Headless) {
    let done = |s: &switchboard::app::state::AppState| {
        s.inbox.list.next == Some(switchboard::api::NextPage::End)
            && !s.inbox.list.load.is_loading()
    };
    for _ in 0..20 {
        app.command(Command::Bottom);
        assert!(
            app.run_until(WAIT, |s| !s.inbox.list.load.is_loading())
                .await
        );
        if done(&app.state) {
            break;
        }
    }
    assert!(done(&app.state), "the list reaches its end");
}

#[tokio::test]
async fn a_supervisor_filters_sessions_and_reads_a_transcript_with_tool_calls() {
    let handle = sandbox::spawn(SandboxConfig::quiet(4)).await.unwrap();
    let mut http = handle.http_config();
    http.api_key = Some(SecretString::from(sandbox::ANYREACH_KEY.to_owned()));
    let settings = Settings {
        page_size: 20,
        ..quiet_settings()
    };
    let mut app = Headless::start(Anyreach::new(http).unwrap(), settings, 160, 48);
    assert!(
        app.run_until(WAIT, |s| s.inbox.list.items.len() >= 20)
            .await,
        "sessions load"
    );
    page_to_end(&mut app).await;
    let ids: std::collections::HashSet<_> =
        app.state.inbox.list.items.iter().map(|c| &c.id).collect();
    assert_eq!(
        ids.len(),
        app.state.inbox.list.items.len(),
        "every session once"
    );
    // Only completed telephone sessions.
    app.command(Command::StatusFilter);
    app.command(Command::StatusFilter);
    app.command(Command::ChannelFilter);
    assert!(
        app.run_until(WAIT, |s| !s.inbox.list.items.is_empty()
            && !s.inbox.list.load.is_loading())
            .await
    );
    for c in &app.state.inbox.list.items {
        let facts = c.session.as_ref().unwrap();
        assert_eq!(
            (facts.status.as_str(), facts.channel.as_deref()),
            ("completed", Some("telephone"))
        );
    }
    app.command(Command::Top);
    app.command(Command::Open);
    assert!(
        app.run_until(WAIT, |s| s
            .open_thread()
            .is_some_and(|t| !t.messages.is_empty()))
            .await
    );
    let thread = app.state.open_thread().unwrap();
    let tool = thread
        .messages
        .iter()
        .find_map(|m| m.turn.as_ref()?.kind.clone());
    assert!(
        matches!(
            tool,
            Some(TurnKind::ToolCall {
                output: Some(_),
                ..
            })
        ),
        "{tool:?}"
    );
    // Nothing to reply to or edit; nothing is sent.
    app.command(Command::Reply);
    app.command(Command::EditMetadata);
    assert!(app.state.inbox.editor.is_none());
    let writes = handle
        .requests()
        .iter()
        .filter(|r| r.method != "GET")
        .count();
    assert_eq!(writes, 0);
}

/// The screen as text, row by row.
fn screen_rows(app: &mut Headless) -> Vec<String> {
    let buffer = app.render();
    (0..buffer.area.height)
        .map(|y| {
            (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol())
                .collect()
        })
        .collect()
}

/// Issue 15, item 6: a server filter that drops the open session from the list leaves the
/// session open and intact: its header (not a raw id), the tabs of a session, the reply box off.
#[tokio::test]
async fn a_filter_that_drops_the_open_session_leaves_it_open_and_intact() {
    let handle = sandbox::spawn(SandboxConfig::quiet(4)).await.unwrap();
    let mut http = handle.http_config();
    http.api_key = Some(SecretString::from(sandbox::ANYREACH_KEY.to_owned()));
    let mut app = Headless::start(Anyreach::new(http).unwrap(), quiet_settings(), 80, 24);
    assert!(
        app.run_until(WAIT, |s| !s.inbox.list.items.is_empty())
            .await
    );
    app.command(Command::Open);
    assert!(
        app.run_until(WAIT, |s| s
            .open_thread()
            .is_some_and(|t| !t.messages.is_empty()))
            .await
    );
    let open = app.state.inbox.open.clone().unwrap();
    let record = app.state.conversation(&open).unwrap().clone();
    let name = app.state.display_name(&record);
    let status = record.session.as_ref().unwrap().status.clone();
    let before = screen_rows(&mut app);
    assert!(before[1].contains(&name), "{before:#?}");
    // A status filter the open session does not pass (the first one, or the next).
    app.command(Command::Back);
    app.command(Command::StatusFilter);
    if status == "in_progress" {
        app.command(Command::StatusFilter);
    }
    assert!(
        app.run_until(WAIT, |s| s.inbox.list.next.is_some()
            && !s.inbox.list.load.is_loading())
            .await
    );
    assert!(
        app.state.inbox.list.conversation(&open).is_none(),
        "the filter dropped the open session from the list"
    );
    assert_eq!(app.state.inbox.open.as_ref(), Some(&open), "still open");
    app.command(Command::FocusThread);
    let after = screen_rows(&mut app);
    let text = after.join("\n");
    assert!(after[0].contains("2 Transcript"), "{text}");
    assert!(after[0].contains("3 Session"), "{text}");
    assert!(
        after[1].contains(&name),
        "the header, not a raw id:\n{text}"
    );
    assert!(!after[1].contains(open.as_str()), "{text}");
    assert!(text.contains("replies disabled"), "{text}");
    app.command(Command::Reply);
    assert_ne!(
        app.state.chrome.focus,
        Focus::Compose,
        "the reply box stays off"
    );
    // Its session facts are still there, in pane 3.
    app.command(Command::FocusSide);
    let facts = screen_rows(&mut app).join("\n");
    assert!(facts.contains(&format!("status {status}")), "{facts}");
}
