//! A one-line text box drawn with its cursor (`before▏after`), scrolled so the cursor shows.

use ratatui::style::Style;
use ratatui::text::Span;
use unicode_segmentation::UnicodeSegmentation;

use super::wrap::{truncate, width};
use crate::app::state::LineInput;

/// The cursor, drawn between two characters.
pub const CURSOR: &str = "▏";

/// The text of `input` that fits in `cells` with the cursor: what is before the cursor (its end,
/// behind `…`, when it is too long) and what is after it (cut with `…`). The text is clean
/// already ([`LineInput`] keeps it so).
pub fn window(input: &LineInput, cells: usize) -> (String, String) {
    let room = cells.saturating_sub(1);
    let before = input.before_cursor();
    let used = width(before);
    if used <= room {
        return (
            before.to_owned(),
            truncate(input.after_cursor(), room - used),
        );
    }
    (tail(before, room), String::new())
}

/// The end of `text` in at most `max` cells, behind `…`.
fn tail(text: &str, max: usize) -> String {
    if max == 0 {
        return String::new();
    }
    let mut kept = Vec::new();
    let mut used = 0;
    for grapheme in text.graphemes(true).rev() {
        let cells = width(grapheme);
        if used + cells + 1 > max {
            break;
        }
        used += cells;
        kept.push(grapheme);
    }
    kept.reverse();
    format!("…{}", kept.concat())
}

/// The box in `cells` as spans: the text in `text`, the cursor in `cursor`.
pub fn spans(input: &LineInput, cells: usize, text: Style, cursor: Style) -> Vec<Span<'static>> {
    let (before, after) = window(input, cells);
    vec![
        Span::styled(before, text),
        Span::styled(CURSOR, cursor),
        Span::styled(after, text),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    fn moved_left(text: &str, steps: usize) -> LineInput {
        let mut input = LineInput::new(text);
        for _ in 0..steps {
            input.key(&KeyEvent::new(KeyCode::Left, KeyModifiers::NONE));
        }
        input
    }

    #[test]
    fn the_cursor_always_shows_and_the_box_fits() {
        for (text, left, cells, before, after) in [
            ("hello", 0, 20, "hello", ""),
            ("hello", 2, 20, "hel", "lo"),
            ("hello world", 0, 6, "…orld", ""),
            ("hello world", 11, 6, "", "hell…"),
            ("hello world", 6, 8, "hello", " …"),
            ("漢字漢字", 0, 6, "…漢字", ""),
            ("漢字漢字", 4, 4, "", "漢…"),
            ("abc", 0, 0, "", ""),
        ] {
            let input = moved_left(text, left);
            let (b, a) = window(&input, cells);
            assert_eq!(
                (b.as_str(), a.as_str()),
                (before, after),
                "{text:?} ←{left} in {cells}"
            );
            assert!(cells == 0 || width(&b) + 1 + width(&a) <= cells);
        }
    }
}
