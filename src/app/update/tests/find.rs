//! Find in a thread (`/`, `n` further back, loading older pages when needed, `N` forward) and in
//! a call transcript.

use super::*;
use crate::app::state::FindAt;
use crate::keymap::Mode;

fn key(c: char) -> Action {
    Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn find(s: &mut AppState, text: &str) -> Vec<Effect> {
    cmd(s, Command::Find);
    assert_eq!(s.mode(), Mode::Find);
    for c in text.chars() {
        update(s, key(c));
    }
    cmd(s, Command::Accept)
}

/// The screen as text, and whether some cell of `word` is drawn in the highlight style.
fn draw(s: &AppState, word: &str) -> (String, bool) {
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(
        s.chrome.width,
        s.chrome.height,
    ))
    .unwrap();
    let mut view = crate::ui::ViewState::default();
    let hit = view.theme.badge;
    terminal
        .draw(|f| crate::ui::render(f, s, &mut view))
        .unwrap();
    let buffer = terminal.backend().buffer().clone();
    let mut text = String::new();
    let mut highlighted = false;
    for y in 0..s.chrome.height {
        let row: String = (0..s.chrome.width)
            .map(|x| buffer[(x, y)].symbol())
            .collect();
        if let Some(at) = row.find(word) {
            let x = u16::try_from(row[..at].chars().count()).unwrap();
            highlighted |=
                buffer[(x, y)].style().bg == hit.bg && buffer[(x, y)].style().fg == hit.fg;
        }
        text.push_str(&row);
        text.push('\n');
    }
    (text, highlighted)
}

fn current(s: &AppState) -> Option<String> {
    match &s.find.current {
        Some(FindAt::Message(id)) => Some(id.to_string()),
        Some(FindAt::Turn(i)) => Some(i.to_string()),
        None => None,
    }
}

/// A thread of 100 messages where m00010, m00050 and m00090 say "parcel".
fn thread_with_parcels() -> AppState {
    let mut messages = msgs(0, 100);
    for m in &mut messages {
        if [10, 50, 90]
            .iter()
            .any(|n| m.id.as_str() == format!("m{n:05}"))
        {
            m.body = format!("where is my PARCEL ({})", m.id);
        }
    }
    opened(messages)
}

#[test]
fn enter_goes_to_the_newest_match_and_n_and_shift_n_walk_the_matches() {
    let mut s = thread_with_parcels();
    cmd(&mut s, Command::Open);
    assert_eq!(s.mode(), Mode::Thread);
    find(&mut s, "parcel");
    assert_eq!(s.mode(), Mode::Thread);
    assert_eq!(current(&s).as_deref(), Some("m00090"));
    let thread = s.open_thread().unwrap();
    assert!(matches!(&thread.scroll, Scroll::Anchor { id, .. } if id.as_str() == "m00090"));
    cmd(&mut s, Command::FindNext);
    assert_eq!(current(&s).as_deref(), Some("m00050"));
    cmd(&mut s, Command::FindNext);
    assert_eq!(current(&s).as_deref(), Some("m00010"));
    cmd(&mut s, Command::FindPrev);
    assert_eq!(current(&s).as_deref(), Some("m00050"));
    cmd(&mut s, Command::FindPrev);
    cmd(&mut s, Command::FindPrev);
    assert_eq!(current(&s).as_deref(), Some("m00090"));
    assert!(
        s.chrome
            .notice
            .as_ref()
            .unwrap()
            .text
            .contains("further forward")
    );
}

