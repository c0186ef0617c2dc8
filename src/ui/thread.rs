//! The thread pane: only the visible messages are laid out and drawn, so the cost of a frame does
//! not grow with the length of the history.

pub use crate::app::view::blocks;

use std::collections::HashMap;

use ratatui::Frame;
use ratatui::layout::{Margin, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState};

use super::theme::Theme;
use super::{pane_block, placeholder};
use crate::api::Counterparty;
use crate::app::paging::{self, Load};
use crate::app::scroll::{self, Top};
use crate::app::state::{AppState, Focus, Scroll, Thread};
use crate::text::sanitize_line;

pub fn render(frame: &mut Frame, area: Rect, state: &AppState, theme: &Theme) {
    let focused = matches!(state.chrome.focus, Focus::Thread);
    let Some(id) = state.inbox.open.as_ref() else {
        let block = pane_block(Line::styled(" Thread ", theme.title), focused, theme);
        let inner = block.inner(area);
        frame.render_widget(block, area);
        placeholder(
            frame,
            inner,
            "Select a conversation and press enter",
            theme.dim,
        );
        return;
    };
    let block = pane_block(title(state, id, theme), focused, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(thread) = state.inbox.threads.get(id) else {
        return;
    };
    if thread.messages.is_empty() {
        let (text, style) = match &thread.latest {
            Load::Loading(_) => ("Loading messages…".to_owned(), theme.warning),
            Load::Failed(e) => (
                format!(
                    "Couldn't load messages:\n{}\nctrl-r to retry",
                    sanitize_line(e)
                ),
                theme.error,
            ),
            Load::Idle if transcript_hidden(state, id) => (
                format!("The transcript is {}", crate::ui::session::HIDDEN),
                theme.dim,
            ),
            Load::Idle => ("No messages yet".to_owned(), theme.dim),
        };
        placeholder(frame, inner, &text, style);
        return;
    }
    // The marker and the find box have rows of their own under the messages (the same count
    // `update` scrolls with), so neither hides the last line.
    let footer = crate::ui::layout::ThreadFooter::of(state);
    let text = Rect {
        height: inner.height.saturating_sub(footer.rows()),
        ..inner
    };
    let Visible {
        lines,
        top,
        fits,
        shown,
    } = visible_lines(state, thread, text, theme);
    frame.render_widget(Paragraph::new(lines), text);
    render_footer(frame, (inner, text), thread.new_below, state, theme);
    // Everything is on screen: no scrollbar.
    if fits && thread.at_beginning() {
        return;
    }
    // Positions run from the first message to the top of the last screenful.
    let positions = thread.messages.len().saturating_sub(shown) + 1;
    let mut bar = ScrollbarState::new(positions).position(top.index.min(positions - 1));
    frame.render_stateful_widget(
        Scrollbar::new(ScrollbarOrientation::VerticalRight)
            .begin_symbol(None)
            .end_symbol(None),
        area.inner(Margin {
            vertical: 1,
            horizontal: 0,
        }),
        &mut bar,
    );
}

/// The "↓ N new messages" marker on the row under the messages, the find box on the last.
fn render_footer(
    frame: &mut Frame,
    (inner, text): (Rect, Rect),
    new_below: usize,
    state: &AppState,
    theme: &Theme,
) {
    let footer = crate::ui::layout::ThreadFooter::of(state);
    if footer.marker {
        let marker = format!(
            " ↓ {new_below} new message{} · G to jump ",
            if new_below == 1 { "" } else { "s" }
        );
        let row = Rect {
            y: text.bottom(),
            height: 1,
            ..inner
        }
        .intersection(inner);
        frame.render_widget(
            Paragraph::new(Line::styled(marker, theme.marker))
                .alignment(ratatui::layout::Alignment::Right),
            row,
        );
    }
    if footer.find {
        crate::ui::find::render_box(frame, inner, state, theme);
    }
}

fn transcript_hidden(state: &AppState, id: &crate::api::ConversationId) -> bool {
    state
        .conversation(id)
        .and_then(|c| c.session.as_ref())
        .is_some_and(|s| s.transcript_hidden)
}

fn title(state: &AppState, id: &crate::api::ConversationId, theme: &Theme) -> Line<'static> {
    let Some(conv) = state.conversation(id) else {
        return Line::styled(format!(" {} ", sanitize_line(id.as_str())), theme.title);
    };
    let name = sanitize_line(&state.display_name(conv));
    let detail = match &conv.counterparty {
        Counterparty::Person(p) if p.name.is_some() || state.name_of(&p.address).is_some() => {
            format!(" {} ", sanitize_line(&p.address))
        }
        Counterparty::Group { members, .. } => format!(" group of {} ", members.len() + 1),
        Counterparty::Person(_) => String::new(),
    };
    let channel = conv
        .channel
        .as_deref()
        .map(|c| format!("· {} ", sanitize_line(c)))
        .unwrap_or_default();
    Line::from(vec![
        Span::styled(format!(" {name} "), theme.title),
        Span::styled(format!("{detail}{channel}"), theme.dim),
    ])
}

