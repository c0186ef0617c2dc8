//! The search overlay: the query, then one two-line entry per result (conversation and time,
//! the snippet with the match highlighted).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::theme::Theme;
use super::wrap::truncate;
use super::{pane_block, popup_area, time};
use crate::app::state::{AppState, SearchPanel, SearchStatus};
use crate::cache::SearchHit;
use crate::text::sanitize_line;

/// Rows of one result.
const ROWS_PER_HIT: usize = 2;

pub fn render(frame: &mut Frame, area: Rect, state: &AppState, panel: &SearchPanel, theme: &Theme) {
    let popup = popup_area(
        area,
        area.width.saturating_sub(4).min(110),
        area.height.saturating_sub(2),
    );
    frame.render_widget(Clear, popup);
    let width = usize::from(popup.width.saturating_sub(2));
    let rows = usize::from(popup.height.saturating_sub(2));
    let mut lines = vec![query_line(panel, width, theme), Line::default()];
    let room = rows.saturating_sub(lines.len() + 2);
    lines.extend(body(state, panel, width, room, theme));
    while lines.len() + 1 < rows {
        lines.push(Line::default());
    }
    lines.push(Line::styled(
        "enter open at the message · ↑↓ choose · esc close",
        theme.dim,
    ));
    let block = pane_block(Line::styled(" Search ", theme.title), true, theme);
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}

fn query_line(panel: &SearchPanel, width: usize, theme: &Theme) -> Line<'static> {
    let status = match &panel.status {
        SearchStatus::Idle => String::new(),
        SearchStatus::Searching(_) => "searching…".into(),
        SearchStatus::Done if panel.hits.len() == 1 => "1 result".into(),
        SearchStatus::Done => format!("{} results", panel.hits.len()),
        SearchStatus::Failed(_) => "failed".into(),
    };
    let cells = width.saturating_sub(status.len() + 3);
    let query = super::line_input::spans(&panel.query, cells, Style::default(), theme.key);
    let used = query
        .iter()
        .map(|s| super::wrap::width(&s.content))
        .sum::<usize>()
        + 2;
    let gap = width.saturating_sub(used + super::wrap::width(&status));
    let mut spans = vec![Span::styled("> ", theme.key)];
    spans.extend(query);
    spans.push(Span::raw(" ".repeat(gap)));
    spans.push(Span::styled(status, theme.dim));
    Line::from(spans)
}

fn body(
    state: &AppState,
    panel: &SearchPanel,
    width: usize,
    room: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let hint = |text: &str, style| vec![Line::styled(truncate(text, width), style)];
    if let SearchStatus::Failed(error) = &panel.status {
        return hint(&format!("Search failed: {error}"), theme.error);
    }
    if panel.hits.is_empty() {
        return match panel.status {
            SearchStatus::Idle => hint(
                "Type two or more letters: every cached message, name, number and metadata is searched.",
                theme.dim,
            ),
            SearchStatus::Searching(_) => hint("Searching…", theme.dim),
            _ => hint(
                "No matches in the cache. Older history is cached as you scroll back, or all at once with `switchboard sync`.",
                theme.dim,
            ),
        };
    }
    let fit = (room / ROWS_PER_HIT).max(1);
    let first = panel.selected.saturating_sub(fit - 1);
    panel
        .hits
        .iter()
        .enumerate()
        .skip(first)
        .take(fit)
        .flat_map(|(i, hit)| hit_lines(state, hit, i == panel.selected, width, theme))
        .collect()
}

fn hit_lines(
    state: &AppState,
    hit: &SearchHit,
    selected: bool,
    width: usize,
    theme: &Theme,
) -> [Line<'static>; 2] {
    let name = state.conversation(&hit.conversation).map_or_else(
        || hit.title.clone(),
        |c| sanitize_line(&state.display_name(c)),
    );
    let when = hit.message.as_ref().map_or_else(
        || "conversation".to_owned(),
        |(_, at)| {
            format!(
                "{} {}",
                time::day_label(*at, state.now, state.tz),
                time::clock(*at, state.tz, state.settings.time_format)
            )
        },
    );
    let head_style = if selected {
        theme.selected
    } else {
        theme.title
    };
    let name = truncate(&name, width.saturating_sub(when.len() + 3));
    let gap = width.saturating_sub(super::wrap::width(&name) + super::wrap::width(&when) + 2);
    let head = Line::from(vec![
        Span::styled(format!(" {name}"), head_style),
        Span::styled(" ".repeat(gap), head_style),
        Span::styled(
            format!("{when} "),
            if selected { theme.selected } else { theme.time },
        ),
    ]);
    let mut spans = vec![Span::raw("   ")];
    let mut left = width.saturating_sub(3);
    for (text, matched) in &hit.snippet {
        if left == 0 {
            break;
        }
        let part = truncate(text, left);
        left = left.saturating_sub(super::wrap::width(&part));
        spans.push(Span::styled(
            part,
            if *matched { theme.badge } else { theme.base },
        ));
    }
    [head, Line::from(spans)]
}
