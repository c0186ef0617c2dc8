//! Settling a send whose outcome is unknown (timeout, dropped connection, 5xx, unreadable reply,
//! or an app that stopped mid-send). The server may have stored the message, or may store it
//! late, so the thread is read three times over about 25 seconds before the user is told it was
//! not sent; even then a second Enter is needed to send again, and the attempt stays watched for
//! ten minutes in case it arrives late after all. Never does the app send twice by itself.

use chrono::TimeDelta;

use super::status;
use crate::api::CatchUp;
use crate::api::{ApiError, ConversationId, Direction, Message};
use crate::app::effect::Effect;
use crate::app::paging::RequestId;
use crate::app::state::{AppState, PendingSend, Resend, SendState};

/// Seconds after the failure at which the thread is read.
const CHECK_AFTER: [i64; 3] = [3, 10, 25];
/// A check that itself failed is repeated after this long (it does not count).
const RECHECK_SECONDS: i64 = 5;
/// Our copy may carry a time this much earlier than when we sent it (clock differences).
const SKEW_MINUTES: i64 = 2;
/// The check reads messages from this long before the send started.
const WINDOW_MINUTES: i64 = 10;
/// How long a "not sent" attempt is watched for a late arrival.
const WATCH_MINUTES: i64 = 10;

/// The state of a send that failed with `error`, whose outcome is unknown.
pub fn unknown(error: &ApiError, now: crate::api::Timestamp) -> SendState {
    SendState::Unknown {
        reason: short(error),
        check: None,
        check_at: now + TimeDelta::seconds(CHECK_AFTER[0]),
        checks: 0,
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

/// Outbound messages in `messages` whose text is `body`.
pub fn outbound_with<'a>(
    messages: &'a [Message],
    body: &'a str,
) -> impl Iterator<Item = &'a Message> {
    messages
        .iter()
        .filter(move |m| m.direction == Direction::Outbound && m.body.trim() == body)
}

/// True when `message` is the attempt `pending`: outbound, same text, not a copy that was there
/// before, from our number, and not older than the attempt (allowing for clock differences).
fn is_attempt(message: &Message, pending: &PendingSend, our_number: Option<&str>) -> bool {
    message.direction == Direction::Outbound
        && message.body.trim() == pending.body
        && !pending.prior.contains(&message.id)
        && message.sent_at >= pending.started_at - TimeDelta::minutes(SKEW_MINUTES)
        && match (our_number, message.from.as_deref()) {
            (Some(ours), Some(from)) => ours == from,
            _ => true,
        }
}

/// Starts the checks that are due.
pub fn due_checks(state: &mut AppState) -> Vec<Effect> {
    let now = state.now;
    let due: Vec<ConversationId> = state
        .inbox
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
        let Some(pending) = state
            .inbox
            .drafts
            .get_mut(&id)
            .and_then(|d| d.sending.as_mut())
        else {
            continue;
        };
        if let SendState::Unknown { check, .. } = &mut pending.state {
            *check = Some(request);
        }
        effects.push(Effect::CheckSend {
            request,
            conversation: id,
            since: pending.started_at - TimeDelta::minutes(WINDOW_MINUTES),
        });
    }
    effects
}

/// The thread as read by a check.
pub fn checked(
    state: &mut AppState,
    request: RequestId,
    conversation: &ConversationId,
    result: Result<CatchUp, ApiError>,
) -> Vec<Effect> {
    let now = state.now;
    let Some(pending) = state
        .inbox
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
        ..
    } = &mut pending.state
    else {
        return Vec::new();
    };
    if *check != Some(request) {
        return Vec::new();
    }
    match result {
        Ok(catch_up) => {
            // Only settles: the read starts at an arbitrary point, and merging it could leave a
            // gap between the thread's newest loaded message and that point. The thread's own
            // poll brings the messages, contiguously.
            settle(state, conversation, &catch_up.messages, catch_up.complete);
            state.sync.thread.due = Some(now);
        }
        Err(error) => {
            *check = None;
            *check_at = now + TimeDelta::seconds(RECHECK_SECONDS);
            *reason = short(&error);
        }
    }
    Vec::new()
}

