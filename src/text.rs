//! The sanitizer: text from the network must never drive the terminal.
//!
//! Every string that came from a server passes through [`sanitize`] (multi-line) or
//! [`sanitize_line`] (one line) before it reaches a sink: the screen, an error message, a log line.
//! What could act on a terminal is replaced by a visible glyph so a reader sees that something was
//! there:
//!
//! - every escape sequence (CSI, OSC including 0/2/8/52, DCS, SOS, PM, APC, and two-byte `ESC x`),
//!   in its 7-bit and 8-bit (C1) forms, becomes one `␛`;
//! - other C0 controls become their control picture (`␇`, `␈`, `␍`, …), DEL becomes `␡`,
//!   other C1 controls and bidi controls (the "Trojan Source" class) become `�`;
//! - CR LF becomes LF; a tab becomes spaces (terminals expand tabs themselves, which shifts columns);
//! - characters whose width terminals disagree on are dropped: zero-width joiners (a ZWJ emoji is
//!   shown as its parts), variation selectors, emoji skin-tone modifiers, zero-width spaces, word
//!   joiners, soft hyphens, byte-order marks, tag characters (subdivision flags), the combining
//!   grapheme joiner, Mongolian variation selectors, invisible operators and the Hangul fillers.
//!   ratatui measures a ZWJ sequence as one wide character while most terminals (tmux, VTE,
//!   xterm) draw every part, which shifts the columns after it; without these characters both
//!   agree;
//! - a regional indicator (the halves of a flag, `🇫🇷`) becomes its letter (`FR`): ratatui counts a
//!   pair as one wide cell, while terminals draw a pair as one flag, as two letters or as two
//!   wide glyphs, and the cells left over stay on screen as stray `🇷`s; a halfwidth sound mark
//!   (`ﾞ`, `ﾟ`) becomes its spacing form (`゛`, `゜`), as ratatui counts it one cell wider than
//!   terminals draw it.
//!
//! What is let through has, grapheme by grapheme, the width a terminal that advances by each
//! character's own width draws (property-tested in `app::view::wrap`).
//!
//! The output is idempotent and free of controls other than `\n` (property-tested below).

use std::borrow::Cow;
use std::fmt::Write as _;

/// Marks a removed escape sequence.
pub const ESCAPE_GLYPH: char = '\u{241B}';
/// Marks a removed C1 control or bidi control.
pub const REPLACEMENT_GLYPH: char = '\u{FFFD}';
const TAB_SPACES: &str = "    ";

/// Sanitizes multi-line text (message bodies): keeps `\n`, neutralises everything else.
pub fn sanitize(input: &str) -> Cow<'_, str> {
    if input.chars().all(|c| c == '\n' || is_plain(c)) {
        return Cow::Borrowed(input);
    }
    Cow::Owned(rewrite(input, Form::Block))
}

/// Sanitizes text shown on one line (names, previews, errors): newlines become spaces too.
pub fn sanitize_line(input: &str) -> String {
    if input.chars().all(is_plain) {
        return input.to_owned();
    }
    rewrite(input, Form::Line)
}

/// Text typed or pasted into a one-line box: line breaks and tabs become spaces; escape
/// sequences, other controls and bidi controls are dropped rather than shown as glyphs (a
/// search for `␛[31m` is never what was meant). The result is terminal-safe, like
/// [`sanitize_line`]'s.
pub fn clean_typed(input: &str) -> String {
    if input.chars().all(is_plain) {
        return input.to_owned();
    }
    rewrite(input, Form::Typed)
}

/// What [`rewrite`] makes of its input.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    /// Lines kept; what is removed is marked with a glyph.
    Block,
    /// One line; what is removed is marked with a glyph.
    Line,
    /// One line; what is removed leaves no trace.
    Typed,
}

/// `text` sanitised to one line and cut to `max` characters, ending in `…` when cut (error
/// messages and skipped records quote a server's reply this way).
pub fn excerpt(text: &str, max: usize) -> String {
    let clean = sanitize_line(text);
    let mut out: String = clean.chars().take(max).collect();
    if clean.chars().count() > max {
        out.push('…');
    }
    out
}

/// True for characters that pass through unchanged.
fn is_plain(c: char) -> bool {
    !(c.is_control() || is_bidi_control(c) || is_invisible_separator(c) || is_width_ambiguous(c))
}

