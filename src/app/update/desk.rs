//! Triage actions on a desk conversation (Chatwoot): `x` lists what can be done (resolve,
//! reopen, pending, snooze until a time, priority, assign to me, add or remove a label); enter
//! does it, once; the conversation is read back and its row and thread show the change.

use chrono::TimeDelta;

use super::{conversations, status};
use crate::api::desk::{DeskAction, DeskFacts};
use crate::api::{ApiError, Conversation, ConversationId};
use crate::app::action::Command;
use crate::app::effect::Effect;
use crate::app::paging::RequestId;
use crate::app::state::{AppState, Overlay};

/// `x`: the actions menu, or why there is none.
pub fn open(state: &mut AppState) -> Vec<Effect> {
    if state.settings.read_only {
        status::notify(
            state,
            "Read-only mode (--read-only): triage is turned off",
            true,
        );
        return Vec::new();
    }
    if let Some((_, label)) = &state.inbox.desk_pending {
        let text = format!("Wait for “{label}” to finish first");
        status::notify(state, &text, false);
        return Vec::new();
    }
    let Some(id) = super::clipboard::current_conversation(state) else {
        return Vec::new();
    };
    let Some(desk) = state.conversation(&id).and_then(|c| c.desk.clone()) else {
        let text = format!(
            "{} conversations have no triage actions",
            state.account.label
        );
        status::notify(state, &text, false);
        return Vec::new();
    };
    let items = items(state, &desk);
    state.chrome.overlay = Some(Overlay::Actions {
        conversation: id,
        items,
        selected: 0,
    });
    Vec::new()
}

fn status(status: &str, until: Option<crate::api::Timestamp>) -> DeskAction {
    DeskAction::Status {
        status: status.into(),
        snoozed_until: until,
    }
}

/// What can be done now, in words, with the change each makes.
fn items(state: &AppState, desk: &DeskFacts) -> Vec<(String, DeskAction)> {
    let now = state.now;
    let mut items = Vec::new();
    if desk.status != "resolved" {
        items.push(("Resolve".to_owned(), status("resolved", None)));
    }
    if desk.status != "open" {
        items.push(("Reopen".to_owned(), status("open", None)));
    }
    if desk.status != "pending" {
        items.push(("Mark pending".to_owned(), status("pending", None)));
    }
    let tomorrow = crate::app::view::time::next_day_at(now, state.tz, 9);
    for (label, until) in [
        ("Snooze for 1 hour", now + TimeDelta::hours(1)),
        ("Snooze until tomorrow 09:00", tomorrow),
        ("Snooze for a week", now + TimeDelta::days(7)),
    ] {
        items.push((label.to_owned(), status("snoozed", Some(until))));
    }
    for p in ["urgent", "high", "medium", "low", "none"] {
        if desk.priority.as_deref().unwrap_or("none") != p {
            items.push((format!("Priority: {p}"), DeskAction::Priority(p.into())));
        }
    }
    items.push(("Assign to me".to_owned(), DeskAction::AssignToMe));
    let mut known: Vec<String> = state.inbox.list.known_labels.iter().cloned().collect();
    known.extend(desk.labels.iter().cloned());
    known.sort();
    known.dedup();
    for label in known {
        let has = desk.labels.contains(&label);
        let mut set: Vec<String> = desk
            .labels
            .iter()
            .filter(|l| **l != label)
            .cloned()
            .collect();
        if !has {
            set.push(label.clone());
        }
        let text = if has {
            format!("Label: remove #{label}")
        } else {
            format!("Label: add #{label}")
        };
        items.push((text, DeskAction::Labels(set)));
    }
    items
}

/// Keys of the actions menu.
pub fn command(state: &mut AppState, command: Command) -> Vec<Effect> {
    let Some(Overlay::Actions {
        conversation,
        items,
        selected,
    }) = state.chrome.overlay.take()
    else {
        return Vec::new();
    };
    let selected = match command {
        Command::Down => (selected + 1).min(items.len().saturating_sub(1)),
        Command::Up => selected.saturating_sub(1),
        Command::Open => {
            let Some((label, action)) = items.get(selected).cloned() else {
                return Vec::new();
            };
            let request = state.request_id();
            state.inbox.desk_pending = Some((request, label.clone()));
            status::notify(state, &format!("{label}…"), false);
            return vec![Effect::DeskAction {
                request,
                conversation,
                action,
            }];
        }
        _ => return Vec::new(),
    };
    state.chrome.overlay = Some(Overlay::Actions {
        conversation,
        items,
        selected,
    });
    Vec::new()
}

/// The change was made (the row is replaced by the server's copy) or refused.
pub fn done(
    state: &mut AppState,
    request: RequestId,
    conversation: &ConversationId,
    result: Result<Conversation, ApiError>,
) -> Vec<Effect> {
    let Some((_, label)) = state.inbox.desk_pending.take_if(|(r, _)| *r == request) else {
        return Vec::new();
    };
    match result {
        Ok(conv) => {
            conversations::merge(state, vec![conv]);
            status::notify(state, &format!("{label}: done"), false);
            // The thread shows the activity line the change left.
            if state.inbox.open.as_ref() == Some(conversation) {
                state.sync.thread.due = Some(state.now);
                return Vec::new();
            }
            Vec::new()
        }
        Err(error) => {
            status::notify(state, &format!("{label} failed: {error}"), true);
            Vec::new()
        }
    }
}
