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
    let mut terminal = Terminal::new(TestBackend::new(state.width, state.height)).unwrap();
    let mut view = ViewState::default();
    terminal
        .draw(|frame| ui::render(frame, state, &mut view))
        .unwrap();
    terminal.backend().clone()
}
