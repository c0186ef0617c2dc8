//! Helpers the screen tests share: the fixed clock and drawing a state into a test terminal.
#![allow(dead_code)] // each test crate uses its own subset
#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use chrono::{TimeZone, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use switchboard::api::Timestamp;
use switchboard::app::state::AppState;
use switchboard::ui::{self, ViewState};

/// The fixed "now" of every snapshot: 2026-11-23 12:00 UTC.
pub fn now() -> Timestamp {
    Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap()
}

/// `state` drawn at its own size.
pub fn screen(state: &AppState) -> TestBackend {
    let mut terminal =
        Terminal::new(TestBackend::new(state.chrome.width, state.chrome.height)).unwrap();
    let mut view = ViewState::default();
    terminal
        .draw(|frame| ui::render(frame, state, &mut view))
        .unwrap();
    terminal.backend().clone()
}

/// A started app for account `label` at `width` x `height` (fixed clock, UTC), and the request
/// of its first list page.
pub fn started(
    label: &str,
    width: u16,
    height: u16,
) -> (AppState, switchboard::app::paging::RequestId) {
    use switchboard::app::action::Action;
    use switchboard::app::effect::Effect;
    use switchboard::app::state::{Account, Settings};
    use switchboard::app::update::update;
    let account = Account {
        label: label.into(),
        demo: true,
    };
    let mut state = AppState::new(account, now(), ui::time::Zone::utc(), Settings::default());
    update(&mut state, Action::Resize { width, height });
    let effects = update(&mut state, Action::Start);
    let Some(Effect::LoadConversations { request, .. }) = effects.first().cloned() else {
        panic!("the first list page is asked for")
    };
    (state, request)
}

/// Answers list `request` with `items` (the only page), then opens the first row and answers
/// its thread with `messages` (all of it).
pub fn list_and_open(
    state: &mut AppState,
    request: switchboard::app::paging::RequestId,
    items: Vec<switchboard::api::Conversation>,
    messages: Vec<switchboard::api::Message>,
) {
    use switchboard::app::action::{Action, Command};
    use switchboard::app::effect::Effect;
    use switchboard::app::update::update;
    let result = Ok(only_page(items));
    update(
        state,
        Action::ConversationsLoaded {
            request,
            offset: 0,
            result,
        },
    );
    state.sync.last_success = Some(now());
    let effects = update(state, Action::Command(Command::Open));
    let request = effects
        .iter()
        .find_map(|e| match e {
            Effect::LoadThread { request, .. } => Some(*request),
            _ => None,
        })
        .unwrap();
    let conversation = state.inbox.open.clone().unwrap();
    let result = Ok(only_page(messages));
    update(
        state,
        Action::ThreadLoaded {
            request,
            conversation,
            result,
            cached: false,
        },
    );
}

/// A list's only page.
fn only_page<T>(items: Vec<T>) -> switchboard::api::Page<T> {
    switchboard::api::Page {
        items,
        next: switchboard::api::NextPage::End,
        total: None,
        gaps: Vec::new(),
    }
}

/// Settings for counting requests: polls an hour apart, so only what a test does is asked.
pub fn quiet_settings() -> switchboard::app::state::Settings {
    switchboard::app::state::Settings {
        list_poll: std::time::Duration::from_secs(3600),
        thread_poll: std::time::Duration::from_secs(3600),
        ..switchboard::app::state::Settings::default()
    }
}

/// Selects conversation `id` in the list of a headless app, opens it, and waits (20 s at most)
/// for its first messages.
pub async fn open(
    app: &mut switchboard::app::headless::Headless,
    id: &switchboard::api::ConversationId,
) {
    use switchboard::app::action::Command;
    let position = app
        .state
        .inbox
        .list
        .items
        .iter()
        .position(|c| &c.id == id)
        .unwrap();
    app.command(Command::Top);
    for _ in 0..position {
        app.command(Command::Down);
    }
    assert_eq!(app.state.inbox.list.selected.as_ref(), Some(id));
    app.command(Command::Open);
    let loaded = app
        .run_until(std::time::Duration::from_secs(20), |s| {
            s.open_thread().is_some_and(|t| !t.messages.is_empty())
        })
        .await;
    assert!(loaded, "the thread loads");
}
