//! The help overlay on screen at 80x24 and 160x48: read whole by pages, every description
//! wrapped rather than cut, filtered with `/`, and the Links section about links (issue 15.13).
#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use crate::common::{screen, started};

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use switchboard::app::action::{Action, Command};
use switchboard::app::state::AppState;
use switchboard::app::update::update;
use switchboard::keymap::{HELP_MODES, Keymap};

const SIZES: [(u16, u16); 2] = [(80, 24), (160, 48)];

fn help(width: u16, height: u16) -> AppState {
    let (mut state, _) = started("AgentPhone sandbox", width, height);
    update(&mut state, Action::Command(Command::Help));
    state
}

fn press(state: &mut AppState, code: KeyCode) {
    update(state, Action::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

/// The rows inside the help popup, as text.
fn rows(state: &AppState) -> Vec<String> {
    let backend = screen(state);
    let buffer = backend.buffer();
    // Centred, at most 90 wide, all but two rows high.
    let area = buffer.area;
    let (width, height) = (area.width.min(90), area.height - 2);
    let popup = ratatui::layout::Rect::new((area.width - width) / 2, 1, width, height);
    (popup.y + 1..popup.bottom() - 1)
        .map(|y| {
            (popup.x + 1..popup.right() - 1)
                .map(|x| buffer[(x, y)].symbol())
                .collect::<String>()
                .trim_end()
                .to_owned()
        })
        .collect()
}

/// Every row of the help, read by pressing space until the screen stops changing (at most 40
/// presses); the number of presses it took.
fn read_whole(state: &mut AppState) -> (Vec<String>, usize) {
    let mut seen: Vec<String> = rows(state);
    for presses in 1..=40 {
        let before = rows(state);
        press(state, KeyCode::Char(' '));
        let after = rows(state);
        if after == before {
            return (seen, presses - 1);
        }
        // Pages overlap by a line: keep what is new.
        let overlap = (0..=after.len())
            .rev()
            .find(|&n| before.ends_with(&after[..n]))
            .unwrap_or(0);
        seen.extend(after[overlap..].iter().cloned());
    }
    panic!("the help never ends");
}

/// Text with its line breaks and runs of spaces as single spaces.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_whole_help_reads_in_a_few_pages_with_every_description_whole() {
    for (width, height) in SIZES {
        let mut state = help(width, height);
        let (all, presses) = read_whole(&mut state);
        assert!(
            presses <= 12,
            "{width}x{height}: {presses} presses of space"
        );
        // Descriptions wrap under their column: joined up, each reads whole.
        let text = flat(&all.join(" "));
        for mode in HELP_MODES {
            for (_, description) in Keymap::default().help(mode) {
                assert!(
                    text.contains(&flat(description)),
                    "{width}x{height}: {description:?} is not whole in\n{}",
                    all.join("\n")
                );
            }
        }
        // G goes to the end and g back to the top.
        press(&mut state, KeyCode::Char('g'));
        let top = rows(&state);
        assert!(top[0].starts_with("Everywhere"), "{top:#?}");
        press(&mut state, KeyCode::Char('G'));
        let end = rows(&state);
        assert_eq!(
            end.iter().rev().find(|r| !r.is_empty()),
            all.iter().rev().find(|r| !r.is_empty())
        );
        // One key up from the end moves at once: the scroll stopped at the end.
        for _ in 0..30 {
            press(&mut state, KeyCode::Char('j'));
        }
        press(&mut state, KeyCode::Char('k'));
        assert_ne!(rows(&state), end, "{width}x{height}");
    }
}

#[test]
fn slash_filters_the_help_and_the_links_section_is_about_links() {
    for (width, height) in SIZES {
        let mut state = help(width, height);
        press(&mut state, KeyCode::Char('/'));
        for c in "link".chars() {
            press(&mut state, KeyCode::Char(c));
        }
        let shown = rows(&state);
        let text = shown.join("\n");
        assert!(shown[0].starts_with("/link"), "{text}");
        assert!(text.contains("Links"), "{text}");
        assert!(text.contains("next link"), "{text}");
        assert!(text.contains("open the link in a browser"), "{text}");
        assert!(!text.contains("open the conversation"), "{text}");
        assert!(!text.contains("Reply box"), "only what matches:\n{text}");
        press(&mut state, KeyCode::Esc);
        let cleared = rows(&state);
        assert!(cleared[0].starts_with("Everywhere"), "{cleared:#?}");
    }
}