#[test]
fn n_past_the_oldest_loaded_match_loads_older_pages_until_one_is_found() {
    let mut s = thread_with_parcels();
    find(&mut s, "parcel");
    cmd(&mut s, Command::FindNext);
    cmd(&mut s, Command::FindNext);
    assert_eq!(current(&s).as_deref(), Some("m00010"));
    // None is loaded further back: an older page is asked for (or already on its way, as the
    // prefetch near the top), and another, until a match.
    cmd(&mut s, Command::FindNext);
    assert!(s.find.seeking);
    let Load::Loading(request) = s.open_thread().unwrap().older_load.clone() else {
        panic!("an older page is loading");
    };
    let older = msgs(-200, 0);
    let effects = update(
        &mut s,
        Action::ThreadLoaded {
            request,
            conversation: ConversationId("c".into()),
            result: Ok(page(
                older,
                NextPage::More(Cursor::Before {
                    at: t0(),
                    inclusive: true,
                }),
            )),
            cached: false,
        },
    );
    let (request, _) = thread_request(&effects);
    let mut older = msgs(-400, -200);
    older[3].body = "the parcel came back".into();
    let found = older[3].id.to_string();
    update(
        &mut s,
        Action::ThreadLoaded {
            request,
            conversation: ConversationId("c".into()),
            result: Ok(page(older, NextPage::End)),
            cached: false,
        },
    );
    assert_eq!(current(&s), Some(found));
    assert!(!s.find.seeking);
    // At the beginning with nothing further back: it says so and loads nothing.
    assert!(cmd(&mut s, Command::FindNext).is_empty());
    assert!(s.chrome.notice.as_ref().unwrap().text.contains("No match"));
}

#[test]
fn matches_are_highlighted_and_esc_in_the_box_clears_the_find() {
    let mut s = thread_with_parcels();
    find(&mut s, "PaRcEl");
    let (screen, highlighted) = draw(&s, "PARCEL");
    assert!(
        screen.contains("/PaRcEl · n further back · N forward"),
        "{screen}"
    );
    assert!(highlighted, "the match is drawn highlighted:\n{screen}");
    cmd(&mut s, Command::Find);
    cmd(&mut s, Command::ClearFilter);
    assert!(s.find.query.is_empty());
    assert_eq!(s.mode(), Mode::Thread);
    // Opening another thread starts its find afresh (issue: the query carried over).
    find(&mut s, "parcel");
    cmd(&mut s, Command::Back);
    cmd(&mut s, Command::Down);
    cmd(&mut s, Command::Open);
    assert_eq!(s.find.query, "");
    assert_eq!(s.find.current, None);
}

/// Every text box echoes each key on the next frame with nothing else happening: the find box
/// of a thread once showed nothing until something else redrew.
#[test]
fn every_text_box_echoes_each_key_with_nothing_else_happening() {
    let boxes: [(&str, &[Command]); 4] = [
        ("thread find", &[Command::Open, Command::Find]),
        ("list filter", &[Command::Filter]),
        ("search", &[Command::Search]),
        ("reply", &[Command::Open, Command::Reply]),
    ];
    for (name, open) in boxes {
        let mut s = thread_with_parcels();
        for command in open {
            cmd(&mut s, *command);
        }
        for c in "hel".chars() {
            let before = s.chrome.version;
            update(&mut s, key(c));
            assert_ne!(s.chrome.version, before, "{name}: {c:?} draws");
        }
        let (screen, _) = draw(&s, "hel");
        assert!(
            screen.contains("hel"),
            "{name} shows what was typed:\n{screen}"
        );
    }
}

/// A find belongs to its thread: opening another one starts without the query, its highlights or
/// a half-typed box.
#[test]
fn the_find_query_does_not_carry_over_to_another_thread() {
    let mut s = thread_with_parcels();
    cmd(&mut s, Command::Open);
    find(&mut s, "parcel");
    assert_eq!(s.find.query, "parcel");
    cmd(&mut s, Command::Back);
    cmd(&mut s, Command::Down);
    assert_ne!(s.inbox.list.selected, s.inbox.open);
    cmd(&mut s, Command::Open);
    assert_eq!(s.find, crate::app::state::Find::default());
    let (screen, highlighted) = draw(&s, "parcel");
    assert!(!highlighted, "no highlight left over:\n{screen}");
}
