//! `LineInput`: the one-line text box of find, the list filter, search and the calls number
//! search, edited with readline's keys ([`crate::keymap::LINE_EDIT_KEYS`]).
//!
//! Pure editing, no drawing (`ui::line_input` draws the box). The text is always clean
//! ([`clean_typed`]: no controls, no line breaks), so what is drawn is what is stored and the
//! cursor's column is the width of the text before it. The cursor is a byte offset on a
//! grapheme boundary: a wide character, a letter with its combining marks or a flag is one step.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use unicode_segmentation::UnicodeSegmentation;

use crate::keymap::{LineEdit, line_edit};
use crate::text::clean_typed;

/// A one-line text box: its text and where the cursor is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineInput {
    text: String,
    /// A byte offset into `text`, always on a grapheme boundary.
    cursor: usize,
}

/// What a key did to a box: callers redo their work (filter, search) only when the text changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineChange {
    /// Nothing (a key the box does not use, or a step that could not move).
    None,
    /// Only the cursor moved.
    Cursor,
    Text,
}

impl LineInput {
    /// A box holding `text` (cleaned), with the cursor at its end.
    pub fn new(text: &str) -> Self {
        let text = clean_typed(text);
        Self {
            cursor: text.len(),
            text,
        }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// The text before the cursor.
    pub fn before_cursor(&self) -> &str {
        &self.text[..self.cursor]
    }

    /// The text from the cursor on.
    pub fn after_cursor(&self) -> &str {
        &self.text[self.cursor..]
    }

    pub fn clear(&mut self) {
        self.text.clear();
        self.cursor = 0;
    }

    /// Replaces the text (cleaned); the cursor goes to the end.
    pub fn set(&mut self, text: &str) {
        *self = Self::new(text);
    }

    /// A key typed into the box: an editing key of [`crate::keymap::LINE_EDIT_KEYS`], or a
    /// character (with or without shift) to insert. Other keys with ctrl or alt do nothing.
    pub fn key(&mut self, key: &KeyEvent) -> LineChange {
        if let Some(edit) = line_edit(key) {
            return self.edit(edit);
        }
        match key.code {
            KeyCode::Char(c)
                if !key
                    .modifiers
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
            {
                self.insert(c.encode_utf8(&mut [0; 4]))
            }
            _ => LineChange::None,
        }
    }

    /// Pasted text: a trailing line break is dropped, other line breaks and tabs become spaces,
    /// escape sequences and controls go.
    pub fn paste(&mut self, text: &str) -> LineChange {
        self.insert(text.trim_end_matches(['\r', '\n']))
    }

    /// Inserts `text` (cleaned) at the cursor and moves the cursor after it.
    pub fn insert(&mut self, text: &str) -> LineChange {
        let clean = clean_typed(text);
        if clean.is_empty() {
            return LineChange::None;
        }
        self.text.insert_str(self.cursor, &clean);
        self.cursor += clean.len();
        // A combining mark typed before others, or half a flag, can join what follows it: the
        // cursor goes to the end of the grapheme it landed in.
        let landed = self.cursor;
        let end = self.boundaries().find(|&b| b >= landed);
        self.cursor = end.unwrap_or(self.text.len());
        LineChange::Text
    }

    /// One editing step.
    pub fn edit(&mut self, edit: LineEdit) -> LineChange {
        match edit {
            LineEdit::Home => self.move_to(0),
            LineEdit::End => self.move_to(self.text.len()),
            LineEdit::Left => self.move_to(self.previous_boundary()),
            LineEdit::Right => self.move_to(self.next_boundary()),
            LineEdit::WordLeft => self.move_to(self.back_over(is_word)),
            LineEdit::WordRight => self.move_to(self.forward_over(is_word)),
            LineEdit::DeleteBack => self.delete(self.previous_boundary(), self.cursor),
            LineEdit::DeleteForward => self.delete(self.cursor, self.next_boundary()),
            LineEdit::DeleteWordBack => self.delete(self.back_over(is_not_blank), self.cursor),
            LineEdit::DeleteWordForward => self.delete(self.cursor, self.forward_over(is_word)),
            LineEdit::DeleteToStart => self.delete(0, self.cursor),
            LineEdit::DeleteToEnd => self.delete(self.cursor, self.text.len()),
        }
    }

    fn move_to(&mut self, at: usize) -> LineChange {
        if at == self.cursor {
            return LineChange::None;
        }
        self.cursor = at;
        LineChange::Cursor
    }

    fn delete(&mut self, from: usize, to: usize) -> LineChange {
        if from == to {
            return LineChange::None;
        }
        self.text.replace_range(from..to, "");
        // Regional indicators pair from the start of a run: deleting one can join the halves on
        // either side of the cut into one flag, so the cursor goes back to that flag's start.
        self.cursor = self
            .boundaries()
            .take_while(|&b| b <= from)
            .last()
            .unwrap_or(0);
        LineChange::Text
    }

    /// Every grapheme boundary, the end included.
    fn boundaries(&self) -> impl Iterator<Item = usize> + '_ {
        self.text
            .grapheme_indices(true)
            .map(|(at, _)| at)
            .chain(std::iter::once(self.text.len()))
    }

    fn previous_boundary(&self) -> usize {
        self.boundaries()
            .take_while(|&b| b < self.cursor)
            .last()
            .unwrap_or(0)
    }

    fn next_boundary(&self) -> usize {
        self.boundaries()
            .find(|&b| b > self.cursor)
            .unwrap_or(self.text.len())
    }

    /// Back from the cursor over graphemes that are not `word`, then over those that are.
    fn back_over(&self, word: fn(&str) -> bool) -> usize {
        let graphemes: Vec<(usize, &str)> =
            self.text[..self.cursor].grapheme_indices(true).collect();
        let mut i = graphemes.len();
        while i > 0 && !word(graphemes[i - 1].1) {
            i -= 1;
        }
        while i > 0 && word(graphemes[i - 1].1) {
            i -= 1;
        }
        graphemes.get(i).map_or(self.cursor, |(at, _)| *at)
    }

    /// Forward from the cursor over graphemes that are not `word`, then over those that are.
    fn forward_over(&self, word: fn(&str) -> bool) -> usize {
        let rest = &self.text[self.cursor..];
        let mut graphemes = rest.grapheme_indices(true).peekable();
        while graphemes.next_if(|(_, g)| !word(g)).is_some() {}
        while graphemes.next_if(|(_, g)| word(g)).is_some() {}
        self.cursor + graphemes.peek().map_or(rest.len(), |(at, _)| *at)
    }
}

/// A grapheme of a word for alt-b and alt-f: a letter or digit (with its marks).
fn is_word(grapheme: &str) -> bool {
    grapheme.chars().next().is_some_and(char::is_alphanumeric)
}

/// A grapheme of a word for ctrl-w: anything but a blank.
fn is_not_blank(grapheme: &str) -> bool {
    !grapheme.chars().all(char::is_whitespace)
}

#[cfg(test)]
mod tests;
