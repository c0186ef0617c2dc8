//! The thread viewport: block heights, scrolling by lines and pages, prefetching older pages
//! before the top, and which message is highlighted. The scroll position is an anchor (a message
//! and a line in it), so nothing jumps when pages arrive above or below.

use std::sync::LazyLock;

use super::position::{load_older, to_bottom};
use crate::api::{Message, NextPage};
use crate::app::effect::Effect;
use crate::app::paging;
use crate::app::scroll::{self, Top};
use crate::app::state::{AppState, Heights, Scroll, Thread};
use crate::app::view::blocks::{self, BlockCtx};
use crate::app::view::layout;
use crate::app::view::theme::Theme;

/// Load older messages when the viewport's top is this close to the first loaded message.
const PREFETCH_MESSAGES: usize = 60;
/// The open thread keeps at most this many messages in memory while it is read far below its
/// first loaded message: older ones are let go (the cache gives them back on the way up).
const OPEN_WINDOW: usize = 15_000;
/// Messages kept above the viewport when older ones are let go.
const KEEP_ABOVE: usize = 2_000;

static PLAIN: LazyLock<Theme> = LazyLock::new(Theme::dark);

/// The wrapped height of a message body at `width` in `ctx` (the user's zone, clock and names:
/// what render draws with), cached (see [`fit_cache`]).
fn body_height(heights: &mut Heights, msg: &Message, width: u16, ctx: &BlockCtx) -> u16 {
    *heights.map.entry(msg.id.clone()).or_insert_with(|| {
        u16::try_from(blocks::message_lines(msg, width, ctx).len()).unwrap_or(u16::MAX)
    })
}

/// Forgets cached heights measured at another width or in another context.
fn fit_cache(heights: &mut Heights, width: u16, ctx: &BlockCtx) {
    let key = context_key(ctx);
    if heights.width != width || heights.context != key {
        heights.width = width;
        heights.context = key;
        heights.map.clear();
    }
}

/// What of a context can change a block's height: the zone, the clock format, the names known.
fn context_key(ctx: &BlockCtx) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    format!("{:?} {:?}", ctx.tz, ctx.time_format).hash(&mut hasher);
    ctx.names.len().hash(&mut hasher);
    for p in ctx.participants {
        (&p.address, &p.name).hash(&mut hasher);
    }
    hasher.finish()
}

/// The height of block `i`: the rows above it (history header, day separator, a gap's marker,
/// the "new messages" divider) and its body.
fn block_height(thread: &Thread, heights: &mut Heights, i: usize, layout: (u16, &BlockCtx)) -> u16 {
    let (width, ctx) = layout;
    blocks::top_height(thread, i, ctx.tz) + body_height(heights, &thread.messages[i], width, ctx)
}

/// Rows under the last message of the open thread (outbox, pending send).
fn tail_height(state: &AppState, width: u16) -> u16 {
    let Some(id) = state.inbox.open.as_ref() else {
        return 0;
    };
    let Some(thread) = state.inbox.threads.get(id) else {
        return 0;
    };
    let pending = state.inbox.drafts.get(id).and_then(|d| d.sending.as_ref());
    u16::try_from(blocks::tail_lines(thread, pending, width, &PLAIN).len()).unwrap_or(0)
}

/// The viewport's rows: under the last message (`tail`) and in all (`view`).
#[derive(Clone, Copy, Debug)]
pub struct Frame {
    pub tail: u16,
    pub view: u16,
}

/// Runs `f` on the open thread's messages with the viewport's current top and a block height
/// function (heights are cached per width); `None` without an open thread.
pub fn measure<R>(
    state: &mut AppState,
    f: impl FnOnce(&[Message], Top, &mut dyn FnMut(usize) -> u16, Frame) -> R,
) -> Option<R> {
    let (width, view) = layout::thread_text_viewport(state);
    let tail = tail_height(state, width);
    let id = state.inbox.open.clone()?;
    // The heights are taken out while the thread is read beside the context, then put back.
    let mut heights = std::mem::take(&mut state.inbox.threads.get_mut(&id)?.heights);
    let participants = blocks::participants(state, &id);
    let ctx = BlockCtx {
        find: "",
        ..blocks::context(state, &participants, &PLAIN)
    };
    fit_cache(&mut heights, width, &ctx);
    let thread = state.inbox.threads.get(&id)?;
    let messages = &thread.messages;
    let mut h = |i: usize| block_height(thread, &mut heights, i, (width, &ctx));
    let top = current_top(&thread.scroll, messages, tail, view, &mut h);
    let result = f(messages, top, &mut h, Frame { tail, view });
    if let Some(thread) = state.inbox.threads.get_mut(&id) {
        thread.heights = heights;
    }
    Some(result)
}

