//! Colour depth: how many colours the terminal shows, read from the environment, and the theme
//! mapped down to them (a 24-bit colour sent to a 16-colour terminal is drawn as whatever the
//! terminal guesses, often black).

use ratatui::style::{Color, Modifier, Style};

use super::Theme;

/// How many colours the terminal shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ColorDepth {
    /// `NO_COLOR`, or a `dumb` terminal: bold, reverse and underline only.
    None,
    /// The 16 standard colours (the terminal's own palette).
    Ansi16,
    /// The xterm 256-colour palette.
    Ansi256,
    /// 24-bit colour.
    TrueColor,
}

impl ColorDepth {
    /// The depth the environment announces: `NO_COLOR` (set and not empty) or `TERM=dumb` →
    /// none; `COLORTERM=truecolor` or `24bit` (or a `TERM` ending in `-direct`) → 24-bit;
    /// a `TERM` with `256color` → 256; anything else → 16. `var` reads one variable.
    pub fn detect(var: impl Fn(&str) -> Option<String>) -> Self {
        let set = |name| var(name).filter(|v| !v.is_empty());
        let term = set("TERM").unwrap_or_default();
        if set("NO_COLOR").is_some() || term == "dumb" {
            return Self::None;
        }
        let colorterm = set("COLORTERM").unwrap_or_default().to_ascii_lowercase();
        if colorterm == "truecolor" || colorterm == "24bit" || term.ends_with("-direct") {
            Self::TrueColor
        } else if term.contains("256color") {
            Self::Ansi256
        } else {
            Self::Ansi16
        }
    }
}

impl Theme {
    /// The theme with every colour the terminal cannot show replaced by the nearest one it can:
    /// 24-bit colours become the nearest of the 256 (or of the 16); a background that marks a
    /// selection and has no close standard colour becomes reverse video in 16 colours. No colour
    /// at all gives [`Theme::plain`].
    #[must_use]
    pub fn for_depth(self, depth: ColorDepth) -> Self {
        if depth == ColorDepth::None {
            return Self::plain();
        }
        let map = |style: Style| down(style, depth);
        Self {
            base: map(self.base),
            dim: map(self.dim),
            border: map(self.border),
            border_focused: map(self.border_focused),
            title: map(self.title),
            selected: map(self.selected),
            unread: map(self.unread),
            unread_count: map(self.unread_count),
            inbound: map(self.inbound),
            outbound: map(self.outbound),
            tag: map(self.tag),
            time: map(self.time),
            separator: map(self.separator),
            error: map(self.error),
            warning: map(self.warning),
            ok: map(self.ok),
            link: map(self.link),
            reaction: map(self.reaction),
            badge: map(self.badge),
            key: map(self.key),
            marker: map(self.marker),
        }
    }
}

/// One style at `depth`.
fn down(style: Style, depth: ColorDepth) -> Style {
    let fg = style.fg.map(|c| color_at(c, depth));
    let bg = style.bg.map(|c| color_at(c, depth));
    // A 24-bit background far from every standard colour would turn into black (or the
    // terminal's background): reverse video keeps a selection visible.
    if depth == ColorDepth::Ansi16
        && bg == Some(Color::Black)
        && style.bg.is_some_and(|c| c != Color::Black)
    {
        return Style {
            bg: None,
            fg: None,
            ..style
        }
        .add_modifier(Modifier::REVERSED);
    }
    Style { fg, bg, ..style }
}

/// A colour the terminal at `depth` shows.
pub fn color_at(color: Color, depth: ColorDepth) -> Color {
    match (depth, color) {
        (ColorDepth::Ansi256, Color::Rgb(r, g, b)) => Color::Indexed(nearest(16..=255, (r, g, b))),
        (ColorDepth::Ansi16, Color::Rgb(r, g, b)) => named(nearest(0..=15, (r, g, b))),
        (ColorDepth::Ansi16, Color::Indexed(i)) => named(nearest(0..=15, xterm_rgb(i))),
        // 24-bit terminals show everything; named colours are every terminal's.
        (_, c) => c,
    }
}

/// The palette index in `range` closest to `rgb` (by a perceptual weighting of the channels).
fn nearest(range: std::ops::RangeInclusive<u8>, (r, g, b): (u8, u8, u8)) -> u8 {
    let distance = |i: u8| {
        let (pr, pg, pb) = xterm_rgb(i);
        let d = |a: u8, b: u8| (i32::from(a) - i32::from(b)).pow(2);
        3 * d(r, pr) + 4 * d(g, pg) + 2 * d(b, pb)
    };
    let start = *range.start();
    range.min_by_key(|&i| distance(i)).unwrap_or(start)
}

/// The named colour of a standard palette index.
fn named(index: u8) -> Color {
    const NAMED: [Color; 16] = [
        Color::Black,
        Color::Red,
        Color::Green,
        Color::Yellow,
        Color::Blue,
        Color::Magenta,
        Color::Cyan,
        Color::Gray,
        Color::DarkGray,
        Color::LightRed,
        Color::LightGreen,
        Color::LightYellow,
        Color::LightBlue,
        Color::LightMagenta,
        Color::LightCyan,
        Color::White,
    ];
    NAMED[usize::from(index % 16)]
}

