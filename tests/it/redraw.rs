//! Flags and `ctrl-l`, headless against the sandbox (issue 15.11): a name with a flag is drawn
//! with cells a terminal agrees on, and `ctrl-l` asks for the whole screen again.
#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use std::time::Duration;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use switchboard::api::AgentPhone;
use switchboard::app::action::Action;
use switchboard::app::headless::Headless;
use switchboard::sandbox::{self, SandboxConfig};

const WAIT: Duration = Duration::from_secs(20);

#[tokio::test]
async fn a_flag_is_drawn_as_letters_and_ctrl_l_redraws() {
    let handle = sandbox::spawn(SandboxConfig::quiet(5)).await.unwrap();
    let client = AgentPhone::new(handle.http_config()).unwrap();
    let mut app = Headless::start(client, crate::common::quiet_settings(), 80, 24);
    let chloe = app
        .run_until(WAIT, |s| {
            s.inbox
                .list
                .items
                .iter()
                .any(|c| s.display_name(c).starts_with("Chloé"))
        })
        .await;
    assert!(chloe, "the sandbox's Chloé is listed");
    let position = app
        .state
        .inbox
        .list
        .items
        .iter()
        .position(|c| app.state.display_name(c).starts_with("Chloé"))
        .unwrap();
    app.command(switchboard::app::action::Command::Top);
    for _ in 0..position {
        app.command(switchboard::app::action::Command::Down);
    }
    let buffer = app.render();
    let text: String = buffer
        .content()
        .iter()
        .map(ratatui::buffer::Cell::symbol)
        .collect();
    assert!(text.contains("Chloé FR Dubois"), "{text}");
    let regional = |c: char| ('\u{1F1E6}'..='\u{1F1FF}').contains(&c);
    assert!(
        !text.chars().any(regional),
        "no half of a flag reaches a cell"
    );

    let version = app.state.chrome.version;
    app.dispatch(Action::Key(KeyEvent::new(
        KeyCode::Char('l'),
        KeyModifiers::CONTROL,
    )));
    assert_eq!(
        app.redraws, 1,
        "ctrl-l asks the terminal for a whole redraw"
    );
    assert_ne!(app.state.chrome.version, version, "and draws");
    assert_eq!(app.render(), buffer, "the same screen, every cell of it");
}
