//! The panes the keyboard reaches: every pane the tab bar shows is reached with tab, shift-tab
//! and its number, the side pane (metadata or session) without an open editor, and its popup
//! from 100 to 139 columns.

use super::*;
use crate::app::view::{layout, side, tabs};
use crate::keymap::Mode;

fn resized(s: &mut AppState, width: u16, height: u16) {
    update(s, Action::Resize { width, height });
}

fn key(s: &mut AppState, c: char) -> Vec<Effect> {
    update(
        s,
        Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
    )
}

fn tab_numbers(s: &AppState) -> Vec<u8> {
    tabs::tabs(s).iter().map(|t| t.number).collect()
}

/// Conversation `c` open at `width` x 24, with metadata long enough to scroll at 80x24.
fn open_with_metadata(width: u16) -> AppState {
    let mut s = opened(msgs(0, 5));
    let fields: serde_json::Map<String, serde_json::Value> = (0..40)
        .map(|i| (format!("field_{i:02}"), json!(format!("value {i}"))))
        .collect();
    let row = s
        .inbox
        .list
        .items
        .iter_mut()
        .find(|c| c.id.0 == "c")
        .unwrap();
    row.metadata = Metadata(Some(fields));
    resized(&mut s, width, 24);
    s
}

#[test]
fn tab_and_shift_tab_reach_the_metadata_pane_the_tab_bar_shows() {
    let mut s = open_with_metadata(80);
    assert_eq!(s.chrome.focus, Focus::Thread);
    assert_eq!(tab_numbers(&s), [1, 2, 3]);
    cmd(&mut s, Command::FocusNext);
    assert_eq!(s.chrome.focus, Focus::Side, "tab goes on to pane 3");
    assert_eq!(s.mode(), Mode::Side);
    assert!(s.inbox.editor.is_none(), "no editor is needed to get there");
    cmd(&mut s, Command::FocusNext);
    assert_eq!(s.chrome.focus, Focus::List, "and round to pane 1");
    cmd(&mut s, Command::FocusPrev);
    assert_eq!(s.chrome.focus, Focus::Side, "shift-tab goes back to pane 3");
    cmd(&mut s, Command::FocusPrev);
    assert_eq!(s.chrome.focus, Focus::Thread);
}

#[test]
fn number_keys_go_to_their_pane_and_are_typed_in_text_boxes() {
    let mut s = open_with_metadata(80);
    key(&mut s, '3');
    assert_eq!(s.chrome.focus, Focus::Side);
    key(&mut s, '1');
    assert_eq!(s.chrome.focus, Focus::List);
    key(&mut s, '2');
    assert_eq!(s.chrome.focus, Focus::Thread);
    cmd(&mut s, Command::Reply);
    key(&mut s, '3');
    assert_eq!(
        s.chrome.focus,
        Focus::Compose,
        "a digit in the reply box is text"
    );
    assert_eq!(s.inbox.drafts.values().next().unwrap().body(), "3");
}

#[test]
fn a_pane_that_is_not_there_says_why() {
    let mut s = loaded(&["c", "d"]);
    resized(&mut s, 80, 24);
    assert_eq!(tab_numbers(&s), [1, 3], "nothing open: no thread tab");
    key(&mut s, '2');
    assert_eq!(s.chrome.focus, Focus::List);
    assert!(
        s.chrome
            .notice
            .as_ref()
            .unwrap()
            .text
            .contains("No conversation open")
    );
    // The selected conversation's metadata, before anything is opened.
    key(&mut s, '3');
    assert_eq!(s.chrome.focus, Focus::Side);
    assert_eq!(side::conversation(&s).unwrap().id.0, "c");
}

#[test]
fn the_side_pane_scrolls_edits_with_e_and_goes_back_with_esc() {
    let mut s = open_with_metadata(80);
    key(&mut s, '3');
    let max = side::max_scroll(&s);
    assert!(max > 0, "40 fields do not fit in 22 rows");
    cmd(&mut s, Command::Down);
    cmd(&mut s, Command::Down);
    assert_eq!(side::scroll(&s), 2);
    cmd(&mut s, Command::Bottom);
    assert_eq!(side::scroll(&s), max);
    cmd(&mut s, Command::Down);
    assert_eq!(side::scroll(&s), max, "not past the end");
    cmd(&mut s, Command::Top);
    assert_eq!(side::scroll(&s), 0);
    cmd(&mut s, Command::EditMetadata);
    assert_eq!(s.chrome.focus, Focus::Editor);
    assert_eq!(s.inbox.editor.as_ref().unwrap().conversation.0, "c");
    assert_eq!(tab_numbers(&s), [1, 2, 3], "pane 3 is now the editor");
    cmd(&mut s, Command::Back);
    assert_eq!(s.chrome.focus, Focus::Side, "closing returns to the pane");
    cmd(&mut s, Command::Back);
    assert_eq!(s.chrome.focus, Focus::Thread);
}

#[test]
fn from_100_to_139_columns_pane_3_is_a_popup_over_the_thread() {
    let mut s = open_with_metadata(120);
    let screen = ratatui::layout::Rect::new(0, 0, 120, 24);
    assert_eq!(layout::panes(&s, screen).meta, None);
    key(&mut s, '3');
    let panes = layout::panes(&s, screen);
    assert!(panes.meta_popup && panes.meta.is_some());
    cmd(&mut s, Command::Back);
    assert_eq!(layout::panes(&s, screen).meta, None, "esc closes it");
    // From 140 the pane is always there and takes the focus in place.
    resized(&mut s, 160, 48);
    cmd(&mut s, Command::FocusNext);
    assert_eq!(s.chrome.focus, Focus::Side);
    assert!(!layout::panes(&s, ratatui::layout::Rect::new(0, 0, 160, 48)).meta_popup);
}

#[test]
fn the_calls_view_tabs_are_the_calls_and_an_open_transcript() {
    let mut s = loaded(&["c"]);
    s.capabilities.calls = true;
    resized(&mut s, 80, 24);
    cmd(&mut s, Command::Calls);
    assert_eq!(tab_numbers(&s), [1]);
    key(&mut s, '3');
    assert_eq!(s.chrome.focus, Focus::List);
    assert!(s.chrome.notice.as_ref().unwrap().text.contains("two panes"));
}
