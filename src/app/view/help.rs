//! The help overlay measured: its lines (generated from the keymap, filtered, wrapped to the
//! popup's width) and its size on screen. `update` bounds the scroll with these and `ui::help`
//! draws them, so both agree (STYLE.md lesson L3).

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::theme::Theme;
use super::wrap::{width, wrap};
use crate::app::state::AppState;
use crate::keymap::{HELP_MODES, LINE_EDIT_TITLE, Mode, line_edit_help};
use crate::text::{contains_ignoring_case, sanitize_line};

/// The keys column: two spaces, the keys, padding to here.
const KEYS_COLUMN: usize = 24;
/// The popup is at most this wide.
const POPUP_WIDTH: u16 = 90;

/// Where the popup goes on a screen of `screen`'s size: centred, at most 90 wide, all but two
/// rows high.
pub fn popup(screen: Rect) -> Rect {
    let width = POPUP_WIDTH.min(screen.width);
    let height = screen.height.saturating_sub(2);
    Rect {
        x: screen.x + (screen.width - width) / 2,
        y: screen.y + (screen.height - height) / 2,
        width,
        height,
    }
}

/// The filter line is shown (being typed, or in effect).
pub fn filter_shown(state: &AppState) -> bool {
    state.chrome.help_filter_editing || !state.chrome.help_filter.is_empty()
}

/// The rows the help text has, and the width it is wrapped at: the popup's inside, less the
/// filter line when it is shown.
pub fn page(state: &AppState) -> (u16, u16) {
    let inner = popup(Rect::new(0, 0, state.chrome.width, state.chrome.height));
    let rows = inner
        .height
        .saturating_sub(2 + u16::from(filter_shown(state)));
    (inner.width.saturating_sub(2), rows)
}

/// The furthest the help can be scrolled: its last line at the bottom.
pub fn max_scroll(state: &AppState) -> u16 {
    let (width, rows) = page(state);
    let lines = lines(state, &Theme::plain(), width).len();
    u16::try_from(lines.saturating_sub(usize::from(rows))).unwrap_or(u16::MAX)
}

/// The help's lines at `width`: every mode's keys with their descriptions (only what matches
/// the filter, when one is set), long descriptions wrapped under their own column.
pub fn lines(state: &AppState, theme: &Theme, width: u16) -> Vec<Line<'static>> {
    let query = state.chrome.help_filter.as_str().trim();
    let width = usize::from(width);
    let mut lines = Vec::new();
    for mode in HELP_MODES {
        section(
            &mut lines,
            mode.title(),
            state.keymap.help(mode),
            query,
            (width, theme),
        );
        if mode == Mode::Find {
            section(
                &mut lines,
                LINE_EDIT_TITLE,
                line_edit_help(),
                query,
                (width, theme),
            );
        }
    }
    let mut notes = vec![
        "Metadata saves replace the whole object; the server's copy is checked first.".to_owned(),
        "An open metadata editor follows the server's copy; an edit is never replaced unasked."
            .to_owned(),
        "A reply whose outcome is unknown is checked in the thread before it can be sent again."
            .to_owned(),
        "The reply box wraps and grows to 6 rows; its border counts characters and, on SMS, \
         the messages it goes as: GSM-7 160, then 153 each; UCS-2 (emoji, ç, ’…) 70, then 67."
            .to_owned(),
    ];
    if let Some(path) = &state.log_path {
        notes.push(format!("Log file: {}", sanitize_line(path)));
    }
    for note in notes
        .iter()
        .filter(|n| contains_ignoring_case(n, query) || query.is_empty())
    {
        for row in wrap(note, width) {
            lines.push(Line::styled(row, theme.dim));
        }
    }
    if lines.is_empty() {
        let text = format!("No key or description has “{}”", sanitize_line(query));
        lines.push(Line::styled(text, theme.dim));
    }
    lines
}

/// A heading and its keys, those that match `query` (all of them when the heading does);
/// nothing when none does.
fn section(
    lines: &mut Vec<Line<'static>>,
    title: &str,
    entries: Vec<(String, &'static str)>,
    query: &str,
    (width, theme): (usize, &Theme),
) {
    let whole = query.is_empty() || contains_ignoring_case(title, query);
    let entries: Vec<(String, &str)> = entries
        .into_iter()
        .filter(|(keys, what)| {
            whole || contains_ignoring_case(keys, query) || contains_ignoring_case(what, query)
        })
        .collect();
    if entries.is_empty() {
        return;
    }
    lines.push(Line::styled(title.to_owned(), theme.title));
    for (keys, description) in entries {
        entry(lines, &keys, description, (width, theme));
    }
    lines.push(Line::default());
}

/// One binding: its keys in their column and the description beside them, wrapped under the
/// description's column (a key list too long for its column gets a line of its own).
fn entry(
    lines: &mut Vec<Line<'static>>,
    keys: &str,
    description: &str,
    (cols, theme): (usize, &Theme),
) {
    let keys = format!("  {keys:<22}");
    let room = cols.saturating_sub(KEYS_COLUMN).max(12);
    let indent = " ".repeat(KEYS_COLUMN);
    let mut rows = wrap(description, room).into_iter();
    if width(&keys) > KEYS_COLUMN {
        lines.push(Line::styled(keys, theme.key));
    } else {
        let first = rows.next().unwrap_or_default();
        let pad = " ".repeat(KEYS_COLUMN - width(&keys));
        lines.push(Line::from(vec![
            Span::styled(format!("{keys}{pad}"), theme.key),
            Span::styled(first, theme.base),
        ]));
    }
    for row in rows {
        lines.push(Line::from(vec![
            Span::raw(indent.clone()),
            Span::styled(row, theme.base),
        ]));
    }
}
