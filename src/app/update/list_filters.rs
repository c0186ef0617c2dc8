//! Server-side filters of the conversation list (Anyreach: status, direction, channel, created
//! after; Chatwoot: the Mine / Unassigned / All tab, status, inbox, label). Each key cycles one filter; the list starts over from its first page, and replies to
//! requests made under the old filters are dropped.

use chrono::TimeDelta;

use super::{conversations, status};
use crate::api::FilterSet;
use crate::api::TabCounts;
use crate::app::action::Command;
use crate::app::effect::Effect;
use crate::app::paging::{Load, RequestId};
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
const TABS: [&str; 2] = ["me", "unassigned"];
const DESK_STATUSES: [&str; 4] = ["pending", "snoozed", "resolved", "all"];

/// The value after `current` in `values`; after the last comes none (no filter), then the
/// first again. Every filter key cycles this way (the calls list's too).
pub(super) fn next_of<T: PartialEq + Copy>(values: &[T], current: Option<T>) -> Option<T> {
    let at = current.and_then(|c| values.iter().position(|v| *v == c));
    match at {
        None => values.first().copied(),
        Some(i) => values.get(i + 1).copied(),
    }
}

/// [`next_of`] for text filters.
pub(super) fn next(values: &[&str], current: Option<&str>) -> Option<String> {
    next_of(values, current).map(str::to_owned)
}

pub fn cycle(state: &mut AppState, command: Command) -> Vec<Effect> {
    let changed = match state.capabilities.filters {
        FilterSet::Anyreach => anyreach(state, command),
        FilterSet::Chatwoot => chatwoot(state, command),
        FilterSet::None => false,
    };
    if changed {
        return reload(state);
    }
    let text = format!(
        "{} lists have no such server filter: / filters the loaded rows",
        state.account.label
    );
    status::notify(state, &text, false);
    Vec::new()
}

/// Status, direction, channel, created within. False for a key Anyreach has no filter for.
fn anyreach(state: &mut AppState, command: Command) -> bool {
    let now = state.now;
    let filter = &mut state.inbox.list.server_filter;
    match command {
        Command::StatusFilter => filter.status = next(&STATUSES, filter.status.as_deref()),
        Command::DirectionFilter => {
            filter.direction = next(&DIRECTIONS, filter.direction.as_deref());
        }
        Command::ChannelFilter => filter.channel = next(&CHANNELS, filter.channel.as_deref()),
        Command::DateFilter => {
            let current = filter
                .created_after
                .map(|after| (now - after).num_days().max(1));
            let days = next_of(&DAYS, current);
            filter.created_after = days.map(|d| now - TimeDelta::days(d));
        }
        _ => return false,
    }
    true
}

/// The assignee tab, status, inbox, label. False for a key Chatwoot has no filter for.
fn chatwoot(state: &mut AppState, command: Command) -> bool {
    let list = &mut state.inbox.list;
    for desk in list.items.iter().filter_map(|c| c.desk.as_ref()) {
        list.known_inboxes.extend(desk.inbox_id);
        list.known_labels.extend(desk.labels.iter().cloned());
    }
    let filter = &mut list.server_filter;
    match command {
        Command::TabNext => filter.assignee = next(&TABS, filter.assignee.as_deref()),
        // No status is Chatwoot's default, open.
        Command::StatusFilter => filter.status = next(&DESK_STATUSES, filter.status.as_deref()),
        Command::InboxFilter => {
            let inboxes: Vec<u64> = list.known_inboxes.iter().copied().collect();
            filter.inbox = next_of(&inboxes, filter.inbox);
        }
        Command::LabelFilter => {
            let labels: Vec<&str> = list.known_labels.iter().map(String::as_str).collect();
            filter.label = next(&labels, filter.label.as_deref());
        }
        _ => return false,
    }
    true
}

/// The tab counts that came with a page of the current list.
pub fn counts(state: &mut AppState, request: RequestId, counts: TabCounts) -> Vec<Effect> {
    let current = state.inbox.list.load.awaits(request) || state.sync.list.request == Some(request);
    if current && state.inbox.list.counts != Some(counts) {
        state.inbox.list.counts = Some(counts);
    }
    Vec::new()
}

/// Starts the list over under the new filters.
fn reload(state: &mut AppState) -> Vec<Effect> {
    let list = &mut state.inbox.list;
    list.items.clear();
    list.positions.clear();
    list.haystack.clear();
    list.selected = None;
    list.offset = 0;
    list.next = None;
    list.total = None;
    list.load = Load::Idle;
    list.counts = None;
    state.sync.list.request = None;
    conversations::load_first(state)
}

/// The filters in effect, for the list's title: `in_progress · telephone · last 7 days`.
pub fn describe(state: &AppState) -> Option<String> {
    let f = &state.inbox.list.server_filter;
    let mut parts: Vec<String> = [&f.status, &f.channel, &f.direction]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    parts.extend(f.inbox.map(|i| format!("inbox {i}")));
    parts.extend(f.label.as_ref().map(|l| format!("#{l}")));
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
