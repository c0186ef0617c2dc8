//! Pane geometry: a pure function of the terminal size and what is open, used by render to draw
//! and by `update` to know the thread viewport.
//!
//! From 140 columns: list, thread, metadata side by side. From 100: list and thread, the side
//! pane (the metadata editor, or the metadata or session while pane 3 has the focus) as a popup.
//! Below 100: one pane at a time, with a tab bar to show which ([`super::tabs`]).

use ratatui::layout::{Constraint, Layout, Rect};

use super::compose;
use crate::app::state::{AppState, Focus, View};

/// Below this width one pane is shown at a time.
pub const NARROW_BELOW: u16 = 100;
/// From this width the metadata pane is always shown.
pub const WIDE_FROM: u16 = 140;

/// Where each part goes this frame.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Panes {
    pub tabs: Option<Rect>,
    pub list: Option<Rect>,
    pub thread: Option<Rect>,
    pub compose: Option<Rect>,
    pub meta: Option<Rect>,
    /// The metadata pane floats over the thread.
    pub meta_popup: bool,
    pub status: Rect,
}

/// Computes the panes for `state` in `area`.
pub fn panes(state: &AppState, area: Rect) -> Panes {
    panes_for(state, area, state.chrome.focus)
}

/// The panes as they would be with `focus` (used to size the thread before it is shown).
pub fn panes_for(state: &AppState, area: Rect, focus: Focus) -> Panes {
    let [main, status] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
    let mut panes = Panes {
        status,
        ..Panes::default()
    };
    if area.width < NARROW_BELOW {
        let [tabs, body] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(main);
        panes.tabs = Some(tabs);
        match focus {
            Focus::List => panes.list = Some(body),
            Focus::Thread | Focus::Compose => split_thread(state, body, area.height, &mut panes),
            Focus::Editor | Focus::Side => panes.meta = Some(body),
        }
        return panes;
    }
    let list_width = if area.width >= WIDE_FROM {
        40
    } else {
        (area.width * 36 / 100).clamp(30, 48)
    };
    let meta_width = if area.width >= WIDE_FROM { 46 } else { 0 };
    let [list, center, meta] = Layout::horizontal([
        Constraint::Length(list_width),
        Constraint::Min(20),
        Constraint::Length(meta_width),
    ])
    .areas(main);
    panes.list = Some(list);
    split_thread(state, center, area.height, &mut panes);
    if meta_width > 0 {
        panes.meta = Some(meta);
    } else if (state.inbox.editor.is_some() || focus == Focus::Side)
        && state.chrome.view == View::Conversations
    {
        panes.meta = Some(popup(center));
        panes.meta_popup = true;
    }
    panes
}

/// The thread above its reply box; the box takes at most a third of the `screen_height`.
fn split_thread(state: &AppState, area: Rect, screen_height: u16, panes: &mut Panes) {
    // A transcript has no reply box: calls are reviewed, not answered.
    if state.inbox.open.is_none() || state.chrome.view == View::Calls {
        panes.thread = Some(area);
        return;
    }
    let text_width = compose::text_area(Rect::new(0, 0, area.width, 3)).width;
    let compose = compose_height(state, text_width)
        .min(screen_height / 3)
        .min(area.height / 2)
        .max(3);
    let [thread, box_area] =
        Layout::vertical([Constraint::Min(3), Constraint::Length(compose)]).areas(area);
    panes.thread = Some(thread);
    panes.compose = Some(box_area);
}

/// The reply box with its border: one row collapsed; while writing, the rows its text takes
/// wrapped at `text_width`, up to [`compose::MAX_ROWS`] (the caller also keeps it to a third of
/// the screen), then the text scrolls inside.
pub fn compose_height(state: &AppState, text_width: u16) -> u16 {
    let draft = state
        .inbox
        .open
        .as_ref()
        .and_then(|id| state.inbox.drafts.get(id));
    let rows = match draft {
        Some(d) if state.chrome.focus == Focus::Compose => {
            compose::wrapped_rows(d.text.lines(), text_width)
        }
        _ => 1,
    };
    u16::try_from(rows)
        .unwrap_or(u16::MAX)
        .clamp(1, compose::MAX_ROWS)
        + 2
}

