//! Contrast as WCAG 2 measures it, and terminals to measure on: what the themes are checked
//! against (their unit tests, and screen tests that read every drawn cell).
//!
//! A terminal is its background, its default foreground and its palette (xterm's standard
//! colours here); a style's missing colours are the terminal's own, so `Reset` text is always
//! the terminal's foreground on the terminal's background.

use ratatui::style::{Color, Modifier, Style};

use super::depth::{named_index, xterm_rgb};

pub type Rgb = (u8, u8, u8);

/// A terminal's own colours.
#[derive(Clone, Copy, Debug)]
pub struct Terminal {
    pub name: &'static str,
    pub background: Rgb,
    pub foreground: Rgb,
}

/// Terminals with dark backgrounds: xterm's reverse video, a common dark grey.
pub const DARK: [Terminal; 2] = [
    Terminal {
        name: "black",
        background: (0, 0, 0),
        foreground: (229, 229, 229),
    },
    Terminal {
        name: "dark grey",
        background: (30, 30, 30),
        foreground: (212, 212, 212),
    },
];

/// Terminals with light backgrounds: xterm's default, a paper white.
pub const LIGHT: [Terminal; 2] = [
    Terminal {
        name: "white",
        background: (255, 255, 255),
        foreground: (0, 0, 0),
    },
    Terminal {
        name: "paper",
        background: (253, 246, 227),
        foreground: (40, 40, 40),
    },
];

/// What `color` looks like on `terminal`; `None` and `Reset` are `default`.
pub fn rgb(color: Option<Color>, default: Rgb) -> Rgb {
    match color {
        None | Some(Color::Reset) => default,
        Some(Color::Rgb(r, g, b)) => (r, g, b),
        Some(Color::Indexed(i)) => xterm_rgb(i),
        Some(named) => named_index(named).map_or(default, xterm_rgb),
    }
}

/// A style's text and background colours on `terminal` (reverse video swaps them).
pub fn colours(style: Style, terminal: &Terminal) -> (Rgb, Rgb) {
    let fg = rgb(style.fg, terminal.foreground);
    let bg = rgb(style.bg, terminal.background);
    if style.add_modifier.contains(Modifier::REVERSED) {
        (bg, fg)
    } else {
        (fg, bg)
    }
}

/// WCAG 2 relative luminance.
pub fn luminance((r, g, b): Rgb) -> f64 {
    let channel = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
}

/// WCAG 2 contrast ratio, from 1 (none) to 21 (black on white).
pub fn ratio(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// The contrast of a style's text with its background on `terminal`.
pub fn text_contrast(style: Style, terminal: &Terminal) -> f64 {
    let (fg, bg) = colours(style, terminal);
    ratio(fg, bg)
}
