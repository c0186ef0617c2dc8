//! Anyreach flows: the real `update` and runtime, headless, against the sandbox on 127.0.0.1.
#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use crate::common::quiet_settings;

use std::time::Duration;

use secrecy::SecretString;
use switchboard::api::TurnKind;
use switchboard::api::anyreach::Anyreach;
use switchboard::app::action::Command;
use switchboard::app::headless::Headless;
use switchboard::app::state::Settings;
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
