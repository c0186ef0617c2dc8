//! Loading states on screen (issue 15, item 8): on a slow link every pane says what it is
//! waiting for. The headless app applies answers only while a test waits for them, so the
//! screens drawn right after a key are those of a link that has not answered yet, whatever
//! its speed.
#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

use crate::common::quiet_settings;

use std::time::Duration;

use secrecy::SecretString;
use switchboard::api::AgentPhone;
use switchboard::api::anyreach::Anyreach;
use switchboard::app::action::Command;
use switchboard::app::headless::Headless;
use switchboard::sandbox::{self, SandboxConfig};

const WAIT: Duration = Duration::from_secs(20);

fn text(app: &mut Headless) -> String {
    let buffer = app.render();
    (0..buffer.area.height)
        .map(|y| {
            (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol())
                .collect::<String>()
                + "\n"
        })
        .collect()
}

#[tokio::test]
async fn calls_and_a_transcript_say_loading_until_they_arrive() {
    let handle = sandbox::spawn(SandboxConfig::quiet(5)).await.unwrap();
    let client = AgentPhone::new(handle.http_config()).unwrap();
    for (width, height) in [(80, 24), (160, 48)] {
        let mut app = Headless::start(client.clone(), quiet_settings(), width, height);
        let first = text(&mut app);
        assert!(first.contains("Conversations (loading…)"), "{first}");
        assert!(
            app.run_until(WAIT, |s| !s.inbox.list.items.is_empty())
                .await
        );
        app.command(Command::Calls);
        let screen = text(&mut app);
        assert!(screen.contains("Calls (loading…)"), "{screen}");
        assert!(!screen.contains("Calls (0)"), "{screen}");
        assert!(screen.contains("Loading calls…"), "{screen}");
        assert!(app.run_until(WAIT, |s| !s.calls.items.is_empty()).await);
        let total = app.state.calls.total.unwrap();
        assert!(text(&mut app).contains(&format!("Calls ({total})")));
        app.command(Command::Open);
        let screen = text(&mut app);
        assert!(screen.contains("Loading the call…"), "{screen}");
        if width >= 140 {
            assert!(screen.contains("turns …"), "not a 0 yet:\n{screen}");
        }
        assert!(
            app.run_until(WAIT, |s| s
                .calls
                .open
                .as_ref()
                .is_some_and(|o| !o.transcript.is_empty()))
                .await
        );
        assert!(!text(&mut app).contains("Loading the call…"));
    }
}

#[tokio::test]
async fn an_opened_session_transcript_says_loading_until_it_arrives() {
    let handle = sandbox::spawn(SandboxConfig::quiet(4)).await.unwrap();
    let mut http = handle.http_config();
    http.api_key = Some(SecretString::from(sandbox::ANYREACH_KEY.to_owned()));
    let mut app = Headless::start(Anyreach::new(http).unwrap(), quiet_settings(), 80, 24);
    assert!(
        app.run_until(WAIT, |s| !s.inbox.list.items.is_empty())
            .await
    );
    // The list holds a first page of more: its count says so rather than pass for the total.
    let screen = text(&mut app);
    let loaded = app.state.inbox.list.items.len();
    assert!(
        screen.contains(&format!("Conversations ({loaded}+)")),
        "{screen}"
    );
    app.command(Command::Open);
    let screen = text(&mut app);
    assert!(screen.contains("Loading messages…"), "{screen}");
    assert!(
        app.run_until(WAIT, |s| s
            .open_thread()
            .is_some_and(|t| !t.messages.is_empty()))
            .await
    );
    assert!(!text(&mut app).contains("Loading messages…"));
}
