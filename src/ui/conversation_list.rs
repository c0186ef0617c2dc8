//! The conversation list: two lines per conversation, unread markers, tags, relative times.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme::Theme;
use super::wrap::{truncate, width};
use super::{ViewState, pane_block, placeholder, time};
use crate::api::{Conversation, NextPage};
use crate::app::paging::Load;
use crate::app::state::{AppState, Focus};
use crate::text::sanitize_line;

pub fn render(frame: &mut Frame, area: Rect, state: &AppState, view: &mut ViewState) {
    let theme = view.theme.clone();
    let list = &state.inbox.list;
    let title = title(state, &theme);
    let block = pane_block(Line::from(title), state.chrome.focus == Focus::List, &theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mut body = inner;
    let rows = state.visible_rows();
    if list.filter_editing || !list.filter.is_empty() {
        let spans = filter_line(list, rows.len(), inner.width, &theme);
        frame.render_widget(
            Paragraph::new(Line::from(spans)),
            Rect { height: 1, ..inner },
        );
        body.y += 1;
        body.height = body.height.saturating_sub(1);
    }
    if rows.is_empty() {
        let (text, style) = empty_state(state, &theme);
        placeholder(frame, body, &text, style);
        return;
    }
    let footer = footer(&list.load, &theme);
    let capacity = crate::ui::layout::list_rows(state);
    let selected = list
        .selected
        .as_ref()
        .and_then(|id| rows.iter().position(|&i| &list.items[i].id == id))
        .unwrap_or(0);
    // update keeps the offset; recomputing it here only guards a frame drawn before that.
    let offset =
        crate::app::view::layout::keep_visible(list.offset, selected, capacity, rows.len());
    let mut lines = Vec::with_capacity(capacity * 2 + 1);
    for (n, &i) in rows.iter().enumerate().skip(offset).take(capacity) {
        lines.extend(row(
            state,
            &list.items[i],
            n == selected,
            usize::from(body.width),
            &theme,
        ));
    }
    if let Some(footer) = footer {
        lines.push(footer);
    }
    frame.render_widget(Paragraph::new(lines), body);
}

/// The list's title: its count (or the desk's tabs), the filters in effect, unread.
fn title(state: &AppState, theme: &Theme) -> Vec<Span<'static>> {
    let list = &state.inbox.list;
    let count = crate::app::view::counts::list_count(
        list.total,
        list.items.len(),
        list.next.as_ref(),
        &list.load,
    );
    let unread = list.unread.len();
    let mut title = vec![Span::styled(
        format!(" Conversations ({count}) "),
        theme.title,
    )];
    if state.capabilities.filters == crate::api::FilterSet::Chatwoot {
        // The desk's tabs are the title: which tab, and how many in each.
        title = desk_tabs(state, theme);
    }
    if let Some(filters) = crate::app::update::list_filters::describe(state) {
        title.push(Span::styled(
            format!(" {} ", sanitize_line(&filters)),
            theme.key,
        ));
    }
    if unread > 0 {
        title.push(Span::styled(format!(" {unread} unread "), theme.badge));
    }
    title
}

/// The filter box (or the filter in effect) and what it saw.
fn filter_line(
    list: &crate::app::state::ConversationList,
    matches: usize,
    width: u16,
    theme: &Theme,
) -> Vec<Span<'static>> {
    let mut spans = vec![Span::styled("/", theme.key)];
    if list.filter_editing {
        let cells = usize::from(width).saturating_sub(1);
        spans.extend(super::line_input::spans(
            &list.filter,
            cells,
            theme.key,
            theme.key,
        ));
    } else {
        spans.push(Span::styled(list.filter.as_str().to_owned(), theme.key));
    }
    if !list.filter.as_str().trim().is_empty() {
        spans.push(Span::styled(filter_counts(list, matches), theme.dim));
    }
    spans
}

/// Chatwoot's triage tabs with their counts, the current one marked: `Mine 3 Unassigned 2 All 12`.
fn desk_tabs(state: &AppState, theme: &Theme) -> Vec<Span<'static>> {
    let counts = state.inbox.list.counts.unwrap_or_default();
    let current = state.inbox.list.server_filter.assignee.as_deref();
    let tabs = [
        (Some("me"), "Mine", counts.mine),
        (Some("unassigned"), "Unassigned", counts.unassigned),
        (None, "All", counts.all),
    ];
    tabs.into_iter()
        .map(|(key, label, n)| {
            let style = if key == current {
                theme.marker
            } else {
                theme.dim
            };
            Span::styled(format!(" {label} {n} "), style)
        })
        .collect()
}

