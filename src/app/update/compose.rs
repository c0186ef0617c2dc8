//! The reply box: drafts per conversation, sending exactly once, typing indicators.
//!
//! While a send is in flight or its outcome is unknown, the box is locked: the text stays in it and
//! cannot be sent again. An unknown outcome (timeout, dropped connection, 5xx) is settled by
//! reading the thread a moment later; only when the message is not there may the user send again.

use chrono::TimeDelta;
use ratatui::crossterm::event::KeyEvent;
use ratatui_textarea::{Input, TextArea};

use super::{sync, thread};
use crate::api::agentphone::CatchUp;
use crate::api::{ApiError, ConversationId, Direction, Message, OutgoingMessage, SentMessage};
use crate::app::action::Command;
use crate::app::effect::Effect;
use crate::app::paging::RequestId;
use crate::app::state::{AppState, Draft, Focus, Outgoing, PendingSend, SendState};

/// Why `r` does nothing in read-only mode.
pub const READ_ONLY_REPLY: &str = "Read-only mode (--read-only): replies are turned off";

/// Wait this long after an unknown outcome before reading the thread.
const CHECK_AFTER_SECONDS: i64 = 3;
/// Retry a failed check this long after.
const RECHECK_SECONDS: i64 = 5;
/// The check reads messages from this long before the send started (clock differences).
const CHECK_WINDOW_MINUTES: i64 = 10;

/// Focuses the reply box of the open conversation, when sending is allowed there.
pub fn start(state: &mut AppState) -> Vec<Effect> {
    let Some(id) = state.open.clone() else {
        return Vec::new();
    };
    if state.settings.read_only {
        sync::notify(state, READ_ONLY_REPLY, true);
        return Vec::new();
    }
    let caps = state
        .conversation(&id)
        .map(|c| c.capabilities.clone())
        .unwrap_or_default();
    if !caps.can_send {
        let reason = caps
            .send_disabled_reason
            .unwrap_or_else(|| "the provider does not allow it".into());
        sync::notify(
            state,
            &format!("Replies are disabled in this conversation: {reason}"),
            true,
        );
        return Vec::new();
    }
    state.drafts.entry(id).or_default();
    state.focus = Focus::Compose;
    Vec::new()
}

pub fn command(state: &mut AppState, command: Command) -> Vec<Effect> {
    match command {
        Command::Send => send(state),
        Command::Newline => edit(state, |text| {
            text.insert_newline();
            true
        }),
        Command::Back => {
            state.focus = Focus::Thread;
            Vec::new()
        }
        _ => Vec::new(),
    }
}

pub fn input(state: &mut AppState, key: &KeyEvent) -> Vec<Effect> {
    let input = Input::from(*key);
    edit(state, |text| text.input(input))
}

/// Pastes text without control characters (newlines and tabs kept).
pub fn paste(state: &mut AppState, text: &str) -> Vec<Effect> {
    let clean = crate::text::clean_paste(text);
    edit(state, |area| area.insert_str(&clean))
}

