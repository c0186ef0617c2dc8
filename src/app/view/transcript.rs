//! A call's transcript measured: the dialogue's viewport, each turn's height, the scroll that
//! shows a turn. `update` scrolls and finds with these; `ui::transcript` draws with them, so
//! scrolling and drawing agree (STYLE.md lesson L3).

use crate::api::{TranscriptTurn, TurnRole};
use crate::app::state::{AppState, Focus, OpenCall};
use crate::app::view::wrap::wrap;
use crate::text::sanitize;

/// Text is indented under each speaker line.
pub const INDENT: &str = "  ";

/// Who spoke, as the transcript labels it.
pub fn speaker(role: TurnRole) -> &'static str {
    match role {
        TurnRole::User => "Caller",
        TurnRole::Agent => "Agent",
        TurnRole::Tool => "Tool",
        TurnRole::System => "System",
    }
}

/// Lines one turn takes at `width`: the speaker line, the wrapped text, a blank line.
pub fn turn_height(turn: &TranscriptTurn, width: u16) -> u16 {
    let text = wrap(&sanitize(&turn.text), text_width(width)).len();
    u16::try_from(text + 2).unwrap_or(u16::MAX)
}

/// Lines the whole transcript takes at `width`.
pub fn total_height(open: &OpenCall, width: u16) -> u16 {
    open.transcript
        .iter()
        .fold(0u16, |sum, t| sum.saturating_add(turn_height(t, width)))
}

/// The turn at the bottom of a viewport of `height` lines scrolled `open.back` lines up.
pub fn turn_at_bottom(open: &OpenCall, width: u16, height: u16) -> usize {
    let total = total_height(open, width);
    let back = open.back.min(total.saturating_sub(height));
    let bottom = total.saturating_sub(back);
    let mut line = 0u16;
    for (i, turn) in open.transcript.iter().enumerate() {
        line = line.saturating_add(turn_height(turn, width));
        if line >= bottom {
            return i;
        }
    }
    open.transcript.len()
}

/// The scroll (`back`) that puts turn `index` at the top of the viewport, as far as possible.
pub fn back_to_show(open: &OpenCall, index: usize, width: u16, height: u16) -> u16 {
    let total = total_height(open, width);
    let above = open.transcript[..index.min(open.transcript.len())]
        .iter()
        .fold(0u16, |sum, t| sum.saturating_add(turn_height(t, width)));
    total
        .saturating_sub(above)
        .saturating_sub(height)
        .min(total.saturating_sub(height))
}

/// Without the facts pane (below 140 columns) the facts take a line above the dialogue.
pub fn facts_line_shown(state: &AppState) -> bool {
    let area = ratatui::layout::Rect::new(0, 0, state.chrome.width, state.chrome.height);
    super::layout::panes_for(state, area, Focus::Thread)
        .meta
        .is_none()
}

/// The dialogue's text width and height: the thread pane's, less the facts line (when shown),
/// the footer line and the find box's line (when shown, under the footer: neither hides a
/// line). Scrolling, find and drawing all use this.
pub fn viewport(state: &AppState) -> (u16, u16) {
    let (width, height) = super::layout::thread_viewport(state);
    let facts = u16::from(facts_line_shown(state) && height > 2);
    let find = u16::from(super::layout::find_box_shown(state));
    (width, height.saturating_sub(facts + 1 + find))
}

pub fn text_width(width: u16) -> usize {
    usize::from(width).saturating_sub(INDENT.len()).max(1)
}

/// The time from the call's start to the turn, when both are known.
pub fn into_call(open: &OpenCall, turn: &TranscriptTurn) -> Option<chrono::TimeDelta> {
    Some(turn.at? - open.summary.started_at?)
}

/// `4:05`, or `1:02:03` from an hour.
pub fn duration(seconds: i64) -> String {
    let s = seconds.max(0);
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

/// The transcript as plain text (the copy command).
pub fn plain_text(open: &OpenCall) -> String {
    open.transcript
        .iter()
        .map(|t| {
            let at = into_call(open, t)
                .map_or_else(String::new, |s| format!(" ({})", duration(s.num_seconds())));
            format!("{}{at}: {}", speaker(t.role), sanitize(&t.text))
        })
        .collect::<Vec<_>>()
        .join("\n")
}
