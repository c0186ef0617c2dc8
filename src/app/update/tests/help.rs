//! The help overlay: paging, top and end, a scroll kept within the help, and its filter.

use super::*;
use crate::app::view::help::{max_scroll, page};
use crate::keymap::Mode;

fn key(s: &mut AppState, code: KeyCode, modifiers: KeyModifiers) {
    update(s, Action::Key(KeyEvent::new(code, modifiers)));
}

fn char_key(s: &mut AppState, c: char) {
    key(s, KeyCode::Char(c), KeyModifiers::NONE);
}

/// Help open on an 80x24 screen.
fn help() -> AppState {
    let mut s = loaded(&["c"]);
    update(
        &mut s,
        Action::Resize {
            width: 80,
            height: 24,
        },
    );
    cmd(&mut s, Command::Help);
    assert_eq!(s.mode(), Mode::Help);
    s
}

#[test]
fn help_pages_with_space_ctrl_d_and_pagedown_and_back_with_ctrl_u_and_pageup() {
    let mut s = help();
    let (_, rows) = page(&s);
    let step = rows - 1;
    char_key(&mut s, ' ');
    assert_eq!(s.chrome.help_scroll, step);
    key(&mut s, KeyCode::Char('d'), KeyModifiers::CONTROL);
    assert_eq!(s.chrome.help_scroll, 2 * step);
    key(&mut s, KeyCode::PageDown, KeyModifiers::NONE);
    let third = (3 * step).min(max_scroll(&s));
    assert_eq!(s.chrome.help_scroll, third);
    key(&mut s, KeyCode::Char('u'), KeyModifiers::CONTROL);
    key(&mut s, KeyCode::PageUp, KeyModifiers::NONE);
    assert_eq!(s.chrome.help_scroll, third.saturating_sub(2 * step));
    char_key(&mut s, 'G');
    assert_eq!(s.chrome.help_scroll, max_scroll(&s));
    char_key(&mut s, 'g');
    assert_eq!(s.chrome.help_scroll, 0);
    assert_eq!(s.chrome.overlay, Some(Overlay::Help));
}

#[test]
fn the_help_scroll_stops_at_the_end_so_one_key_up_moves_at_once() {
    let mut s = help();
    char_key(&mut s, 'G');
    for _ in 0..20 {
        char_key(&mut s, 'j');
    }
    let end = max_scroll(&s);
    assert!(end > 0);
    assert_eq!(s.chrome.help_scroll, end);
    char_key(&mut s, 'k');
    assert_eq!(s.chrome.help_scroll, end - 1);
    // A taller screen makes the help shorter to scroll: the scroll follows.
    update(
        &mut s,
        Action::Resize {
            width: 200,
            height: 60,
        },
    );
    assert!(s.chrome.help_scroll <= max_scroll(&s));
}

#[test]
fn slash_filters_the_help_and_esc_clears_it() {
    let mut s = help();
    char_key(&mut s, 'G');
    char_key(&mut s, '/');
    assert_eq!(s.mode(), Mode::Filter, "typing into the help's filter");
    for c in "link".chars() {
        char_key(&mut s, c);
    }
    assert_eq!(s.chrome.help_filter.as_str(), "link");
    assert_eq!(s.chrome.help_scroll, 0, "a new filter shows its top");
    // `q` and `j` are text here, not close and scroll.
    char_key(&mut s, 'q');
    assert_eq!(s.chrome.overlay, Some(Overlay::Help));
    key(&mut s, KeyCode::Backspace, KeyModifiers::NONE);
    key(&mut s, KeyCode::Enter, KeyModifiers::NONE);
    assert_eq!(
        s.mode(),
        Mode::Help,
        "enter keeps the filter and scrolls again"
    );
    assert_eq!(s.chrome.help_filter.as_str(), "link");
    char_key(&mut s, '/');
    key(&mut s, KeyCode::Esc, KeyModifiers::NONE);
    assert_eq!(s.mode(), Mode::Help);
    assert!(s.chrome.help_filter.is_empty(), "esc clears the filter");
    key(&mut s, KeyCode::Esc, KeyModifiers::NONE);
    assert_eq!(s.chrome.overlay, None);
}

#[test]
fn quit_still_works_from_the_help_filter() {
    let mut s = help();
    char_key(&mut s, '/');
    key(&mut s, KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert!(s.chrome.should_quit);
}
