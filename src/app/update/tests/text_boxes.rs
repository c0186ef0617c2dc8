//! The one-line text boxes share `LineInput`: find (in a thread and in a transcript), the list
//! filter, search and the calls number search. In each, the readline keys edit and every key
//! shows on the next frame with nothing else happening; what each box does with its text (rows
//! filtered as typed, a search per change, a number asked for on enter, a find on enter) stays.

use super::calls::{call, calls_view, live_call_open};
use super::*;
use crate::app::state::SearchStatus;
use crate::keymap::Mode;

/// A text box: how to open it, the mode it types in, and its text.
struct TextBox {
    name: &'static str,
    open: fn() -> AppState,
    mode: Mode,
    text: fn(&AppState) -> String,
}

fn find_text(s: &AppState) -> String {
    s.find.input.as_str().to_owned()
}

fn search_text(s: &AppState) -> String {
    match &s.chrome.overlay {
        Some(Overlay::Search(panel)) => panel.query.as_str().to_owned(),
        other => panic!("the search is open: {other:?}"),
    }
}

const BOXES: [TextBox; 5] = [
    TextBox {
        name: "thread find",
        open: || {
            let mut s = opened(msgs(0, 20));
            cmd(&mut s, Command::Open);
            cmd(&mut s, Command::Find);
            s
        },
        mode: Mode::Find,
        text: find_text,
    },
    TextBox {
        name: "transcript find",
        open: || {
            let (mut s, _) = live_call_open();
            cmd(&mut s, Command::Find);
            s
        },
        mode: Mode::Find,
        text: find_text,
    },
    TextBox {
        name: "list filter",
        open: || {
            let mut s = loaded(&["c", "d"]);
            cmd(&mut s, Command::Filter);
            s
        },
        mode: Mode::Filter,
        text: |s| s.inbox.list.filter.as_str().to_owned(),
    },
    TextBox {
        name: "search",
        open: || {
            let mut s = loaded(&["c", "d"]);
            cmd(&mut s, Command::Search);
            s
        },
        mode: Mode::Search,
        text: search_text,
    },
    TextBox {
        name: "calls number search",
        open: || {
            let mut s = calls_view(vec![call("1", "completed", 5)]);
            cmd(&mut s, Command::Filter);
            s
        },
        mode: Mode::Filter,
        text: |s| s.calls.search.as_str().to_owned(),
    },
];

fn press(s: &mut AppState, code: KeyCode, modifiers: KeyModifiers) -> Vec<Effect> {
    update(s, Action::Key(KeyEvent::new(code, modifiers)))
}

fn ctrl(s: &mut AppState, c: char) -> Vec<Effect> {
    press(s, KeyCode::Char(c), KeyModifiers::CONTROL)
}

fn alt(s: &mut AppState, c: char) -> Vec<Effect> {
    press(s, KeyCode::Char(c), KeyModifiers::ALT)
}

/// The screen as text, one line per row.
fn screen(s: &AppState) -> String {
    let backend = ratatui::backend::TestBackend::new(s.chrome.width, s.chrome.height);
    let mut terminal = ratatui::Terminal::new(backend).unwrap();
    let mut view = crate::ui::ViewState::default();
    terminal
        .draw(|frame| crate::ui::render(frame, s, &mut view))
        .unwrap();
    let buffer = terminal.backend().buffer();
    (0..s.chrome.height)
        .map(|y| {
            (0..s.chrome.width)
                .map(|x| buffer[(x, y)].symbol())
                .collect()
        })
        .collect::<Vec<String>>()
        .join("\n")
}

/// The box shows `before▏after`, and holds `before` + `after`.
fn shows(s: &AppState, text_box: &TextBox, before: &str, after: &str, step: &str) {
    let name = text_box.name;
    assert_eq!(
        (text_box.text)(s),
        format!("{before}{after}"),
        "{name}: {step}"
    );
    let screen = screen(s);
    assert!(
        screen.contains(&format!("{before}▏{after}")),
        "{name}: after {step} the box shows {before:?}▏{after:?}:\n{screen}"
    );
}

#[test]
fn every_typed_character_shows_on_the_next_frame_in_every_box() {
    for text_box in &BOXES {
        let mut s = (text_box.open)();
        assert_eq!(s.mode(), text_box.mode, "{}", text_box.name);
        let mut typed = String::new();
        for c in "a phone 555".chars() {
            let before = s.chrome.version;
            press(&mut s, KeyCode::Char(c), KeyModifiers::NONE);
            typed.push(c);
            assert_ne!(s.chrome.version, before, "{}: {c:?} draws", text_box.name);
            shows(&s, text_box, &typed, "", &format!("typing {c:?}"));
        }
    }
}

