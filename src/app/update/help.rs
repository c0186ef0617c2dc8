//! The help overlay: scrolling by lines and pages, to the top and the end, and its filter (`/`, a
//! [`LineInput`](crate::app::state::LineInput)). The scroll is kept within the help's length as
//! `view::help` measures it, the same lines render draws.

use ratatui::crossterm::event::KeyEvent;

use crate::app::action::Command;
use crate::app::state::{AppState, LineChange};
use crate::app::view::help::{max_scroll, page};

/// A command while help is open (its own keys, or the filter's enter and esc).
pub fn command(state: &mut AppState, command: Command) {
    let (_, rows) = page(state);
    let step = rows.saturating_sub(1).max(1);
    let chrome = &mut state.chrome;
    let now = chrome.help_scroll;
    chrome.help_scroll = match command {
        Command::Down => now.saturating_add(1),
        Command::Up => now.saturating_sub(1),
        Command::PageDown => now.saturating_add(step),
        Command::PageUp => now.saturating_sub(step),
        Command::Top => 0,
        Command::Bottom => u16::MAX,
        Command::Filter => {
            chrome.help_filter_editing = true;
            now
        }
        // Enter keeps the filter and gives the keys back to scrolling.
        Command::Accept => {
            chrome.help_filter_editing = false;
            now
        }
        Command::ClearFilter => {
            chrome.help_filter_editing = false;
            chrome.help_filter.clear();
            0
        }
        Command::Back => {
            close(state);
            return;
        }
        _ => now,
    };
    clamp(state);
}

/// A key typed into the help filter: the help shows what matches, from its top.
pub fn input(state: &mut AppState, key: &KeyEvent) {
    if state.chrome.help_filter.key(key) == LineChange::Text {
        state.chrome.help_scroll = 0;
    }
}

/// Text pasted into the help filter.
pub fn paste(state: &mut AppState, text: &str) {
    state.chrome.help_filter.paste(text);
    state.chrome.help_scroll = 0;
}

/// Opens help at its top, unfiltered.
pub fn open(state: &mut AppState) {
    state.chrome.overlay = Some(crate::app::state::Overlay::Help);
    state.chrome.help_scroll = 0;
    state.chrome.help_filter.clear();
    state.chrome.help_filter_editing = false;
}

fn close(state: &mut AppState) {
    state.chrome.overlay = None;
    state.chrome.help_filter.clear();
    state.chrome.help_filter_editing = false;
}

/// Keeps the scroll within the help (after a key, or a resize that made it shorter).
pub fn clamp(state: &mut AppState) {
    let max = max_scroll(state);
    state.chrome.help_scroll = state.chrome.help_scroll.min(max);
}