/// What the filter sees: `  3 of 50 loaded` when every page is in, otherwise how much is missing
/// and how to get it (`G` loads the rest, `s` searches the cache).
fn filter_counts(list: &crate::app::state::ConversationList, matches: usize) -> String {
    let loaded = list.items.len();
    let all_in = matches!(list.next, Some(NextPage::End));
    if all_in {
        return format!("  {matches} of {loaded}");
    }
    let of = list
        .total
        .map_or_else(|| format!("{loaded}+"), |t| t.to_string());
    let more = if list.load_all && list.load.is_loading() {
        "loading the rest…"
    } else {
        "G loads all · s searches"
    };
    format!("  {matches} match · {loaded} of {of} loaded · {more}")
}

fn empty_state(state: &AppState, theme: &Theme) -> (String, Style) {
    let list = &state.inbox.list;
    if !list.filter.as_str().trim().is_empty() && !list.items.is_empty() {
        return (
            format!(
                "No loaded conversation matches “{}”",
                sanitize_line(list.filter.as_str())
            ),
            theme.dim,
        );
    }
    match &list.load {
        Load::Loading(_) => ("Loading conversations…".into(), theme.warning),
        Load::Failed(e) => (
            format!(
                "Couldn't load conversations:\n{}\nctrl-r to retry",
                sanitize_line(e)
            ),
            theme.error,
        ),
        Load::Idle if list.next.is_none() => ("Connecting…".into(), theme.dim),
        Load::Idle => ("No conversations yet".into(), theme.dim),
    }
}

fn footer(load: &Load, theme: &Theme) -> Option<Line<'static>> {
    match load {
        Load::Loading(_) => Some(Line::styled("  loading more…", theme.warning)),
        Load::Failed(_) => Some(Line::styled(
            "  ✗ couldn't load more: ctrl-r retries",
            theme.error,
        )),
        Load::Idle => None,
    }
}

/// The two lines of one conversation.
fn row(
    state: &AppState,
    conv: &Conversation,
    selected: bool,
    cols: usize,
    theme: &Theme,
) -> [Line<'static>; 2] {
    let unread = state.inbox.list.unread.get(&conv.id);
    let marker = match unread {
        _ if state.alerts.muted.contains(&conv.id) => "⊘ ".to_owned(),
        Some(0) => "● ".to_owned(),
        Some(n) => format!("{n} "),
        None => "  ".to_owned(),
    };
    let age = conv
        .last_activity_at
        .map(|t| time::relative(t, state.now, state.tz))
        .unwrap_or_default();
    let tag = tag(conv);
    let fixed = width(&marker) + width(&age) + if tag.is_empty() { 1 } else { width(&tag) + 2 };
    let name = truncate(
        &sanitize_line(&state.display_name(conv)),
        cols.saturating_sub(fixed).max(1),
    );
    let pad = cols.saturating_sub(width(&marker) + width(&name) + width(&tag) + width(&age) + 1);
    let name_style = if unread.is_some() {
        theme.unread
    } else {
        theme.base
    };
    let mut first = vec![
        Span::styled(marker, theme.unread_count),
        Span::styled(name, name_style),
        Span::raw(" ".repeat(pad.max(1))),
    ];
    if !tag.is_empty() {
        first.push(Span::styled(tag, theme.tag));
        first.push(Span::raw(" "));
    }
    first.push(Span::styled(age, theme.time));
    let preview = conv
        .preview
        .as_deref()
        .map_or_else(|| "(media)".to_owned(), sanitize_line);
    let second = Span::styled(
        format!("  {}", truncate(&preview, cols.saturating_sub(2))),
        theme.dim,
    );
    let (mut a, mut b) = (Line::from(first), Line::from(second));
    if selected {
        a = theme.selected_line(a);
        b = theme.selected_line(b);
    }
    [a, b]
}

/// The key metadata fields as short tags: `#open @dana`.
fn tag(conv: &Conversation) -> String {
    if let Some(desk) = &conv.desk {
        let mut parts: Vec<String> = Vec::new();
        if desk.status != "open" {
            parts.push(format!("#{}", sanitize_line(&desk.status)));
        }
        parts.extend(
            desk.priority
                .as_ref()
                .map(|p| format!("!{}", sanitize_line(p))),
        );
        parts.extend(
            desk.assignee
                .as_ref()
                .map(|a| format!("@{}", sanitize_line(&a.name))),
        );
        return truncate(&parts.join(" "), 18);
    }
    let status = conv
        .metadata
        .field_text("status")
        .map(|s| format!("#{}", sanitize_line(&s)));
    let assignee = conv
        .metadata
        .field_text("assignee")
        .map(|a| format!("@{}", sanitize_line(&a)));
    let parts: Vec<String> = status.into_iter().chain(assignee).collect();
    truncate(&parts.join(" "), 18)
}