/// Applies an edit to the open draft unless it is locked by a send; sends typing indicators.
fn edit(state: &mut AppState, apply: impl FnOnce(&mut TextArea<'static>) -> bool) -> Vec<Effect> {
    state.touch();
    let Some(id) = state.open.clone() else {
        return Vec::new();
    };
    let draft = state.drafts.entry(id.clone()).or_default();
    if draft.sending.is_some() {
        sync::notify(
            state,
            "The reply box is locked until the send is settled",
            false,
        );
        return Vec::new();
    }
    if !apply(&mut draft.text) {
        return Vec::new();
    }
    draft.error = None;
    typing(state, &id)
}

fn typing(state: &mut AppState, id: &ConversationId) -> Vec<Effect> {
    let supported = !state.settings.read_only
        && state
            .conversation(id)
            .is_some_and(|c| c.capabilities.typing);
    let every = TimeDelta::from_std(state.settings.typing_every).unwrap_or(TimeDelta::days(1));
    let now = state.now;
    let Some(draft) = state.drafts.get_mut(id) else {
        return Vec::new();
    };
    if !supported || draft.is_empty() || draft.last_typing.is_some_and(|t| now - t < every) {
        return Vec::new();
    }
    draft.last_typing = Some(now);
    vec![Effect::SendTyping {
        conversation: id.clone(),
    }]
}

fn send(state: &mut AppState) -> Vec<Effect> {
    let Some(id) = state.open.clone() else {
        return Vec::new();
    };
    if state.settings.read_only {
        sync::notify(state, READ_ONLY_REPLY, true);
        return Vec::new();
    }
    let Some(conversation) = state.conversation(&id).cloned() else {
        sync::notify(state, "This conversation is not loaded yet", true);
        return Vec::new();
    };
    let draft = state.drafts.entry(id.clone()).or_default();
    if draft.sending.is_some() {
        sync::notify(state, "The last message is still being sent", false);
        return Vec::new();
    }
    let body = draft.body().trim().to_owned();
    if body.is_empty() {
        sync::notify(state, "Nothing to send", false);
        return Vec::new();
    }
    let prior = state
        .threads
        .get(&id)
        .map(|t| matching(&t.messages, &body).map(|m| m.id.clone()).collect())
        .unwrap_or_default();
    let request = state.request_id();
    let draft = state.drafts.entry(id.clone()).or_default();
    draft.sending = Some(PendingSend {
        request,
        body: body.clone(),
        started_at: state.now,
        state: SendState::Sending,
        prior,
    });
    draft.error = None;
    thread::to_bottom(state);
    vec![Effect::SendMessage {
        request,
        conversation: id,
        message: OutgoingMessage {
            to: conversation.counterparty.reply_address().to_owned(),
            from_number_id: conversation.our_number_id.clone(),
            body,
            media_urls: Vec::new(),
            reply_to: None,
        },
    }]
}

/// Outbound messages in `messages` whose text is `body`.
fn matching<'a>(messages: &'a [Message], body: &'a str) -> impl Iterator<Item = &'a Message> {
    messages
        .iter()
        .filter(move |m| m.direction == Direction::Outbound && m.body.trim() == body)
}

pub fn sent(
    state: &mut AppState,
    request: RequestId,
    conversation: &ConversationId,
    result: Result<SentMessage, ApiError>,
) -> Vec<Effect> {
    let now = state.now;
    let Some(draft) = state.drafts.get_mut(conversation) else {
        return Vec::new();
    };
    let Some(pending) = draft.sending.as_mut().filter(|p| p.request == request) else {
        return Vec::new();
    };
    state.version = state.version.wrapping_add(1);
    match result {
        Ok(sent) => {
            let body = pending.body.clone();
            *draft = Draft::new();
            if let Some(thread) = state.threads.get_mut(conversation)
                && !thread.ids.contains(&sent.id)
            {
                thread.outbox.push(Outgoing { id: sent.id, body });
            }
            state.sync.thread.due = Some(now);
            sync::notify(state, "Sent", false);
            sync::run_due(state)
        }
        Err(error) if error.outcome_unknown() => {
            pending.state = SendState::Unknown {
                reason: short(&error),
                check: None,
                check_at: now + TimeDelta::seconds(CHECK_AFTER_SECONDS),
            };
            sync::notify(
                state,
                &format!(
                    "The message may or may not have been sent ({error}); checking the thread before offering to send again"
                ),
                true,
            );
            Vec::new()
        }
        Err(error) => {
            draft.sending = None;
            draft.error = Some(format!("Not sent: {error}"));
            sync::notify(state, &format!("Not sent: {error}"), true);
            Vec::new()
        }
    }
}

fn short(error: &ApiError) -> String {
    match error {
        ApiError::Timeout { .. } => "timed out".into(),
        ApiError::Connection { .. } => "connection dropped".into(),
        ApiError::Server { status, .. } => format!("server error {status}"),
        ApiError::Decode { .. } => "unreadable reply".into(),
        other => other.to_string(),
    }
}

/// Starts the checks of unknown sends that are due.
pub fn due_checks(state: &mut AppState) -> Vec<Effect> {
    let now = state.now;
    let due: Vec<ConversationId> = state
        .drafts
        .iter()
        .filter(|(_, d)| {
            matches!(&d.sending, Some(PendingSend { state: SendState::Unknown { check: None, check_at, .. }, .. }) if *check_at <= now)
        })
        .map(|(id, _)| id.clone())
        .collect();
    let mut effects = Vec::new();
    for id in due {
        let request = state.request_id();
        let Some(pending) = state.drafts.get_mut(&id).and_then(|d| d.sending.as_mut()) else {
            continue;
        };
        if let SendState::Unknown { check, .. } = &mut pending.state {
            *check = Some(request);
        }
        effects.push(Effect::CheckSend {
            request,
            conversation: id,
            since: pending.started_at - TimeDelta::minutes(CHECK_WINDOW_MINUTES),
        });
        state.touch();
    }
    effects
}

pub fn checked(
    state: &mut AppState,
    request: RequestId,
    conversation: &ConversationId,
    result: Result<CatchUp, ApiError>,
) -> Vec<Effect> {
    let now = state.now;
    let Some(pending) = state
        .drafts
        .get_mut(conversation)
        .and_then(|d| d.sending.as_mut())
    else {
        return Vec::new();
    };
    let SendState::Unknown {
        check,
        check_at,
        reason,
    } = &mut pending.state
    else {
        return Vec::new();
    };
    if *check != Some(request) {
        return Vec::new();
    }
    state.version = state.version.wrapping_add(1);
    match result {
        Ok(catch_up) => {
            if let Some(thread) = state.threads.get_mut(conversation) {
                thread::merge_into(thread, catch_up.messages.clone());
            }
            settle(state, conversation, &catch_up.messages, true);
        }
        Err(error) => {
            *check = None;
            *check_at = now + TimeDelta::seconds(RECHECK_SECONDS);
            *reason = short(&error);
        }
    }
    Vec::new()
}

/// After new messages arrived: an unknown send whose message showed up was sent.
pub fn reconcile(state: &mut AppState, conversation: &ConversationId) {
    let unknown = state
        .drafts
        .get(conversation)
        .and_then(|d| d.sending.as_ref())
        .is_some_and(|p| matches!(p.state, SendState::Unknown { .. }));
    if !unknown {
        return;
    }
    let recent: Vec<Message> = state.threads.get(conversation).map_or_else(Vec::new, |t| {
        t.messages.iter().rev().take(200).cloned().collect()
    });
    settle(state, conversation, &recent, false);
}

/// Resolves an unknown send against `messages`: found means sent; not found on a final check
/// means not sent, and the user may send again.
fn settle(
    state: &mut AppState,
    conversation: &ConversationId,
    messages: &[Message],
    final_check: bool,
) {
    let Some(draft) = state.drafts.get_mut(conversation) else {
        return;
    };
    let Some(pending) = draft.sending.as_ref() else {
        return;
    };
    let found = matching(messages, &pending.body).any(|m| !pending.prior.contains(&m.id));
    if found {
        *draft = Draft::new();
        sync::notify(
            state,
            "The message had been sent: it is in the thread",
            false,
        );
    } else if final_check {
        draft.sending = None;
        draft.error = Some(
            "Not sent: the message is not in the thread. Press enter to send it again.".into(),
        );
        sync::notify(
            state,
            "The message was not sent (not found in the thread); you can send it again",
            true,
        );
    }
}
