//! Server-side filters of the conversation list (Anyreach: status, direction, channel, created
//! after). Each key cycles one filter; the list starts over from its first page, and replies to
//! requests made under the old filters are dropped.

use chrono::TimeDelta;

use super::{conversations, sync};
use crate::app::action::Command;
use crate::app::effect::Effect;
use crate::app::paging::Load;
use crate::app::state::AppState;

const STATUSES: [&str; 5] = [
    "in_progress",
    "completed",
    "transferred",
    "failed",
    "unanswered",
];
const DIRECTIONS: [&str; 2] = ["inbound", "outbound"];
const CHANNELS: [&str; 4] = ["telephone", "webrtc", "text", "email"];
const DAYS: [i64; 3] = [1, 7, 30];

/// The value after `current` in `values`, then none, then the first again.
fn next(values: &[&str], current: Option<&str>) -> Option<String> {
    let at = current.and_then(|c| values.iter().position(|v| *v == c));
    match at {
        None => values.first().map(|v| (*v).to_owned()),
        Some(i) => values.get(i + 1).map(|v| (*v).to_owned()),
    }
}

pub fn cycle(state: &mut AppState, command: Command) -> Vec<Effect> {
    if !state.list_filters {
        let text = format!(
            "{} lists have no server filters: / filters the loaded rows",
            state.account.label
        );
        sync::notify(state, &text, false);
        return Vec::new();
    }
    let filter = &mut state.list.server_filter;
    match command {
        Command::StatusFilter => filter.status = next(&STATUSES, filter.status.as_deref()),
        Command::DirectionFilter => {
            filter.direction = next(&DIRECTIONS, filter.direction.as_deref());
        }
        Command::ChannelFilter => filter.channel = next(&CHANNELS, filter.channel.as_deref()),
        _ => {
            let now = state.now;
            let current = filter
                .created_after
                .map(|after| (now - after).num_days().max(1));
            let at = current.and_then(|d| DAYS.iter().position(|x| *x == d));
            let days = match at {
                None => DAYS.first().copied(),
                Some(i) => DAYS.get(i + 1).copied(),
            };
            filter.created_after = days.map(|d| now - TimeDelta::days(d));
        }
    }
    reload(state)
}

/// Starts the list over under the new filters.
fn reload(state: &mut AppState) -> Vec<Effect> {
    let list = &mut state.list;
    list.items.clear();
    list.positions.clear();
    list.haystack.clear();
    list.selected = None;
    list.offset = 0;
    list.next = None;
    list.total = None;
    list.load = Load::Idle;
    state.sync.list.request = None;
    state.touch();
    conversations::load_first(state)
}

/// The filters in effect, for the list's title: `in_progress · telephone · last 7 days`.
pub fn describe(state: &AppState) -> Option<String> {
    let f = &state.list.server_filter;
    let mut parts: Vec<String> = [&f.status, &f.channel, &f.direction]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    if let Some(after) = f.created_after {
        let days = (state.now - after).num_days().max(1);
        parts.push(if days == 1 {
            "last day".into()
        } else {
            format!("last {days} days")
        });
    }
    (!parts.is_empty()).then(|| parts.join(" · "))
}
