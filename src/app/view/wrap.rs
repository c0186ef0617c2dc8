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
    for token in words(paragraph) {
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

/// The paragraph as runs of blanks and runs of everything else: a line breaks only at a blank,
/// never between a word and the punctuation beside it (`(also`, `ORD-12345`).
fn words(paragraph: &str) -> impl Iterator<Item = &str> {
    let mut rest = paragraph;
    std::iter::from_fn(move || {
        let first = rest.split_word_bounds().next()?;
        let blank = first.chars().all(char::is_whitespace);
        let end = rest
            .split_word_bound_indices()
            .find(|(_, t)| t.chars().all(char::is_whitespace) != blank)
            .map_or(rest.len(), |(at, _)| at);
        let (word, tail) = rest.split_at(end);
        rest = tail;
        Some(word)
    })
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
        assert_eq!(wrap("typing (also this)", 14), ["typing (also", "this)"]);
        assert_eq!(
            wrap("order ORD-12345 now", 12),
            ["order", "ORD-12345", "now"]
        );
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

    /// Pieces terminals and ratatui have disagreed on: flags (regional indicators), ZWJ sequences,
    /// skin tones, variation selectors, keycaps, tags, combining and spacing marks, conjuncts,
    /// Hangul jamo, halfwidth sound marks, prepended marks, invisible fillers.
    const TRICKY: &[&str] = &[
        "🇫",
        "🇷",
        "🇯",
        "🇵",
        "\u{200D}",
        "👨",
        "👩",
        "👧",
        "👍",
        "\u{1F3FD}",
        "\u{FE0F}",
        "\u{FE0E}",
        "❤",
        "\u{20E3}",
        "1",
        "#",
        "e",
        "\u{301}",
        "\u{308}",
        "क",
        "\u{94D}",
        "ष",
        "\u{903}",
        "\u{1100}",
        "\u{1161}",
        "\u{11A8}",
        "가",
        "🏴",
        "\u{E0067}",
        "\u{E007F}",
        "漢",
        "ｶ",
        "\u{FF9E}",
        "\u{600}",
        "ก",
        "\u{E33}",
        "\u{34F}",
        "\u{3164}",
        "\u{115F}",
        "\u{1160}",
        "\u{2063}",
        "\u{180B}",
        "\u{200B}",
        "\u{AD}",
        " ",
        "a",
        "\n",
    ];

    /// The width a terminal that advances by each character's own width gives a grapheme (xterm,
    /// tmux and the Linux console draw this way); `wide_flags` for the terminals that draw each
    /// regional indicator as a wide emoji (VTE, foot, Windows Terminal).
    fn per_character(grapheme: &str, wide_flags: bool) -> usize {
        use unicode_width::UnicodeWidthChar;
        let regional = |c: char| ('\u{1F1E6}'..='\u{1F1FF}').contains(&c);
        grapheme
            .chars()
            .map(|c| {
                if wide_flags && regional(c) {
                    2
                } else {
                    c.width().unwrap_or(0)
                }
            })
            .sum()
    }

    fn assert_widths_agree(s: &str) -> Result<(), TestCaseError> {
        for form in [
            crate::text::sanitize(s).into_owned(),
            crate::text::sanitize_line(s),
        ] {
            for g in form.graphemes(true).filter(|g| *g != "\n") {
                for wide_flags in [false, true] {
                    let terminal = per_character(g, wide_flags);
                    prop_assert_eq!(width(g), terminal, "{:?} in {:?}", g, form);
                }
            }
        }
        Ok(())
    }

    #[test]
    fn a_flag_is_as_wide_on_screen_as_in_the_buffer() {
        assert_eq!(
            crate::text::sanitize_line("Chloé 🇫🇷 Dubois"),
            "Chloé FR Dubois"
        );
        assert_widths_agree("Chloé 🇫🇷 Dubois 👨\u{200D}👩\u{200D}👧 1\u{FE0F}\u{20E3}").unwrap();
    }

    proptest! {
        #[test]
        fn every_grapheme_let_through_is_as_wide_as_terminals_draw_it(
            pieces in proptest::collection::vec(proptest::sample::select(TRICKY), 0..24),
        ) {
            assert_widths_agree(&pieces.concat())?;
        }

        #[test]
        fn any_text_let_through_is_as_wide_as_terminals_draw_it(s in "\\PC{0,40}") {
            assert_widths_agree(&s)?;
        }

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
