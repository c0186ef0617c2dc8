//! Table tests: a key on a text with its cursor (`|`) gives a text with its cursor.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{LineChange, LineInput};
use crate::keymap::LineEdit;

/// A box from `"he|llo"`: the text without the bar, the cursor where the bar was.
fn at(marked: &str) -> LineInput {
    let cursor = marked.find('|').expect("the case marks its cursor");
    LineInput {
        text: marked.replacen('|', "", 1),
        cursor,
    }
}

/// The box written the way cases are: `"he|llo"`.
fn marked(input: &LineInput) -> String {
    format!("{}|{}", input.before_cursor(), input.after_cursor())
}

fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

fn alt(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::ALT)
}

fn plain(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn typed(c: char) -> KeyEvent {
    plain(KeyCode::Char(c))
}

fn check(cases: &[(&str, KeyEvent, &str)]) {
    for (before, key, after) in cases {
        let mut input = at(before);
        let change = input.key(key);
        assert_eq!(marked(&input), *after, "{before:?} + {key:?}");
        let expected = if before == after {
            LineChange::None
        } else if before.replace('|', "") == after.replace('|', "") {
            LineChange::Cursor
        } else {
            LineChange::Text
        };
        assert_eq!(change, expected, "{before:?} + {key:?}");
    }
}

#[test]
fn readline_moves() {
    check(&[
        ("hel|lo", ctrl('a'), "|hello"),
        ("hel|lo", plain(KeyCode::Home), "|hello"),
        ("|hello", ctrl('a'), "|hello"),
        ("hel|lo", ctrl('e'), "hello|"),
        ("hel|lo", plain(KeyCode::End), "hello|"),
        ("hel|lo", plain(KeyCode::Left), "he|llo"),
        ("hel|lo", ctrl('b'), "he|llo"),
        ("|hello", plain(KeyCode::Left), "|hello"),
        ("hel|lo", plain(KeyCode::Right), "hell|o"),
        ("hel|lo", ctrl('f'), "hell|o"),
        ("hello|", plain(KeyCode::Right), "hello|"),
        ("foo bar|", alt('b'), "foo |bar"),
        ("foo |bar", alt('b'), "|foo bar"),
        ("foo ba|r", alt('b'), "foo |bar"),
        ("+1 555-0100|", alt('b'), "+1 555-|0100"),
        ("|foo bar", alt('f'), "foo| bar"),
        ("foo| bar", alt('f'), "foo bar|"),
        ("foo bar|", alt('f'), "foo bar|"),
        (
            "foo bar|",
            KeyEvent::new(KeyCode::Left, KeyModifiers::CONTROL),
            "foo |bar",
        ),
        (
            "|foo bar",
            KeyEvent::new(KeyCode::Right, KeyModifiers::ALT),
            "foo| bar",
        ),
    ]);
}

#[test]
fn readline_deletes() {
    check(&[
        ("hello|", plain(KeyCode::Backspace), "hell|"),
        ("he|llo", plain(KeyCode::Backspace), "h|llo"),
        ("|hello", plain(KeyCode::Backspace), "|hello"),
        ("he|llo", plain(KeyCode::Delete), "he|lo"),
        ("he|llo", ctrl('d'), "he|lo"),
        ("hello|", plain(KeyCode::Delete), "hello|"),
        ("foo bar|", ctrl('w'), "foo |"),
        ("foo bar  |", ctrl('w'), "foo |"),
        ("foo ba|r", ctrl('w'), "foo |r"),
        ("+1 555-0100|", ctrl('w'), "+1 |"),
        ("|foo", ctrl('w'), "|foo"),
        (
            "foo bar|",
            KeyEvent::new(KeyCode::Backspace, KeyModifiers::ALT),
            "foo |",
        ),
        ("foo| bar baz", alt('d'), "foo| baz"),
        ("foo b|ar", ctrl('u'), "|ar"),
        ("|foo", ctrl('u'), "|foo"),
        ("foo b|ar", ctrl('k'), "foo b|"),
        ("foo|", ctrl('k'), "foo|"),
    ]);
}

#[test]
fn typing_inserts_at_the_cursor_and_other_chords_do_nothing() {
    check(&[
        ("he|lo", typed('l'), "hel|lo"),
        ("|", typed(' '), " |"),
        (
            "ab|",
            KeyEvent::new(KeyCode::Char('C'), KeyModifiers::SHIFT),
            "abC|",
        ),
        ("ab|", ctrl('x'), "ab|"),
        ("ab|", alt('x'), "ab|"),
        ("ab|", plain(KeyCode::Tab), "ab|"),
        ("ab|", plain(KeyCode::Up), "ab|"),
    ]);
}

#[test]
fn wide_characters_and_combining_marks_are_one_step() {
    let acute = "e\u{301}";
    check(&[
        ("漢字|", plain(KeyCode::Backspace), "漢|"),
        ("漢|字", plain(KeyCode::Left), "|漢字"),
        ("漢|字", plain(KeyCode::Right), "漢字|"),
        ("a|b", typed('漢'), "a漢|b"),
        ("漢字 テスト|", alt('b'), "漢字 |テスト"),
        ("漢字 テスト|", ctrl('w'), "漢字 |"),
        (&format!("caf{acute}|"), plain(KeyCode::Backspace), "caf|"),
        (
            &format!("caf{acute}|"),
            plain(KeyCode::Left),
            &format!("caf|{acute}"),
        ),
        (
            &format!("caf|{acute}"),
            plain(KeyCode::Right),
            &format!("caf{acute}|"),
        ),
        (&format!("caf|{acute}!"), plain(KeyCode::Delete), "caf|!"),
        (
            &format!("caf{acute} au|"),
            alt('b'),
            &format!("caf{acute} |au"),
        ),
        (
            &format!("|caf{acute} au"),
            alt('f'),
            &format!("caf{acute}| au"),
        ),
        ("e|", typed('\u{301}'), &format!("{acute}|")),
        ("🇯🇵|", plain(KeyCode::Backspace), "|"),
        ("🇯🇵|🇫🇷", plain(KeyCode::Left), "|🇯🇵🇫🇷"),
    ]);
}

#[test]
fn a_mark_typed_first_joins_what_is_typed_before_it() {
    // A lone combining mark, then a letter typed in front of it: the two are one grapheme, and
    // the cursor does not stay inside it.
    let mut input = at("|\u{301}");
    assert_eq!(input.key(&typed('e')), LineChange::Text);
    assert_eq!(marked(&input), "e\u{301}|");
}

#[test]
fn paste_keeps_one_line_and_drops_controls() {
    for (before, pasted, after) in [
        ("a|b", "x\ny\r\nz\n", "ax y z|b"),
        ("|", "+1 555 0100\r\n", "+1 555 0100|"),
        ("|", "tab\there", "tab here|"),
        ("|", "\x1b[31mred\x1b[0m \x07bell", "red bell|"),
        ("|", "rtl\u{202E}text", "rtltext|"),
        ("|", "漢字 e\u{301}", "漢字 e\u{301}|"),
    ] {
        let mut input = at(before);
        assert_eq!(input.paste(pasted), LineChange::Text, "{pasted:?}");
        assert_eq!(marked(&input), after, "{pasted:?}");
        assert!(crate::text::is_terminal_safe(input.as_str()));
    }
    let mut input = at("ab|");
    assert_eq!(input.paste("\x07\n"), LineChange::None);
    assert_eq!(marked(&input), "ab|");
}

#[test]
fn set_cleans_and_puts_the_cursor_at_the_end() {
    let mut input = LineInput::new("two\nlines");
    assert_eq!(marked(&input), "two lines|");
    input.set("x");
    assert_eq!(marked(&input), "x|");
    input.clear();
    assert!(input.is_empty());
    assert_eq!(marked(&input), "|");
}

proptest::proptest! {
    /// Whatever is typed or pasted, the text stays clean and the cursor on a grapheme boundary.
    #[test]
    fn the_text_stays_clean_and_the_cursor_on_a_boundary(
        steps in proptest::collection::vec((0usize..26, "\\PC{0,3}|[\\x00-\\x1f\\u{301}\\u{1F1EF}\\u{1F1F5}]{0,3}"), 0..40)
    ) {
        use unicode_segmentation::UnicodeSegmentation;
        let keys = crate::keymap::LINE_EDIT_KEYS;
        let mut input = LineInput::default();
        for (choice, text) in steps {
            match keys.get(choice) {
                Some((key, _)) => {
                    input.key(&KeyEvent::new(key.code, key.modifiers));
                }
                None if choice % 2 == 0 => {
                    input.paste(&text);
                }
                None => {
                    for c in text.chars() {
                        input.key(&typed(c));
                    }
                }
            }
            proptest::prop_assert!(crate::text::is_terminal_safe(input.as_str()));
            proptest::prop_assert!(!input.as_str().contains('\n'));
            let on_boundary = input.cursor == input.as_str().len()
                || input.as_str().grapheme_indices(true).any(|(at, _)| at == input.cursor);
            proptest::prop_assert!(on_boundary, "{:?} at {}", input.as_str(), input.cursor);
        }
    }
}

/// Found by the property above: flag halves pair from the start of their run, so an insert or
/// a delete can join halves across the cursor. The cursor stays on a boundary.
#[test]
fn flag_halves_that_join_across_the_cursor_keep_it_on_a_boundary() {
    use unicode_segmentation::UnicodeSegmentation;
    let on_boundary = |input: &LineInput| {
        input.cursor == input.as_str().len()
            || input
                .as_str()
                .grapheme_indices(true)
                .any(|(at, _)| at == input.cursor)
    };
    // "🇵|🇯🇵": deleting nothing splits; deleting the first half joins "🇯🇵" after the cursor.
    let mut input = LineInput::new("🇵🇯🇵");
    input.edit(LineEdit::Home);
    input.insert("🇯");
    assert!(
        on_boundary(&input),
        "{:?} at {}",
        input.as_str(),
        input.cursor
    );
    let mut input = LineInput::new("🇵a🇯🇵");
    input.edit(LineEdit::Home);
    input.edit(LineEdit::Right);
    input.edit(LineEdit::DeleteForward);
    assert!(
        on_boundary(&input),
        "{:?} at {}",
        input.as_str(),
        input.cursor
    );
    let mut input = LineInput::new("🇵🇯a🇵");
    input.edit(LineEdit::End);
    input.edit(LineEdit::Left);
    input.edit(LineEdit::DeleteBack);
    assert!(
        on_boundary(&input),
        "{:?} at {}",
        input.as_str(),
        input.cursor
    );
}