/// The viewport top for a scroll state.
fn current_top(
    scroll_state: &Scroll,
    messages: &[Message],
    tail: u16,
    view: u16,
    h: &mut impl FnMut(usize) -> u16,
) -> Top {
    match scroll_state {
        Scroll::Bottom => scroll::bottom(messages.len(), tail, view, h),
        Scroll::Anchor { at, id, offset } => {
            let index = paging::position(messages, *at, id)
                .unwrap_or_else(|| messages.partition_point(|m| m.sent_at < *at))
                .min(messages.len().saturating_sub(1));
            let offset = if messages.is_empty() {
                0
            } else {
                (*offset).min(h(index).saturating_sub(1))
            };
            Top { index, offset }
        }
    }
}

/// The scroll state whose top is `top`.
pub fn anchor_at(messages: &[Message], top: Top) -> Scroll {
    messages
        .get(top.index)
        .map_or(Scroll::Bottom, |m| Scroll::Anchor {
            at: m.sent_at,
            id: m.id.clone(),
            offset: top.offset,
        })
}

fn open_thread(state: &mut AppState) -> Option<&mut Thread> {
    state
        .inbox
        .open
        .as_ref()
        .and_then(|id| state.inbox.threads.get_mut(id))
}

fn scroll_by(state: &mut AppState, lines: i32) -> Vec<Effect> {
    let amount = u16::try_from(lines.unsigned_abs()).unwrap_or(u16::MAX);
    let moved = measure(state, |messages, current, mut h, frame| {
        if lines < 0 {
            let top = scroll::up(current, amount, &mut h);
            let bottom = scroll::is_at_bottom(top, messages.len(), frame.tail, frame.view, &mut h);
            (top, bottom)
        } else {
            scroll::down(
                current,
                amount,
                messages.len(),
                frame.tail,
                frame.view,
                &mut h,
            )
        }
    });
    let Some((top, at_bottom)) = moved else {
        return Vec::new();
    };
    if let Some(thread) = open_thread(state) {
        // The user took over: stop any seek.
        thread.seek_top = false;
        thread.seek_to = None;
        if !at_bottom {
            thread.scroll = anchor_at(&thread.messages, top);
        }
    }
    if at_bottom {
        to_bottom(state);
    }
    maybe_prefetch(state)
}

/// Loads older messages when the viewport is near the first loaded one (or the history does not
/// fill the viewport), so scrolling up rarely waits.
pub fn maybe_prefetch(state: &mut AppState) -> Vec<Effect> {
    trim_older(state);
    let Some(thread) = open_thread(state) else {
        return Vec::new();
    };
    if !matches!(thread.older, Some(NextPage::More(_))) || thread.older_load.is_loading() {
        return Vec::new();
    }
    let seeking = thread.seek_top || thread.seek_to.is_some();
    let near_top = measure(state, |_, top, _, _| top.index < PREFETCH_MESSAGES).unwrap_or(false);
    if seeking || near_top {
        load_older(state)
    } else {
        Vec::new()
    }
}

/// Lets go of messages far above the viewport once the open thread holds more than
/// `OPEN_WINDOW`; the older cursor then starts at the first message kept.
pub fn trim_older(state: &mut AppState) {
    let long = open_thread(state).is_some_and(|t| {
        t.messages.len() > OPEN_WINDOW
            && !t.seek_top
            && t.seek_to.is_none()
            && !t.older_load.is_loading()
    });
    if !long {
        return;
    }
    let Some(top) = measure(state, |_, top, _, _| top.index) else {
        return;
    };
    let Some(thread) = open_thread(state) else {
        return;
    };
    let cut = top
        .saturating_sub(KEEP_ABOVE)
        .min(thread.messages.len() - OPEN_WINDOW);
    if cut < KEEP_ABOVE {
        return;
    }
    for message in thread.messages.drain(..cut) {
        thread.heights.map.remove(&message.id);
        thread.ids.remove(&message.id);
    }
    thread.messages.shrink_to_fit();
    thread.ids.shrink_to_fit();
    thread.older = thread.messages.first().map(|first| {
        NextPage::More(crate::api::Cursor::Before {
            at: first.sent_at,
            inclusive: true,
        })
    });
}

#[cfg(test)]
pub fn viewport_top(state: &mut AppState) -> Option<(usize, u16)> {
    measure(state, |_, top, _, _| (top.index, top.offset))
}

/// The highlighted message of the open thread: the last one whose first line is on screen.
pub fn highlighted_message(state: &mut AppState) -> Option<Message> {
    measure(state, |messages, top, mut h, frame| {
        let index = scroll::highlighted(top, messages.len(), frame.view, &mut h)?;
        messages.get(index).cloned()
    })
    .flatten()
}

/// Scrolls the open thread by `lines` (negative is up), for the mouse wheel.
pub fn scroll_lines(state: &mut AppState, lines: i32) -> Vec<Effect> {
    scroll_by(state, lines)
}