/// The viewport top for the thread's scroll state, never below `floor` (the bottom).
fn anchored_top(thread: &Thread, floor: Top) -> Top {
    let messages = &thread.messages;
    match &thread.scroll {
        Scroll::Bottom => floor,
        Scroll::Anchor { at, id, offset } => {
            let index = paging::position(messages, *at, id)
                .unwrap_or_else(|| messages.partition_point(|m| m.sent_at < *at))
                .min(messages.len() - 1);
            Top {
                index,
                offset: *offset,
            }
            .min(floor)
        }
    }
}

/// The names message headers use: the conversation's own participants.
/// Marks the header line of block `i`: the highlighted message, else the one a search led to.
fn mark_header(
    lines: &mut [Line<'static>],
    thread: &Thread,
    i: usize,
    highlighted: bool,
    state: &AppState,
    theme: &Theme,
) {
    let style = if highlighted {
        theme.selected
    } else if thread.mark.as_ref() == Some(&thread.messages[i].id) {
        theme.badge
    } else {
        return;
    };
    let header = blocks::top_height(thread, i, state.tz);
    if let Some(line) = lines.get_mut(usize::from(header)) {
        *line = line.clone().patch_style(style);
    }
}

/// What the viewport shows this frame.
struct Visible {
    lines: Vec<Line<'static>>,
    top: Top,
    /// The whole loaded thread fits on screen.
    fits: bool,
    /// Messages at least partly on screen.
    shown: usize,
}

/// Lays out exactly the lines the viewport shows, from the scroll position.
fn visible_lines(state: &AppState, thread: &Thread, area: Rect, theme: &Theme) -> Visible {
    let (width, view) = (
        crate::ui::layout::thread_text_width(area.width),
        usize::from(area.height),
    );
    let participants = blocks::participants(state, &thread.conversation);
    let ctx = blocks::context(state, &participants, theme);
    let pending = state
        .inbox
        .drafts
        .get(&thread.conversation)
        .and_then(|d| d.sending.as_ref());
    let tail = blocks::tail_lines(thread, pending, width, theme);
    let messages = &thread.messages;
    let mut built: HashMap<usize, Vec<Line<'static>>> = HashMap::new();
    let mut block = |i: usize| -> Vec<Line<'static>> {
        built
            .entry(i)
            .or_insert_with(|| {
                let mut lines = blocks::top_lines(thread, i, width, &ctx);
                lines.extend(blocks::message_lines(&messages[i], width, &ctx));
                lines
            })
            .clone()
    };
    let mut height = |i: usize| u16::try_from(block(i).len()).unwrap_or(u16::MAX);
    let tail_height = u16::try_from(tail.len()).unwrap_or(u16::MAX);
    let floor = scroll::bottom(messages.len(), tail_height, area.height, &mut height);
    let top = anchored_top(thread, floor);
    // The message copy and open-link act on, marked while the thread has the keyboard.
    let highlighted = (state.chrome.focus == Focus::Thread)
        .then(|| scroll::highlighted(top, messages.len(), area.height, &mut height))
        .flatten();
    let mut lines = Vec::with_capacity(view);
    let mut skip = usize::from(top.offset);
    for i in top.index..messages.len() {
        let mut lines_of_block = block(i);
        mark_header(
            &mut lines_of_block,
            thread,
            i,
            highlighted == Some(i),
            state,
            theme,
        );
        lines.extend(lines_of_block.into_iter().skip(skip));
        skip = 0;
        if lines.len() > view {
            lines.truncate(view);
            let shown = i + 1 - top.index;
            return Visible {
                lines,
                top,
                fits: false,
                shown,
            };
        }
    }
    let shown = messages.len() - top.index;
    lines.extend(tail);
    let fits = top == Top::START && lines.len() <= view;
    lines.truncate(view);
    if fits {
        // A short thread sits at the bottom, next to the reply box, like in any chat client.
        lines.splice(
            0..0,
            std::iter::repeat_n(Line::default(), view - lines.len()),
        );
    }
    Visible {
        lines,
        top,
        fits,
        shown,
    }
}
