//! The editing keys of the one-line text boxes (find, filter, search, the calls number search):
//! readline's, as a table.
//!
//! These keys are consumed by the box itself as text editing, the way the reply box's textarea
//! consumes its own: they are not [`Command`](super::Command)s and are not rebindable. The
//! keymap is still asked first, so a mode's own bindings (enter, esc, the search's `ctrl-n` and
//! `ctrl-p`, a user's `[keys.filter]`) win. The help overlay and the README list this table.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::KeyCombo;

/// One editing step of a one-line text box.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineEdit {
    Home,
    End,
    Left,
    Right,
    WordLeft,
    WordRight,
    DeleteBack,
    DeleteForward,
    /// Back to the previous blank (readline's `unix-word-rubout`).
    DeleteWordBack,
    DeleteWordForward,
    DeleteToStart,
    DeleteToEnd,
}

impl LineEdit {
    /// What the step does, for help.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Home => "cursor to the start",
            Self::End => "cursor to the end",
            Self::Left => "cursor one character left",
            Self::Right => "cursor one character right",
            Self::WordLeft => "cursor one word left",
            Self::WordRight => "cursor one word right",
            Self::DeleteBack => "delete the character before the cursor",
            Self::DeleteForward => "delete the character under the cursor",
            Self::DeleteWordBack => "delete the word before the cursor",
            Self::DeleteWordForward => "delete the word after the cursor",
            Self::DeleteToStart => "delete to the start",
            Self::DeleteToEnd => "delete to the end",
        }
    }
}

const fn combo(code: KeyCode, modifiers: KeyModifiers) -> KeyCombo {
    KeyCombo { code, modifiers }
}

const fn plain(code: KeyCode) -> KeyCombo {
    combo(code, KeyModifiers::NONE)
}

const fn ctrl(c: char) -> KeyCombo {
    combo(KeyCode::Char(c), KeyModifiers::CONTROL)
}

const fn alt(c: char) -> KeyCombo {
    combo(KeyCode::Char(c), KeyModifiers::ALT)
}

/// The editing keys, in help order. Typed characters (with or without shift) are inserted;
/// other keys with ctrl or alt are ignored.
pub const LINE_EDIT_KEYS: &[(KeyCombo, LineEdit)] = &[
    (ctrl('a'), LineEdit::Home),
    (plain(KeyCode::Home), LineEdit::Home),
    (ctrl('e'), LineEdit::End),
    (plain(KeyCode::End), LineEdit::End),
    (plain(KeyCode::Left), LineEdit::Left),
    (ctrl('b'), LineEdit::Left),
    (plain(KeyCode::Right), LineEdit::Right),
    (ctrl('f'), LineEdit::Right),
    (alt('b'), LineEdit::WordLeft),
    (
        combo(KeyCode::Left, KeyModifiers::CONTROL),
        LineEdit::WordLeft,
    ),
    (combo(KeyCode::Left, KeyModifiers::ALT), LineEdit::WordLeft),
    (alt('f'), LineEdit::WordRight),
    (
        combo(KeyCode::Right, KeyModifiers::CONTROL),
        LineEdit::WordRight,
    ),
    (
        combo(KeyCode::Right, KeyModifiers::ALT),
        LineEdit::WordRight,
    ),
    (plain(KeyCode::Backspace), LineEdit::DeleteBack),
    (ctrl('h'), LineEdit::DeleteBack),
    (plain(KeyCode::Delete), LineEdit::DeleteForward),
    (ctrl('d'), LineEdit::DeleteForward),
    (ctrl('w'), LineEdit::DeleteWordBack),
    (
        combo(KeyCode::Backspace, KeyModifiers::ALT),
        LineEdit::DeleteWordBack,
    ),
    (alt('d'), LineEdit::DeleteWordForward),
    (ctrl('u'), LineEdit::DeleteToStart),
    (ctrl('k'), LineEdit::DeleteToEnd),
];

/// The heading of the editing keys in help and the README.
pub const LINE_EDIT_TITLE: &str = "Typing in find, filter and search";

/// The editing step of a key, if it is one.
pub fn line_edit(key: &KeyEvent) -> Option<LineEdit> {
    let combo = KeyCombo::from_event(key);
    LINE_EDIT_KEYS
        .iter()
        .find(|(k, _)| *k == combo)
        .map(|(_, edit)| *edit)
}

/// Help entries: the keys of each step joined with `/`, and what it does.
pub fn line_edit_help() -> Vec<(String, &'static str)> {
    let mut entries: Vec<(LineEdit, Vec<String>)> = Vec::new();
    for (key, edit) in LINE_EDIT_KEYS {
        match entries.iter_mut().find(|(e, _)| e == edit) {
            Some((_, keys)) => keys.push(key.to_string()),
            None => entries.push((*edit, vec![key.to_string()])),
        }
    }
    entries
        .into_iter()
        .map(|(edit, keys)| (keys.join("/"), edit.describe()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_listed_once_and_resolves_to_its_step() {
        for (i, (key, edit)) in LINE_EDIT_KEYS.iter().enumerate() {
            assert!(
                LINE_EDIT_KEYS[..i].iter().all(|(k, _)| k != key),
                "{key} twice"
            );
            let event = KeyEvent::new(key.code, key.modifiers);
            assert_eq!(line_edit(&event), Some(*edit), "{key}");
        }
        let typed = KeyEvent::new(KeyCode::Char('a'), KeyModifiers::NONE);
        assert_eq!(line_edit(&typed), None);
    }

    #[test]
    fn help_groups_the_keys_of_each_step() {
        let help = line_edit_help();
        assert_eq!(help[0], ("ctrl-a/home".to_owned(), "cursor to the start"));
        assert!(help.contains(&(
            "ctrl-w/alt-backspace".to_owned(),
            "delete the word before the cursor"
        )));
        assert_eq!(help.len(), 12);
    }
}