/// Joiners, selectors, modifiers and invisible fillers whose width terminals and ratatui disagree
/// on (dropped), and regional indicators (replaced by their letters).
fn is_width_ambiguous(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200D}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{00AD}' | '\u{034F}'
            | '\u{180B}'..='\u{180F}' | '\u{3164}' | '\u{FFA0}' | '\u{FE00}'..='\u{FE0F}'
            | '\u{1F3FB}'..='\u{1F3FF}' | '\u{E0000}'..='\u{E0FFF}'
    ) || replacement(c).is_some()
}

/// What a character of disputed width is shown as: a regional indicator as its letter (`🇫` →
/// `F`); a halfwidth sound mark (`ﾞ`, `ﾟ`) as its spacing form (`゛`, `゜`), as ratatui counts
/// one cell more for it than terminals draw.
fn replacement(c: char) -> Option<char> {
    match c {
        '\u{FF9E}' => Some('\u{309B}'),
        '\u{FF9F}' => Some('\u{309C}'),
        c => regional_letter(c),
    }
}

/// The letter a regional indicator stands for (`🇫` → `F`).
fn regional_letter(c: char) -> Option<char> {
    let offset = u32::from(c).checked_sub(0x1F1E6).filter(|o| *o < 26)?;
    char::from_u32(u32::from('A') + offset)
}

/// Explicit bidi embeddings, overrides and isolates, plus the directional marks.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Line and paragraph separators, which some terminals treat as line breaks.
fn is_invisible_separator(c: char) -> bool {
    matches!(c, '\u{2028}' | '\u{2029}')
}

fn rewrite(input: &str, form: Form) -> String {
    let one_line = form != Form::Block;
    let mark = |out: &mut String, glyph: char| {
        if form != Form::Typed {
            out.push(glyph);
        }
    };
    let mut out = String::with_capacity(input.len());
    let chars: Vec<char> = input.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        match c {
            '\n' => out.push(if one_line { ' ' } else { '\n' }),
            '\r' if chars.get(i) == Some(&'\n') => {}
            '\r' if form == Form::Typed => out.push(' '),
            '\t' => out.push_str(if one_line { " " } else { TAB_SPACES }),
            '\u{1B}' => {
                i = skip_escape(&chars, i);
                mark(&mut out, ESCAPE_GLYPH);
            }
            '\u{90}' | '\u{98}' | '\u{9D}' | '\u{9E}' | '\u{9F}' => {
                i = skip_string(&chars, i);
                mark(&mut out, ESCAPE_GLYPH);
            }
            '\u{9B}' => {
                i = skip_csi(&chars, i);
                mark(&mut out, ESCAPE_GLYPH);
            }
            '\u{0}'..='\u{1F}' => mark(&mut out, control_picture(c)),
            '\u{7F}' => mark(&mut out, '\u{2421}'),
            c if c.is_control() || is_bidi_control(c) => mark(&mut out, REPLACEMENT_GLYPH),
            c if is_invisible_separator(c) => out.push(if one_line { ' ' } else { '\n' }),
            c if is_width_ambiguous(c) => out.extend(replacement(c)),
            c => out.push(c),
        }
    }
    out
}

/// The Unicode control picture for a C0 control (U+2400 block).
fn control_picture(c: char) -> char {
    char::from_u32(0x2400 + u32::from(c)).unwrap_or(REPLACEMENT_GLYPH)
}

/// Skips what follows an ESC at `i`; returns the index after the sequence.
fn skip_escape(chars: &[char], i: usize) -> usize {
    match chars.get(i) {
        Some('[') => skip_csi(chars, i + 1),
        Some(']' | 'P' | 'X' | '^' | '_') => skip_string(chars, i + 1),
        // nF sequences: intermediates then one final byte.
        Some(c) if ('\u{20}'..='\u{2F}').contains(c) => {
            let mut j = i;
            while chars
                .get(j)
                .is_some_and(|c| ('\u{20}'..='\u{2F}').contains(c))
            {
                j += 1;
            }
            if chars
                .get(j)
                .is_some_and(|c| ('\u{30}'..='\u{7E}').contains(c))
            {
                j += 1;
            }
            j
        }
        // Fp, Fe, Fs: ESC plus one final byte.
        Some(c) if ('\u{30}'..='\u{7E}').contains(c) => i + 1,
        _ => i,
    }
}