/// After new messages arrived in a thread: an unknown send (or a watched "not sent" one) whose
/// message showed up was sent.
pub fn reconcile(state: &mut AppState, conversation: &ConversationId) {
    let recent: Vec<Message> = state
        .inbox
        .threads
        .get(conversation)
        .map_or_else(Vec::new, |t| {
            t.messages.iter().rev().take(200).cloned().collect()
        });
    let unknown = state
        .inbox
        .drafts
        .get(conversation)
        .and_then(|d| d.sending.as_ref())
        .is_some_and(|p| matches!(p.state, SendState::Unknown { .. }));
    if unknown {
        settle_found(state, conversation, &recent);
    }
    watch_late(state, conversation, &recent);
}

fn our_number(state: &AppState, conversation: &ConversationId) -> Option<String> {
    state
        .conversation(conversation)
        .and_then(|c| c.our_number.clone())
}

/// Settles on a complete read: found means sent; three reads without it mean not sent.
fn settle(
    state: &mut AppState,
    conversation: &ConversationId,
    messages: &[Message],
    complete: bool,
) {
    if settle_found(state, conversation, messages) {
        return;
    }
    let now = state.now;
    let Some(draft) = state.inbox.drafts.get_mut(conversation) else {
        return;
    };
    let Some(pending) = draft.sending.as_mut() else {
        return;
    };
    let SendState::Unknown {
        check,
        check_at,
        checks,
        ..
    } = &mut pending.state
    else {
        return;
    };
    *check = None;
    if complete {
        *checks += 1;
    }
    if let Some(after) = CHECK_AFTER.get(usize::from(*checks)) {
        let waited = CHECK_AFTER[usize::from(*checks) - usize::from(complete)];
        *check_at = now + TimeDelta::seconds((after - waited).max(RECHECK_SECONDS));
        return;
    }
    let attempt = draft.sending.take();
    draft.late = attempt;
    draft.resend = Resend::NeedsConfirm;
    draft.error =
        Some("Not sent: not in the thread after three checks. Enter twice sends it again.".into());
    status::notify(
        state,
        "The message was not sent (not found in the thread); you can send it again",
        true,
    );
}

/// Settles the unknown send as sent when its message is in `messages`.
fn settle_found(state: &mut AppState, conversation: &ConversationId, messages: &[Message]) -> bool {
    let ours = our_number(state, conversation);
    let Some(draft) = state.inbox.drafts.get_mut(conversation) else {
        return false;
    };
    let Some(pending) = draft.sending.as_ref() else {
        return false;
    };
    if !messages
        .iter()
        .any(|m| is_attempt(m, pending, ours.as_deref()))
    {
        return false;
    }
    *draft = draft.emptied();
    status::notify(
        state,
        "The message had been sent: it is in the thread",
        false,
    );
    true
}

/// A "not sent" attempt that shows up late after all: tell the user, and drop the draft if it
/// still holds that text unsent.
fn watch_late(state: &mut AppState, conversation: &ConversationId, messages: &[Message]) {
    let ours = our_number(state, conversation);
    let now = state.now;
    let Some(draft) = state.inbox.drafts.get_mut(conversation) else {
        return;
    };
    let Some(late) = draft.late.as_ref() else {
        return;
    };
    if now - late.started_at > TimeDelta::minutes(WATCH_MINUTES) {
        draft.late = None;
        return;
    }
    if !messages
        .iter()
        .any(|m| is_attempt(m, late, ours.as_deref()))
    {
        return;
    }
    let unsent = draft.sending.is_none() && draft.body().trim() == late.body;
    let resent = draft.sending.as_ref().is_some_and(|p| p.body == late.body);
    draft.late = None;
    if unsent {
        *draft = draft.emptied();
        status::notify(
            state,
            "The earlier attempt arrived after all: the message was sent",
            false,
        );
    } else if resent {
        status::notify(
            state,
            "The earlier attempt arrived late: this message may now appear twice",
            true,
        );
    }
}