/// xterm's default colour for a palette index: the 16 standard colours, the 6×6×6 cube, the
/// grey ramp.
pub fn xterm_rgb(index: u8) -> (u8, u8, u8) {
    const STANDARD: [(u8, u8, u8); 16] = [
        (0, 0, 0),
        (205, 0, 0),
        (0, 205, 0),
        (205, 205, 0),
        (0, 0, 238),
        (205, 0, 205),
        (0, 205, 205),
        (229, 229, 229),
        (127, 127, 127),
        (255, 0, 0),
        (0, 255, 0),
        (255, 255, 0),
        (92, 92, 255),
        (255, 0, 255),
        (0, 255, 255),
        (255, 255, 255),
    ];
    match index {
        0..=15 => STANDARD[usize::from(index)],
        16..=231 => {
            let level = |n: u8| if n == 0 { 0 } else { 55 + 40 * n };
            let i = index - 16;
            (level(i / 36), level(i / 6 % 6), level(i % 6))
        }
        _ => {
            let v = 8 + 10 * (index - 232);
            (v, v, v)
        }
    }
}

/// The palette index of a named colour (`None` for `Reset`, `Rgb` and `Indexed`).
pub fn named_index(color: Color) -> Option<u8> {
    (0..16).find(|&i| named(i) == color)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn the_depth_comes_from_colorterm_term_and_no_color() {
        let cases: [(&[(&str, &str)], ColorDepth); 8] = [
            (&[("TERM", "xterm")], ColorDepth::Ansi16),
            (&[("TERM", "xterm-256color")], ColorDepth::Ansi256),
            (&[("TERM", "screen-256color")], ColorDepth::Ansi256),
            (
                &[("TERM", "xterm"), ("COLORTERM", "truecolor")],
                ColorDepth::TrueColor,
            ),
            (
                &[("TERM", "xterm-256color"), ("COLORTERM", "24bit")],
                ColorDepth::TrueColor,
            ),
            (&[("TERM", "xterm-direct")], ColorDepth::TrueColor),
            (
                &[("TERM", "xterm-256color"), ("NO_COLOR", "1")],
                ColorDepth::None,
            ),
            (&[("TERM", "dumb")], ColorDepth::None),
        ];
        for (vars, want) in cases {
            assert_eq!(ColorDepth::detect(env(vars)), want, "{vars:?}");
        }
        assert_eq!(
            ColorDepth::detect(env(&[("TERM", "xterm"), ("NO_COLOR", "")])),
            ColorDepth::Ansi16,
            "an empty NO_COLOR does not count"
        );
    }

    #[test]
    fn no_24_bit_colour_reaches_a_terminal_that_lacks_it() {
        use ratatui::style::Color;
        let is_rgb = |c: Option<Color>| matches!(c, Some(Color::Rgb(..)));
        let is_indexed_high = |c: Option<Color>| matches!(c, Some(Color::Indexed(16..)));
        for theme in [Theme::dark(), Theme::light(), Theme::basic()] {
            for style in theme.clone().for_depth(ColorDepth::Ansi256).styles() {
                assert!(!is_rgb(style.fg) && !is_rgb(style.bg), "{style:?}");
            }
            for style in theme.clone().for_depth(ColorDepth::Ansi16).styles() {
                assert!(!is_rgb(style.fg) && !is_rgb(style.bg), "{style:?}");
                assert!(
                    !is_indexed_high(style.fg) && !is_indexed_high(style.bg),
                    "{style:?}"
                );
            }
            assert_eq!(theme.for_depth(ColorDepth::None), Theme::plain());
        }
    }

    #[test]
    fn nearest_colours_are_the_expected_palette_entries() {
        assert_eq!(
            color_at(Color::Rgb(0, 120, 0), ColorDepth::Ansi256),
            Color::Indexed(28)
        );
        assert_eq!(
            color_at(Color::Rgb(255, 255, 255), ColorDepth::Ansi256),
            Color::Indexed(231)
        );
        assert_eq!(
            color_at(Color::Rgb(128, 128, 128), ColorDepth::Ansi256),
            Color::Indexed(244)
        );
        assert_eq!(
            color_at(Color::Rgb(200, 10, 10), ColorDepth::Ansi16),
            Color::Red
        );
        assert_eq!(
            color_at(Color::Indexed(21), ColorDepth::Ansi16),
            Color::Blue
        );
        assert_eq!(color_at(Color::Yellow, ColorDepth::Ansi16), Color::Yellow);
        assert_eq!(named_index(Color::DarkGray), Some(8));
        // A dark selection background has no close standard colour: reverse video instead.
        let dark_bar = Style::default().bg(Color::Rgb(40, 52, 70));
        let mapped = down(dark_bar, ColorDepth::Ansi16);
        assert!(mapped.add_modifier.contains(Modifier::REVERSED) && mapped.bg.is_none());
    }
}
