//! The status bar: account, connection, last sync, the latest notice, and key hints generated from
//! the keymap for the focused pane.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme::Theme;
use super::time;
use super::wrap::{truncate, width};
use crate::app::action::Command;
use crate::app::state::{AppState, Connection};
use crate::keymap::Mode;

pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let cols = usize::from(area.width);
    let label = crate::text::sanitize_line(&state.account.label);
    let mut spans = vec![Span::styled(format!(" {label} "), theme.title)];
    if state.account.demo {
        spans.push(Span::styled(" DEMO ", theme.badge));
        spans.push(Span::raw(" "));
    }
    if state.settings.read_only {
        spans.push(Span::styled(" READ-ONLY ", theme.marker));
        spans.push(Span::raw(" "));
    }
    let (connection, style) = connection(state, theme);
    spans.push(Span::styled(connection, style));
    let hints = hints(state);
    let used: usize = spans.iter().map(|s| width(&s.content)).sum();
    if let Some(notice) = &state.chrome.notice {
        let room = cols.saturating_sub(used + 3 + if cols > 120 { width(&hints) } else { 0 });
        let style = if notice.error { theme.error } else { theme.ok };
        spans.push(Span::styled(
            format!(" │ {}", truncate(&notice.text, room)),
            style,
        ));
    }
    let used: usize = spans.iter().map(|s| width(&s.content)).sum();
    let room = cols.saturating_sub(used + 1);
    if room > 10 {
        let hints = truncate(&hints, room);
        spans.push(Span::raw(
            " ".repeat(room.saturating_sub(width(&hints)) + 1),
        ));
        spans.push(Span::styled(hints, theme.dim));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn connection(state: &AppState, theme: &Theme) -> (String, ratatui::style::Style) {
    let synced = state
        .sync
        .last_success
        .map(|t| {
            format!(
                " · synced {}",
                time::clock(t, state.tz, state.settings.time_format)
            )
        })
        .unwrap_or_default();
    match &state.sync.connection {
        Connection::Connecting => ("◌ connecting…".into(), theme.warning),
        Connection::Live if visible_load(state) => (format!("◌ syncing…{synced}"), theme.warning),
        Connection::Live => (format!("● live{synced}"), theme.ok),
        Connection::Offline { retry_at } => {
            let secs = (*retry_at - state.now).num_seconds().max(0);
            (
                format!("✕ offline · retrying in {secs}s{synced}"),
                theme.error,
            )
        }
        Connection::RateLimited { until } => {
            let secs = (*until - state.now).num_seconds().max(0);
            (
                format!("⏸ rate limited · resuming in {secs}s"),
                theme.warning,
            )
        }
        Connection::AuthFailed => ("✕ API key refused".into(), theme.error),
    }
}

/// A load the user is waiting for (a list page, a thread page). Background polls do not count:
/// showing them would redraw an idle inbox every few seconds.
fn visible_load(state: &AppState) -> bool {
    state.inbox.list.load.is_loading()
        || state
            .open_thread()
            .is_some_and(|t| t.latest.is_loading() || t.older_load.is_loading())
}

/// The main commands of the focused pane with their first key: `enter open · / filter · ? help`.
pub fn hints(state: &AppState) -> String {
    if matches!(
        state.chrome.overlay,
        Some(crate::app::state::Overlay::Actions { .. })
    ) {
        let key = |c| state.keymap.first_key(Mode::Links, c).unwrap_or_default();
        return format!(
            "{}/{} choose · {} do it · {} close",
            key(Command::Down),
            key(Command::Up),
            key(Command::Open),
            key(Command::Back)
        );
    }
    let mode = state.mode();
    let commands = hinted(mode);
    let label = |c: Command| label(mode, c);
    // Read-only: no hint offers what would be refused.
    let writes = [
        Command::Save,
        Command::Reply,
        Command::Send,
        Command::Format,
        Command::Overwrite,
    ];
    // The side pane offers `e` only where the conversation shown can be edited.
    let side_edit =
        crate::app::view::side::conversation(state).is_some_and(|c| c.capabilities.edit_metadata);
    commands
        .iter()
        .filter(|c| !(state.settings.read_only && writes.contains(c)))
        .filter(|c| !(mode == Mode::Side && **c == Command::EditMetadata && !side_edit))
        .filter_map(|&c| {
            // The key itself may be `/`, so take the first binding, not a split of the list.
            let first = state
                .keymap
                .first_key(mode, c)
                .or_else(|| state.keymap.first_key(Mode::Global, c))?;
            Some(format!("{first} {}", label(c)))
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The commands hinted in a mode, most useful first.
fn hinted(mode: Mode) -> &'static [Command] {
    match mode {
        Mode::List => &[
            Command::Help,
            Command::Open,
            Command::Filter,
            Command::Search,
            Command::Reply,
            Command::EditMetadata,
            Command::Calls,
            Command::Quit,
        ],
        Mode::Thread => &[
            Command::Help,
            Command::Reply,
            Command::Top,
            Command::Bottom,
            Command::Find,
            Command::EditMetadata,
            Command::Back,
        ],
        Mode::Compose => &[Command::Send, Command::Newline, Command::Back],
        Mode::Editor => &[
            Command::Save,
            Command::Diff,
            Command::Reload,
            Command::Back,
            Command::Format,
        ],
        Mode::Side => &[
            Command::Help,
            Command::Down,
            Command::EditMetadata,
            Command::Back,
        ],
        Mode::Filter | Mode::Find => &[Command::Accept, Command::ClearFilter],
        Mode::Confirm => &[Command::Yes, Command::No],
        Mode::Diff => &[
            Command::Overwrite,
            Command::Reload,
            Command::Down,
            Command::PageDown,
            Command::Back,
        ],
        Mode::Links => &[Command::Open, Command::CopyMessage, Command::Back],
        Mode::Search => &[Command::Open, Command::Down, Command::Back],
        Mode::Calls => &[
            Command::Help,
            Command::Open,
            Command::StatusFilter,
            Command::DirectionFilter,
            Command::Filter,
            Command::Calls,
        ],
        Mode::Transcript => &[
            Command::Help,
            Command::Top,
            Command::Bottom,
            Command::Find,
            Command::CopyMessage,
            Command::Back,
        ],
        Mode::Help | Mode::Global => &[Command::Back],
    }
}

/// The short label of a hint.
fn label(mode: Mode, c: Command) -> &'static str {
    match c {
        Command::Down if mode == Mode::Diff => "scroll",
        Command::PageDown if mode == Mode::Diff => "page",
        Command::Back if mode == Mode::Diff => "keep editing",
        Command::Overwrite => "overwrite",
        Command::Reload if mode == Mode::Diff => "reload theirs",
        Command::Reload => "reload",
        Command::Diff => "diff",
        Command::Open => "open",
        Command::Filter if mode == Mode::Calls => "number",
        Command::Filter => "filter",
        Command::Reply => "reply",
        Command::EditMetadata if mode == Mode::Side => "edit",
        Command::EditMetadata => "metadata",
        Command::Help => "help",
        Command::Quit => "quit",
        Command::Top if mode == Mode::Transcript => "first",
        Command::Bottom if mode == Mode::Transcript => "last",
        Command::Top => "oldest",
        Command::Bottom => "newest",
        Command::Back => "back",
        Command::Send => "send",
        Command::Newline => "new line",
        Command::Save => "save",
        Command::Format => "format",
        Command::Accept if mode == Mode::Find => "find",
        Command::Find => "find",
        Command::FindNext => "next match",
        Command::Accept => "keep",
        Command::ClearFilter => "clear",
        Command::Yes => "yes",
        Command::No => "no",
        Command::CopyMessage => "copy",
        Command::Down if mode == Mode::Side => "scroll",
        Command::Down => "next",
        Command::Search => "search",
        Command::StatusFilter => "status",
        Command::DirectionFilter => "direction",
        Command::Calls if mode == Mode::Calls => "conversations",
        Command::Calls => "calls",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::hints;
    use crate::app::state::{Account, AppState, Settings};

    #[test]
    fn a_key_that_is_a_slash_still_shows_in_the_hints() {
        let account = Account {
            label: "test".into(),
            demo: true,
        };
        let state = AppState::new(
            account,
            chrono::Utc::now(),
            crate::ui::time::Zone::utc(),
            Settings::default(),
        );
        let shown = hints(&state);
        assert!(shown.contains("/ filter"), "{shown}");
        assert!(shown.contains("s search"), "{shown}");
    }
}