fn popup(area: Rect) -> Rect {
    let width = area.width.saturating_sub(4).max(20).min(area.width);
    let height = (area.height * 85 / 100).max(8).min(area.height);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}

/// The width messages are wrapped at inside a thread pane of `inner` columns: one column is kept
/// for the scrollbar. `update` (scrolling) and render (drawing) both use this, so they agree.
pub fn thread_text_width(inner: u16) -> u16 {
    inner.saturating_sub(1)
}

/// The thread viewport as `(text width, height)`, as it is when the thread is shown.
pub fn thread_viewport(state: &AppState) -> (u16, u16) {
    let area = Rect::new(0, 0, state.chrome.width, state.chrome.height);
    let focus = if area.width < NARROW_BELOW && !matches!(state.chrome.focus, Focus::Compose) {
        Focus::Thread
    } else {
        state.chrome.focus
    };
    let thread = panes_for(state, area, focus).thread.unwrap_or_default();
    (
        thread_text_width(thread.width.saturating_sub(2)),
        thread.height.saturating_sub(2),
    )
}

/// The find box is on screen: the thread or transcript has the keys and a word is being typed
/// or is in effect.
pub fn find_box_shown(state: &AppState) -> bool {
    state.chrome.focus == Focus::Thread && (state.find.editing || !state.find.query.is_empty())
}

/// The rows under the open thread's messages that are not theirs: the "↓ N new messages"
/// marker (`marker`) above the find box (`find`), each on its own row so neither hides a line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ThreadFooter {
    pub marker: bool,
    pub find: bool,
}

impl ThreadFooter {
    /// What the open thread shows under its messages.
    pub fn of(state: &AppState) -> Self {
        Self {
            marker: state.open_thread().is_some_and(|t| t.new_below > 0),
            find: find_box_shown(state),
        }
    }

    pub fn rows(self) -> u16 {
        u16::from(self.marker) + u16::from(self.find)
    }
}

/// The open thread's message viewport as `(text width, height)`: the thread pane's inside less
/// the footer rows. `update` scrolls with it and render draws with it.
pub fn thread_text_viewport(state: &AppState) -> (u16, u16) {
    let (width, height) = thread_viewport(state);
    (width, height.saturating_sub(ThreadFooter::of(state).rows()))
}

/// The number of conversations the list shows: two lines each, inside the border, below the
/// filter line and above the "loading more" line when those are there. Render and `update`
/// (scroll offset, mouse clicks) both use this.
pub fn list_rows(state: &AppState) -> usize {
    let area = Rect::new(0, 0, state.chrome.width, state.chrome.height);
    let list = panes_for(state, area, Focus::List).list.unwrap_or_default();
    let (filter, footer) = if state.chrome.view == View::Calls {
        let calls = &state.calls;
        let filtered = calls.search_editing || calls.filter != crate::api::CallFilter::default();
        (
            u16::from(filtered),
            u16::from(!matches!(calls.load, crate::app::paging::Load::Idle)),
        )
    } else {
        let list = &state.inbox.list;
        (
            u16::from(list.filter_editing || !list.filter.is_empty()),
            u16::from(!matches!(list.load, crate::app::paging::Load::Idle)),
        )
    };
    usize::from(list.height.saturating_sub(2 + filter + footer) / 2).max(1)
}

/// Scrolls just enough to keep the selected row on screen.
pub fn keep_visible(offset: usize, selected: usize, capacity: usize, len: usize) -> usize {
    let offset = if selected < offset {
        selected
    } else if selected >= offset + capacity {
        selected + 1 - capacity
    } else {
        offset
    };
    offset.min(len.saturating_sub(capacity))
}

#[cfg(test)]
mod tests {
    use super::keep_visible;

    #[test]
    fn the_offset_moves_only_to_keep_the_selection_visible() {
        assert_eq!(keep_visible(0, 3, 5, 100), 0);
        assert_eq!(keep_visible(0, 7, 5, 100), 3);
        assert_eq!(keep_visible(10, 4, 5, 100), 4);
        assert_eq!(keep_visible(98, 99, 5, 100), 95);
    }
}
