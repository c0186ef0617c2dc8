//! Chatwoot flows: the real `update` and runtime, headless, against the sandbox on 127.0.0.1.
#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use std::collections::HashSet;
use std::time::Duration;

use secrecy::SecretString;
use switchboard::api::ConversationId;
use switchboard::api::chatwoot::Chatwoot;
use switchboard::app::action::Command;
use switchboard::app::headless::Headless;
use switchboard::app::state::Settings;
use switchboard::sandbox::{self, SandboxConfig};

const WAIT: Duration = Duration::from_secs(20);

#[tokio::test]
async fn the_long_chatwoot_thread_pages_back_to_its_first_message_every_message_once() {
    let handle = sandbox::spawn(SandboxConfig::quiet(9)).await.unwrap();
    let mut http = handle.http_config();
    http.api_key = Some(SecretString::from(sandbox::CHATWOOT_TOKEN.to_owned()));
    let settings = Settings {
        list_poll: Duration::from_secs(3600),
        thread_poll: Duration::from_secs(3600),
        ..Settings::default()
    };
    let mut app = Headless::start(Chatwoot::new(http, 1).unwrap(), settings, 160, 48);
    let long = ConversationId("3".into());
    assert!(
        app.run_until(WAIT, |s| s.list.items.iter().any(|c| c.id == long))
            .await
    );
    let at = app
        .state
        .list
        .items
        .iter()
        .position(|c| c.id == long)
        .unwrap();
    app.command(Command::Top);
    for _ in 0..at {
        app.command(Command::Down);
    }
    app.command(Command::Open);
    assert!(
        app.run_until(WAIT, |s| s
            .open_thread()
            .is_some_and(|t| !t.messages.is_empty()))
            .await
    );
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
                && r.query.as_deref().is_some_and(|q| q.contains("before="))
        })
        .count();
    assert_eq!(
        pages,
        (230 - 20_usize).div_ceil(20),
        "one request per older page of 20"
    );
}