#[test]
fn readline_keys_work_in_every_box() {
    for text_box in &BOXES {
        let mut s = (text_box.open)();
        type_text(&mut s, "hello big world");
        ctrl(&mut s, 'w');
        shows(&s, text_box, "hello big ", "", "ctrl-w");
        alt(&mut s, 'b');
        shows(&s, text_box, "hello ", "big ", "alt-b");
        ctrl(&mut s, 'a');
        shows(&s, text_box, "", "hello big ", "ctrl-a");
        type_text(&mut s, "X");
        shows(&s, text_box, "X", "hello big ", "typing at the start");
        alt(&mut s, 'f');
        shows(&s, text_box, "Xhello", " big ", "alt-f");
        ctrl(&mut s, 'k');
        shows(&s, text_box, "Xhello", "", "ctrl-k");
        press(&mut s, KeyCode::Left, KeyModifiers::NONE);
        press(&mut s, KeyCode::Backspace, KeyModifiers::NONE);
        shows(&s, text_box, "Xhel", "o", "left, backspace");
        ctrl(&mut s, 'e');
        shows(&s, text_box, "Xhelo", "", "ctrl-e");
        update(&mut s, Action::Paste(" pasted\nline\r\n".into()));
        shows(&s, text_box, "Xhelo pasted line", "", "a paste");
        ctrl(&mut s, 'u');
        shows(&s, text_box, "", "", "ctrl-u");
        assert_eq!(s.mode(), text_box.mode, "{}: still typing", text_box.name);
    }
}

#[test]
fn the_filter_filters_again_after_ctrl_w_and_ctrl_u() {
    let mut s = loaded(&["c", "d"]);
    cmd(&mut s, Command::Filter);
    type_text(&mut s, "person d");
    assert_eq!(s.visible_rows().len(), 1);
    ctrl(&mut s, 'w');
    assert_eq!(s.visible_rows().len(), 2, "“person ” matches both");
    type_text(&mut s, "c");
    assert_eq!(s.visible_rows().len(), 1);
    ctrl(&mut s, 'a');
    assert_eq!(
        s.visible_rows().len(),
        1,
        "moving the cursor filters nothing away"
    );
    ctrl(&mut s, 'k');
    assert_eq!(s.visible_rows().len(), 2);
    assert_eq!(s.inbox.list.selected, Some(ConversationId("c".into())));
}

#[test]
fn search_runs_again_on_every_change_with_a_new_request_and_not_on_a_move() {
    let mut s = loaded(&["c", "d"]);
    cmd(&mut s, Command::Search);
    type_text(&mut s, "body of");
    let effects = ctrl(&mut s, 'w');
    let Some(Effect::Search { request, query }) = effects.first() else {
        panic!("ctrl-w searches again: {effects:?}")
    };
    assert_eq!(query, "body ");
    let Some(Overlay::Search(panel)) = &s.chrome.overlay else {
        panic!("open")
    };
    assert_eq!(panel.status, SearchStatus::Searching(*request));
    assert!(
        ctrl(&mut s, 'a').is_empty(),
        "a cursor move is no new search"
    );
    assert!(alt(&mut s, 'f').is_empty());
    assert!(ctrl(&mut s, 'e').is_empty());
    assert!(ctrl(&mut s, 'u').is_empty(), "too little left to search");
    let Some(Overlay::Search(panel)) = &s.chrome.overlay else {
        panic!("open")
    };
    assert_eq!(panel.status, SearchStatus::Idle);
    assert_eq!(s.inbox.last_search, "");
}

#[test]
fn the_calls_search_asks_for_what_is_left_after_ctrl_w_on_enter() {
    let mut s = calls_view(vec![call("1", "completed", 5)]);
    cmd(&mut s, Command::Filter);
    type_text(&mut s, "555 0100");
    assert!(
        ctrl(&mut s, 'w').is_empty(),
        "nothing is asked while typing"
    );
    let effects = cmd(&mut s, Command::Accept);
    let filter = effects
        .iter()
        .find_map(|e| match e {
            Effect::LoadCalls { filter, .. } => Some(filter.clone()),
            _ => None,
        })
        .expect("enter reloads the calls");
    assert_eq!(filter.search.as_deref(), Some("555"));
    // `/` again starts from the search in effect, the cursor at its end.
    cmd(&mut s, Command::Filter);
    type_text(&mut s, "9");
    assert_eq!(s.calls.search.as_str(), "5559");
}

#[test]
fn find_looks_for_what_is_left_after_ctrl_w() {
    let mut s = opened(msgs(0, 20));
    cmd(&mut s, Command::Open);
    cmd(&mut s, Command::Find);
    type_text(&mut s, "body nothing");
    ctrl(&mut s, 'w');
    ctrl(&mut s, 'w');
    type_text(&mut s, "body of");
    cmd(&mut s, Command::Accept);
    assert_eq!(s.find.query, "body of");
    assert!(s.find.current.is_some(), "a match was found");
}
