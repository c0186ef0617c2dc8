//! Colours on screen: every cell drawn is readable on the terminals its theme is for (WCAG 2
//! contrast of at least 3:1), and a terminal without 24-bit colour gets none (issue 15.12).
#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier, Style};
use switchboard::api::ConversationId;
use switchboard::app::action::{Action, Command};
use switchboard::app::state::AppState;
use switchboard::app::update::update;
use switchboard::ui::theme::contrast::{self, DARK, LIGHT};
use switchboard::ui::theme::{ColorDepth, Theme, ThemeName};
use switchboard::ui::{self, ViewState};

const SIZES: [(u16, u16); 2] = [(80, 24), (160, 48)];

fn draw(state: &AppState, theme: &Theme) -> Buffer {
    let mut terminal =
        Terminal::new(TestBackend::new(state.chrome.width, state.chrome.height)).unwrap();
    let mut view = ViewState {
        theme: theme.clone(),
    };
    terminal
        .draw(|frame| ui::render(frame, state, &mut view))
        .unwrap();
    terminal.backend().buffer().clone()
}

/// The inbox with the thread open, two conversations unread (one of them not selected), and
/// the same screen with help on top.
fn screens(width: u16, height: u16) -> Vec<AppState> {
    let mut inbox = crate::ui_snapshots::fixture(width, height, true);
    for (id, count) in [("c1", 1), ("c2", 3)] {
        inbox
            .inbox
            .list
            .unread
            .insert(ConversationId(id.into()), count);
    }
    update(&mut inbox, Action::Command(Command::FocusPrev));
    let mut help = inbox.clone();
    update(&mut help, Action::Command(Command::Help));
    vec![inbox, help]
}

/// Cells with text whose colours read at less than 3:1 on `terminal`.
fn unreadable(buffer: &Buffer, terminal: &contrast::Terminal) -> Vec<String> {
    let area = buffer.area;
    let mut found = Vec::new();
    for y in 0..area.height {
        for x in 0..area.width {
            let cell = &buffer[(x, y)];
            if cell.symbol().trim().is_empty() {
                continue;
            }
            let style = Style::default()
                .fg(cell.fg)
                .bg(cell.bg)
                .add_modifier(cell.modifier);
            let ratio = contrast::text_contrast(style, terminal);
            if ratio < 3.0 {
                found.push(format!("({x},{y}) {:?} {ratio:.2}", cell.symbol()));
            }
        }
    }
    found
}

#[test]
fn every_cell_is_readable_on_the_terminals_its_theme_is_for() {
    for (width, height) in SIZES {
        for state in screens(width, height) {
            for (theme, terminals) in [(Theme::dark(), &DARK), (Theme::light(), &LIGHT)] {
                for depth in [ColorDepth::TrueColor, ColorDepth::Ansi256] {
                    let buffer = draw(&state, &theme.clone().for_depth(depth));
                    for terminal in terminals {
                        let bad = unreadable(&buffer, terminal);
                        assert!(
                            bad.is_empty(),
                            "{width}x{height} {depth:?} on {}: {bad:?}",
                            terminal.name
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn the_unread_count_shows_on_a_dark_terminal() {
    let state = &screens(80, 24)[0];
    let buffer = draw(state, &Theme::dark());
    // The second conversation is not selected: its count is on the terminal's background.
    let list = ui::layout::panes(state, buffer.area).list.unwrap();
    let row = (list.y + 1..list.bottom())
        .find(|&y| buffer[(list.x + 1, y)].symbol() == "3")
        .expect("the count of the unread conversation is drawn");
    let cell = &buffer[(list.x + 1, row)];
    assert_eq!(cell.bg, Color::Reset, "on the terminal's background");
    let style = Style::default().fg(cell.fg).add_modifier(cell.modifier);
    for terminal in &DARK {
        let ratio = contrast::text_contrast(style, terminal);
        assert!(ratio >= 3.0, "{}: {ratio:.2}", terminal.name);
    }
}

#[test]
fn a_16_colour_terminal_gets_no_24_bit_colour_and_still_sees_the_selection() {
    let env = |name: &str| match name {
        "TERM" => Some("xterm".to_owned()),
        _ => None,
    };
    let depth = ColorDepth::detect(env);
    assert_eq!(depth, ColorDepth::Ansi16);
    for name in [ThemeName::Dark, ThemeName::Light, ThemeName::Basic] {
        let theme = Theme::named(name, false).for_depth(depth);
        for state in screens(80, 24) {
            let buffer = draw(&state, &theme);
            for cell in buffer.content() {
                for colour in [cell.fg, cell.bg] {
                    assert!(
                        !matches!(colour, Color::Rgb(..) | Color::Indexed(16..)),
                        "{name:?}: {colour:?} at {:?}",
                        cell.symbol()
                    );
                }
            }
        }
        // The selected row is marked: a background colour, or reverse video.
        let buffer = draw(&screens(80, 24)[0], &theme);
        let marked = buffer
            .content()
            .iter()
            .filter(|c| c.bg != Color::Reset || c.modifier.contains(Modifier::REVERSED))
            .count();
        assert!(
            marked >= 40,
            "{name:?}: the selection shows ({marked} cells)"
        );
    }
}
