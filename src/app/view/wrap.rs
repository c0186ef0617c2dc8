//! Word wrapping by terminal cell width, with the widths ratatui's buffer uses.
//!
//! Wide characters (CJK, emoji) count two cells, combining marks and ZWJ sequences stay in their
//! grapheme, words longer than a line are broken between graphemes. Input is sanitised text.

use ratatui::buffer::CellWidth;
use unicode_segmentation::UnicodeSegmentation;

/// The width of a string in terminal cells, as the buffer will draw it.
pub fn width(text: &str) -> usize {
    text.graphemes(true).map(grapheme_width).sum()
}

fn grapheme_width(g: &str) -> usize {
    if g.chars().any(char::is_control) {
        0
    } else {
        usize::from(g.cell_width())
    }
}

/// Wraps `text` into lines of at most `max` cells (`max` of 0 is treated as 1).
pub fn wrap(text: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        wrap_paragraph(paragraph, max, &mut lines);
    }
    lines
}

fn wrap_paragraph(paragraph: &str, max: usize, lines: &mut Vec<String>) {
    let mut line = String::new();
    let mut used = 0;
    let first_line = lines.len();
    for token in paragraph.split_word_bounds() {
        let w = width(token);
        let blank = token.chars().all(char::is_whitespace);
        // Spaces that would start a wrapped line are dropped; leading indentation is kept.
        if blank && used == 0 && lines.len() > first_line {
            continue;
        }
        if used + w <= max {
            line.push_str(token);
            used += w;
        } else if blank {
            flush(lines, &mut line, &mut used);
        } else if w <= max {
            flush(lines, &mut line, &mut used);
            line.push_str(token);
            used = w;
        } else {
            for g in token.graphemes(true) {
                let gw = grapheme_width(g);
                if used + gw > max && used > 0 {
                    flush(lines, &mut line, &mut used);
                }
                line.push_str(g);
                used += gw;
            }
        }
    }
    lines.push(line.trim_end().to_owned());
}

fn flush(lines: &mut Vec<String>, line: &mut String, used: &mut usize) {
    lines.push(line.trim_end().to_owned());
    line.clear();
    *used = 0;
}

/// Cuts `text` to at most `max` cells, ending in `…` when something was cut.
pub fn truncate(text: &str, max: usize) -> String {
    if width(text) <= max {
        return text.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for g in text.graphemes(true) {
        let gw = grapheme_width(g);
        if used + gw + 1 > max {
            break;
        }
        out.push_str(g);
        used += gw;
    }
    if max > 0 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn wraps_words_and_keeps_paragraphs() {
        assert_eq!(wrap("the quick brown fox", 10), ["the quick", "brown fox"]);
        assert_eq!(wrap("a\n\nb", 10), ["a", "", "b"]);
        assert_eq!(wrap("", 10), [""]);
    }

    #[test]
    fn breaks_long_words_and_counts_wide_cells() {
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("漢字漢字漢", 4), ["漢字", "漢字", "漢"]);
        assert_eq!(width("👨‍👩‍👧"), 2);
        assert_eq!(width("e\u{301}"), 1);
    }

    #[test]
    fn a_mark_of_no_width_stays_with_the_wide_grapheme_after_it() {
        // A lone spacing mark (no cell) then a grapheme two cells wide, at a width of one.
        let lines = wrap("\u{11357}a\u{11232}", 1);
        assert_eq!(lines.len(), 1);
        assert_eq!(width(&lines[0]), 2);
    }

    #[test]
    fn truncates_with_an_ellipsis() {
        assert_eq!(truncate("hello world", 8), "hello w…");
        assert_eq!(truncate("漢字漢字", 5), "漢字…");
        assert_eq!(truncate("short", 8), "short");
    }

    proptest! {
        #[test]
        fn no_line_is_wider_than_asked(s in "\\PC{0,80}", max in 1usize..30) {
            let clean = crate::text::sanitize(&s);
            for line in wrap(&clean, max) {
                // Only a single grapheme wider than the line (a wide or composed one) may overflow;
                // graphemes of no width (a lone mark) take no cell beside it.
                let single = line.graphemes(true).filter(|g| width(g) > 0).count() == 1;
                prop_assert!(width(&line) <= max || single, "{line:?} wider than {max}");
            }
        }
    }
}
