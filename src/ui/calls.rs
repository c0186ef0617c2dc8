//! The calls list: two lines per call (number, direction, status, start, duration; the last
//! transcript snippet), with the filters in effect above the rows.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme::Theme;
use super::transcript::duration;
use super::wrap::{truncate, width};
use super::{pane_block, placeholder, time};
use crate::api::{CallSummary, Direction};
use crate::app::paging::Load;
use crate::app::state::{AppState, Focus, is_live};
use crate::text::sanitize_line;

pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let calls = &state.calls;
    let count = crate::app::view::counts::list_count(
        calls.total,
        calls.items.len(),
        calls.next.as_ref(),
        &calls.load,
    );
    let live = calls.items.iter().filter(|c| is_live(&c.status)).count();
    let mut title = vec![Span::styled(format!(" Calls ({count}) "), theme.title)];
    if live > 0 {
        title.push(Span::styled(format!(" {live} live "), theme.badge));
    }
    let block = pane_block(Line::from(title), state.chrome.focus == Focus::List, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mut body = inner;
    if let Some(line) = filter_line(state, usize::from(inner.width), theme) {
        frame.render_widget(Paragraph::new(line), Rect { height: 1, ..inner });
        body.y += 1;
        body.height = body.height.saturating_sub(1);
    }
    if calls.items.is_empty() {
        let (text, style) = empty_state(state, theme);
        placeholder(frame, body, &text, style);
        return;
    }
    let capacity = crate::ui::layout::list_rows(state);
    let offset =
        super::layout::keep_visible(calls.offset, calls.selected, capacity, calls.items.len());
    let cols = usize::from(body.width);
    let mut lines = Vec::with_capacity(capacity * 2 + 1);
    for (i, call) in calls.items.iter().enumerate().skip(offset).take(capacity) {
        lines.extend(row(state, call, i == calls.selected, cols, theme));
    }
    match &calls.load {
        Load::Loading(_) => lines.push(Line::styled("  loading more…", theme.warning)),
        Load::Failed(_) => lines.push(Line::styled(
            "  ✗ couldn't load more: ctrl-r retries",
            theme.error,
        )),
        Load::Idle => {}
    }
    frame.render_widget(Paragraph::new(lines), body);
}

/// `/555▏ · in-progress · inbound`: the search box and the filters in effect, in `room` cells.
fn filter_line(state: &AppState, room: usize, theme: &Theme) -> Option<Line<'static>> {
    let calls = &state.calls;
    let mut others = Vec::new();
    others.extend(calls.filter.status.as_ref().map(|s| format!("status {s}")));
    others.extend(calls.filter.direction.clone());
    let others = others.join(" · ");
    let mut spans = Vec::new();
    if calls.search_editing {
        let rest = if others.is_empty() {
            0
        } else {
            3 + width(&others)
        };
        spans.push(Span::styled("/", theme.key));
        spans.extend(super::line_input::spans(
            &calls.search,
            room.saturating_sub(1 + rest),
            theme.key,
            theme.key,
        ));
    } else if let Some(search) = &calls.filter.search {
        spans.push(Span::styled(
            format!("/{}", sanitize_line(search)),
            theme.key,
        ));
    }
    if !others.is_empty() {
        let gap = if spans.is_empty() { "" } else { " · " };
        spans.push(Span::styled(format!("{gap}{others}"), theme.key));
    }
    (!spans.is_empty()).then(|| Line::from(spans))
}

fn empty_state(state: &AppState, theme: &Theme) -> (String, Style) {
    let calls = &state.calls;
    match &calls.load {
        Load::Loading(_) => ("Loading calls…".into(), theme.warning),
        Load::Failed(e) => (
            format!(
                "Couldn't load calls:\n{}\nctrl-r to retry",
                sanitize_line(e)
            ),
            theme.error,
        ),
        Load::Idle if calls.next.is_none() => ("Connecting…".into(), theme.dim),
        Load::Idle if calls.filter != crate::api::CallFilter::default() => (
            "No calls match these filters (esc clears them)".into(),
            theme.dim,
        ),
        Load::Idle => ("No calls yet".into(), theme.dim),
    }
}

/// The two lines of one call.
fn row(
    state: &AppState,
    call: &CallSummary,
    selected: bool,
    cols: usize,
    theme: &Theme,
) -> [Line<'static>; 2] {
    let live = is_live(&call.status);
    let arrow = match call.direction {
        Some(Direction::Inbound) => "← ",
        Some(Direction::Outbound) => "→ ",
        _ => "  ",
    };
    let status = if live {
        "LIVE".to_owned()
    } else {
        sanitize_line(&call.status)
    };
    let length = call
        .duration_seconds
        .and_then(|d| i64::try_from(d).ok())
        .map(duration)
        .unwrap_or_default();
    let age = call
        .started_at
        .map(|t| time::relative(t, state.now, state.tz))
        .unwrap_or_default();
    let right = [status.as_str(), length.as_str(), age.as_str()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    let number = call.other_party();
    let who = state
        .name_of(number)
        .map_or_else(|| sanitize_line(number), sanitize_line);
    let fixed = width(arrow) + width(&right) + 1;
    let who = truncate(&who, cols.saturating_sub(fixed).max(1));
    let pad = cols.saturating_sub(fixed + width(&who));
    let status_style = match call.status.as_str() {
        _ if live => theme.badge,
        "failed" => theme.error,
        _ => theme.time,
    };
    let first = Line::from(vec![
        Span::styled(arrow, theme.dim),
        Span::styled(who, theme.base),
        Span::raw(" ".repeat(pad.max(1))),
        Span::styled(right, status_style),
    ]);
    let snippet = call
        .last_snippet
        .as_deref()
        .map_or_else(|| "(no transcript)".to_owned(), sanitize_line);
    let second = Line::styled(
        format!("  {}", truncate(&snippet, cols.saturating_sub(2))),
        theme.dim,
    );
    if selected {
        [theme.selected_line(first), theme.selected_line(second)]
    } else {
        [first, second]
    }
}