/// Skips a CSI body: parameter and intermediate bytes, then one final byte.
fn skip_csi(chars: &[char], mut i: usize) -> usize {
    while chars
        .get(i)
        .is_some_and(|c| ('\u{20}'..='\u{3F}').contains(c))
    {
        i += 1;
    }
    if chars
        .get(i)
        .is_some_and(|c| ('\u{40}'..='\u{7E}').contains(c))
    {
        i += 1;
    }
    i
}

/// Skips a control string (OSC, DCS, SOS, PM, APC) up to and including BEL or ST.
fn skip_string(chars: &[char], mut i: usize) -> usize {
    while let Some(&c) = chars.get(i) {
        match c {
            '\u{07}' | '\u{9C}' => return i + 1,
            '\u{1B}' if chars.get(i + 1) == Some(&'\\') => return i + 2,
            // A new ESC that is not ST ends the string; the ESC is handled by the caller.
            '\u{1B}' => return i,
            _ => i += 1,
        }
    }
    i
}

/// Pasted text for a text box: CR LF becomes LF; control characters other than newline and tab
/// and bidi controls are dropped (a clipboard often holds web content).
pub fn clean_paste(text: &str) -> String {
    text.replace("\r\n", "\n")
        .chars()
        .filter(|&c| c == '\n' || c == '\t' || !(c.is_control() || is_bidi_control(c)))
        .collect()
}

/// Escapes, inside JSON text, every character the sanitizer would replace (C1 and bidi controls,
/// DEL, line separators) as `\uXXXX`. Such characters can only occur inside JSON strings, so the
/// result parses to the same value, and it is safe to show and to edit.
pub fn escape_json_invisibles(json: &str) -> String {
    if json.chars().all(|c| c == '\n' || is_plain(c)) {
        return json.to_owned();
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if c == '\n' || is_plain(c) {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{unit:04x}");
            }
        }
    }
    out
}

