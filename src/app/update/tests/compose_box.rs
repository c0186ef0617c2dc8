//! The reply box wraps: it grows with the rows its text takes (the thread viewport shrinks by as
//! much), stops growing at six rows, moves up and down by rows on screen, and sends exactly what
//! was typed.

use ratatui::layout::Rect;

use super::*;
use crate::app::view::layout;

/// A 300-character text of words, no newline.
fn long_text() -> String {
    let text = "Your replacement ships today by courier. ".repeat(8);
    text[..300].to_owned()
}

/// The reply box's height and the thread viewport's height.
fn heights(s: &AppState) -> (u16, u16) {
    let screen = Rect::new(0, 0, s.chrome.width, s.chrome.height);
    let compose = layout::panes(s, screen).compose.unwrap();
    (compose.height, layout::thread_viewport(s).1)
}

#[test]
fn the_box_grows_with_wrapped_rows_and_the_thread_viewport_shrinks() {
    let mut s = opened(msgs(0, 40));
    cmd(&mut s, Command::Reply);
    let (box_empty, view_empty) = heights(&s);
    assert_eq!(box_empty, 3, "one row and its border");
    let top_empty = crate::app::update::viewport::viewport_top(&mut s).unwrap();

    type_text(&mut s, &long_text());
    let (box_long, view_long) = heights(&s);
    // 120 columns: the thread pane is 77 wide, 75 inside the border; 300 characters of words
    // take 5 rows there.
    assert_eq!(box_long, 5 + 2);
    assert_eq!(
        view_long,
        view_empty - 4,
        "the thread gives the box its rows"
    );
    let top_long = crate::app::update::viewport::viewport_top(&mut s).unwrap();
    assert!(
        top_long > top_empty,
        "following the newest message, the viewport's top moves down: {top_empty:?} → {top_long:?}"
    );

    // Twice as much text stops at six rows and scrolls inside the box.
    type_text(&mut s, &long_text());
    assert_eq!(heights(&s), (6 + 2, view_empty - 5));

    // Leaving the box collapses it to one row again.
    cmd(&mut s, Command::Back);
    assert_eq!(heights(&s).0, 3);
}

#[test]
fn the_box_keeps_to_a_third_of_the_screen() {
    let mut s = opened(msgs(0, 40));
    update(
        &mut s,
        Action::Resize {
            width: 120,
            height: 18,
        },
    );
    cmd(&mut s, Command::Reply);
    type_text(&mut s, &long_text());
    assert_eq!(heights(&s).0, 18 / 3, "four rows and the border");
}

#[test]
fn up_and_down_move_by_rows_on_screen_in_a_wrapped_line() {
    let mut s = opened(msgs(0, 40));
    cmd(&mut s, Command::Reply);
    type_text(&mut s, &long_text());
    let id = ConversationId("c".into());
    assert_eq!(s.inbox.drafts[&id].text.cursor(), (0, 300));
    let key = |code| Action::Key(KeyEvent::new(code, KeyModifiers::NONE));
    update(&mut s, key(KeyCode::Up));
    let ratatui_textarea::DataCursor(row, col) = s.inbox.drafts[&id].text.cursor();
    assert_eq!(row, 0, "still the one line typed");
    assert!(
        (200..300).contains(&col),
        "one row up, not the line's start: {col}"
    );
    update(&mut s, key(KeyCode::Down));
    assert_eq!(s.inbox.drafts[&id].text.cursor(), (0, 300));
}

#[test]
fn wrapping_sends_exactly_what_was_typed() {
    let mut s = opened(msgs(0, 40));
    cmd(&mut s, Command::Reply);
    let text = long_text();
    type_text(&mut s, &text);
    let draft = &s.inbox.drafts[&ConversationId("c".into())];
    assert_eq!(
        draft.text.lines().len(),
        1,
        "no newline inserted by wrapping"
    );
    let effects = cmd(&mut s, Command::Send);
    let body = effects.iter().find_map(|e| match e {
        Effect::SendMessage { message, .. } => Some(message.body.clone()),
        _ => None,
    });
    assert_eq!(body.as_deref(), Some(text.trim()));
}
