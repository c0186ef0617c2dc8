//! Every style of every theme, at every colour depth, is readable on the terminals it is made
//! for (WCAG 2 contrast of at least 3:1, the ratio for bold and large text and for interface
//! parts), and the selection stands out from the terminal's background.

use super::Theme;
use super::contrast::{DARK, LIGHT, Terminal, colours, ratio, text_contrast};
use super::depth::ColorDepth;

/// Text and borders: WCAG's 3:1.
const TEXT: f64 = 3.0;
/// The selection's background against the terminal's own.
const STANDS_OUT: f64 = 2.0;

/// Each theme at each depth, with the terminals it is for: the dark and 16-colour themes on
/// dark backgrounds, the light theme on light ones, no colour on both.
fn cases() -> Vec<(String, Theme, Vec<Terminal>)> {
    let depths = [
        ColorDepth::TrueColor,
        ColorDepth::Ansi256,
        ColorDepth::Ansi16,
    ];
    let mut cases = Vec::new();
    for (name, theme, terminals) in [
        ("dark", Theme::dark(), DARK.to_vec()),
        ("basic", Theme::basic(), DARK.to_vec()),
        ("light", Theme::light(), LIGHT.to_vec()),
    ] {
        for depth in depths {
            // The light theme's 24-bit colours map to the 256 closely; its 16-colour form is the
            // terminal's own palette, whose choice for a light background we cannot know.
            if name == "light" && depth == ColorDepth::Ansi16 {
                continue;
            }
            let label = format!("{name} at {depth:?}");
            cases.push((label, theme.clone().for_depth(depth), terminals.clone()));
        }
    }
    let both = DARK.iter().chain(&LIGHT).copied().collect();
    cases.push(("no colour".into(), Theme::plain(), both));
    cases
}

#[test]
fn every_style_is_readable_on_the_terminals_its_theme_is_for() {
    let mut failures = Vec::new();
    for (label, theme, terminals) in cases() {
        for terminal in &terminals {
            for (name, style) in theme.named_styles() {
                let contrast = text_contrast(style, terminal);
                if contrast < TEXT {
                    failures.push(format!(
                        "{label}, {name} on {}: {contrast:.2}",
                        terminal.name
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "too little contrast:\n{}",
        failures.join("\n")
    );
}

#[test]
fn the_selection_stands_out_from_the_terminal_background() {
    for (label, theme, terminals) in cases() {
        for terminal in &terminals {
            let (_, bar) = colours(theme.selected, terminal);
            let contrast = ratio(bar, terminal.background);
            assert!(
                contrast >= STANDS_OUT,
                "{label}: the selection on {} is faint ({contrast:.2})",
                terminal.name
            );
        }
    }
}

#[test]
fn the_unread_count_is_not_black_on_a_dark_terminal() {
    for terminal in &DARK {
        let contrast = text_contrast(Theme::dark().unread_count, terminal);
        assert!(contrast >= TEXT, "{}: {contrast:.2}", terminal.name);
    }
}