/// True when `s` contains nothing a terminal would act on (the sanitizer's postcondition).
pub fn is_terminal_safe(s: &str) -> bool {
    s.chars().all(|c| c == '\n' || is_plain(c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(sanitize("héllo 世界 👍\nline"), Cow::Borrowed(_)));
    }

    #[test]
    fn escape_sequences_become_one_glyph() {
        let cases = [
            ("\x1b[31mred\x1b[0m", "␛red␛"),
            ("\x1b]0;pwned\x07title", "␛title"),
            ("\x1b]52;c;aGVsbG8=\x1b\\x", "␛x"),
            ("\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\", "␛link␛"),
            ("\x1bP1$r\x1b\\ok", "␛ok"),
            ("\x1b_apc\x1b\\a", "␛a"),
            ("\x1b^pm\x07b", "␛b"),
            ("\x1bXsos\x1b\\c", "␛c"),
            ("\u{9b}2J\u{9d}0;t\u{9c}z", "␛␛z"),
            ("\x1b(Bx", "␛x"),
            ("\x1bcreset", "␛reset"),
            ("end\x1b", "end␛"),
            ("\x1b]0;unterminated", "␛"),
        ];
        for (input, want) in cases {
            assert_eq!(sanitize(input), want, "{input:?}");
        }
    }

    #[test]
    fn controls_become_visible() {
        assert_eq!(sanitize("a\rb\x08c\x07"), "a␍b␈c␇");
        assert_eq!(sanitize("crlf\r\nok"), "crlf\nok");
        assert_eq!(sanitize("del\x7f"), "del␡");
        assert_eq!(sanitize("c1\u{85}"), "c1�");
        assert_eq!(sanitize("tab\tx"), "tab    x");
        assert_eq!(sanitize_line("a\nb\tc"), "a b c");
    }

    #[test]
    fn typed_text_loses_controls_without_a_trace() {
        let cases = [
            ("plain 漢字 e\u{301}", "plain 漢字 e\u{301}"),
            (
                "two\nlines\r\nthree\rfour\tfive",
                "two lines three four five",
            ),
            ("\x1b[31mred\x1b[0m", "red"),
            ("\x1b]52;c;aGVsbG8=\x07x", "x"),
            ("bell\x07 del\x7f c1\u{85}", "bell del c1"),
            ("abc\u{202E}def", "abcdef"),
            ("👨\u{200D}👩", "👨👩"),
        ];
        for (input, want) in cases {
            assert_eq!(clean_typed(input), want, "{input:?}");
        }
    }

    #[test]
    fn bidi_controls_are_replaced() {
        assert_eq!(sanitize("abc\u{202E}def\u{2066}g"), "abc�def�g");
    }

    #[test]
    fn json_escaping_keeps_the_value_and_hides_nothing() {
        let value = serde_json::json!({"note": "a\u{202E}b\u{85}c\u{7f}", "ok": "漢字 👍"});
        let pretty = serde_json::to_string_pretty(&value).unwrap();
        let escaped = escape_json_invisibles(&pretty);
        assert!(is_terminal_safe(&escaped));
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&escaped).unwrap(),
            value
        );
        assert!(escaped.contains("\\u202e") && escaped.contains("漢字 👍"));
    }

    #[test]
    fn emoji_keep_widths_terminals_agree_on() {
        let s = "e\u{301} 漢字 👍";
        assert_eq!(sanitize(s), s);
        assert_eq!(sanitize_line("Chloé 🇫🇷 Dubois"), "Chloé FR Dubois");
        assert_eq!(sanitize("🇯🇵🇺"), "JPU");
        assert_eq!(
            sanitize("🏴\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F} a\u{34F}b \u{3164}"),
            "🏴 ab "
        );
        assert_eq!(sanitize("👨\u{200D}👩\u{200D}👧"), "👨👩👧");
        assert_eq!(
            sanitize("👍\u{1F3FD} ❤\u{FE0F} zero\u{200B}width"),
            "👍 ❤ zerowidth"
        );
    }

    proptest! {
        #[test]
        fn output_is_safe_and_idempotent(s in "\\PC*|[\\x00-\\x{9f}\\x{202a}-\\x{202e}\\x{2066}-\\x{2069}a\\[\\]\\\\]{0,64}") {
            let once = sanitize(&s).into_owned();
            prop_assert!(is_terminal_safe(&once));
            prop_assert_eq!(sanitize(&once).into_owned(), once.clone());
            let line = sanitize_line(&s);
            prop_assert!(is_terminal_safe(&line) && !line.contains('\n'));
            prop_assert_eq!(sanitize_line(&line), line);
            let typed = clean_typed(&s);
            prop_assert!(is_terminal_safe(&typed) && !typed.contains('\n'));
            prop_assert_eq!(sanitize_line(&typed), typed.clone());
            prop_assert_eq!(clean_typed(&typed), typed);
        }

        #[test]
        fn never_panics_on_any_string(s in any::<String>()) {
            let _ = sanitize(&s);
            let _ = sanitize_line(&s);
            let _ = clean_typed(&s);
        }
    }
}

/// Byte ranges of `needle` in `hay`, ignoring case (per character, so offsets stay those of
/// `hay`). An empty needle matches nothing.
pub fn find_ranges(hay: &str, needle: &str) -> Vec<std::ops::Range<usize>> {
    let needle: Vec<char> = needle.chars().flat_map(char::to_lowercase).collect();
    if needle.is_empty() {
        return Vec::new();
    }
    let chars: Vec<(usize, char)> = hay.char_indices().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i + needle.len() <= chars.len() {
        let same = needle
            .iter()
            .zip(&chars[i..])
            .all(|(n, (_, c))| c.to_lowercase().eq(std::iter::once(*n)));
        if same {
            let end = chars.get(i + needle.len()).map_or(hay.len(), |(at, _)| *at);
            found.push(chars[i].0..end);
            i += needle.len();
        } else {
            i += 1;
        }
    }
    found
}

/// True when `hay` contains `needle`, ignoring case.
pub fn contains_ignoring_case(hay: &str, needle: &str) -> bool {
    !find_ranges(hay, needle).is_empty()
}

#[cfg(test)]
mod find_tests {
    use super::find_ranges;

    #[test]
    fn finds_every_match_ignoring_case_with_byte_offsets_of_the_text() {
        assert_eq!(
            find_ranges("Order ORD-1, order ord-2", "ord"),
            vec![0..3, 6..9, 13..16, 19..22]
        );
        assert_eq!(find_ranges("Ünïcode ÜNÏ", "ünï"), vec![0..5, 10..15]);
        assert!(find_ranges("abc", "").is_empty());
        assert!(find_ranges("ab", "abc").is_empty());
    }
}
