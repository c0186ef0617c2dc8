//! The reply box's geometry and counter, shared by the layout (how tall the box is, so the thread
//! viewport shrinks by as much) and render (what it draws).
//!
//! The box soft-wraps with the text area's own wrapping ([`WRAP`]); its height is measured with
//! that same text area, so the rows counted here are the rows drawn. Wrapping is display only:
//! the draft's lines, what is saved and what is sent stay exactly what was typed.

use ratatui::buffer::Buffer;
use ratatui::layout::{Margin, Rect};
use ratatui::widgets::Widget;
use ratatui_textarea::{CursorMove, TextArea, WrapMode};

use crate::sms::{self, Encoding};

/// Words move whole to the next row; a word longer than the row is broken between graphemes.
pub const WRAP: WrapMode = WrapMode::WordOrGlyph;

/// The box grows to this many rows of text while writing, then scrolls inside.
pub const MAX_ROWS: u16 = 6;

/// Where the text is drawn in the box `area` (border included): inside the border, less the
/// last column, which is kept for the cursor after a row that fills the width.
pub fn text_area(area: Rect) -> Rect {
    let inner = area.inner(Margin::new(1, 1));
    Rect {
        width: inner.width.saturating_sub(1),
        ..inner
    }
}

/// The rows `lines` take wrapped at `width` columns (at least one).
pub fn wrapped_rows(lines: &[String], width: u16) -> usize {
    if width == 0 {
        return lines.len().max(1);
    }
    let mut probe = TextArea::new(lines.to_vec());
    probe.set_wrap_mode(WRAP);
    probe.move_cursor(CursorMove::Bottom);
    probe.move_cursor(CursorMove::End);
    // The text area learns its width when drawn; one row is enough to lay out every line.
    let area = Rect::new(0, 0, width, 1);
    (&probe).render(area, &mut Buffer::empty(area));
    probe.screen_cursor().row + 1
}

/// Makes `text` wrap in `area` (its [`text_area`]), so moving up and down goes by the rows on
/// screen and the scroll inside the box starts where it is drawn.
pub fn fit(text: &mut TextArea<'static>, area: Rect) {
    if text.wrap_mode() != WRAP {
        text.set_wrap_mode(WRAP);
    }
    if area.is_empty() {
        return;
    }
    (&*text).render(area, &mut Buffer::empty(area));
}

/// The counter in the box's border: characters, and on SMS the parts it goes as (`161 · 2 SMS`,
/// with `· unicode` when one character forces UCS-2). `None` for an empty text.
pub fn counter(text: &str, sms: bool) -> Option<String> {
    let count = sms::segments(text);
    if count.chars == 0 {
        return None;
    }
    if !sms {
        return Some(count.chars.to_string());
    }
    let unicode = if count.encoding == Encoding::Ucs2 {
        " · unicode"
    } else {
        ""
    };
    Some(format!("{} · {} SMS{unicode}", count.chars, count.parts))
}

#[cfg(test)]
mod tests {
    use super::{counter, wrapped_rows};

    #[test]
    fn rows_follow_the_width_and_the_lines() {
        let words = ["word"; 60].join(" ");
        assert_eq!(words.len(), 299);
        assert_eq!(wrapped_rows(std::slice::from_ref(&words), 300), 1);
        // Five words and their spaces (25 columns) a row.
        assert_eq!(wrapped_rows(&[words], 25), 12);
        assert_eq!(wrapped_rows(&[String::new()], 24), 1);
        assert_eq!(
            wrapped_rows(&["a".into(), String::new(), "b".into()], 24),
            3
        );
        // A word longer than the row is broken.
        assert_eq!(wrapped_rows(&["x".repeat(50)], 24), 3);
    }

    #[test]
    fn the_counter_names_sms_parts_only_on_sms() {
        assert_eq!(counter("", true), None);
        assert_eq!(
            counter(&"a".repeat(161), true).as_deref(),
            Some("161 · 2 SMS")
        );
        assert_eq!(counter(&"a".repeat(161), false).as_deref(), Some("161"));
        assert_eq!(
            counter("Merci 👍", true).as_deref(),
            Some("7 · 1 SMS · unicode")
        );
    }
}
