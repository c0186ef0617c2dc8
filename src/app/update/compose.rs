//! The reply box: drafts per conversation, sending exactly once, typing indicators.
//!
//! While a send is in flight or its outcome is unknown, the box is locked: the text stays in it and
//! cannot be sent again. Settling an unknown outcome is in `outcome`.

use chrono::TimeDelta;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui_textarea::{Input, TextArea};

use super::{outcome, position, status};
use crate::api::{ApiError, ConversationId, OutgoingMessage, SentMessage};
use crate::app::action::Command;
use crate::app::effect::Effect;
use crate::app::paging::RequestId;
use crate::app::state::{AppState, Focus, Outgoing, PendingSend, Resend, SendState};
use crate::app::view::{compose, layout};

/// Why `r` does nothing in read-only mode.
pub const READ_ONLY_REPLY: &str = "Read-only mode (--read-only): replies are turned off";

/// Focuses the reply box of the open conversation, when sending is allowed there.
pub fn start(state: &mut AppState) -> Vec<Effect> {
    let Some(id) = state.inbox.open.clone() else {
        return Vec::new();
    };
    if state.settings.read_only {
        status::notify(state, READ_ONLY_REPLY, true);
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
        status::notify(
            state,
            &format!("Replies are disabled in this conversation: {reason}"),
            true,
        );
        return Vec::new();
    }
    state.inbox.drafts.entry(id.clone()).or_default();
    state.chrome.focus = Focus::Compose;
    let inner = compose_inner(state);
    if let Some(draft) = state.inbox.drafts.get_mut(&id) {
        compose::fit(&mut draft.text, inner);
    }
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
            state.chrome.focus = Focus::Thread;
            Vec::new()
        }
        Command::ToggleNote => toggle_note(state),
        _ => Vec::new(),
    }
}

/// Switches the box between a reply to the customer and a private note (desks that have notes).
fn toggle_note(state: &mut AppState) -> Vec<Effect> {
    let Some(id) = state.inbox.open.clone() else {
        return Vec::new();
    };
    let has_notes = state.conversation(&id).is_some_and(|c| c.desk.is_some());
    if !has_notes {
        status::notify(
            state,
            "Private notes are a support-desk feature (Chatwoot)",
            false,
        );
        return Vec::new();
    }
    let draft = state.inbox.drafts.entry(id).or_default();
    if draft.sending.is_some() {
        return Vec::new();
    }
    draft.private = !draft.private;
    Vec::new()
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

/// Where the reply box's text is drawn, as the layout gives it now (empty when it is not shown).
fn compose_inner(state: &AppState) -> Rect {
    let screen = Rect::new(0, 0, state.chrome.width, state.chrome.height);
    layout::panes(state, screen)
        .compose
        .map_or_else(Rect::default, compose::text_area)
}

/// Applies an edit to the open draft unless it is locked by a send; sends typing indicators.
fn edit(state: &mut AppState, apply: impl FnOnce(&mut TextArea<'static>) -> bool) -> Vec<Effect> {
    let Some(id) = state.inbox.open.clone() else {
        return Vec::new();
    };
    let inner = compose_inner(state);
    let draft = state.inbox.drafts.entry(id.clone()).or_default();
    if draft.sending.is_some() {
        status::notify(
            state,
            "The reply box is locked until the send is settled",
            false,
        );
        return Vec::new();
    }
    compose::fit(&mut draft.text, inner);
    if !apply(&mut draft.text) {
        return Vec::new();
    }
    // The box may have grown or shrunk with the edit: scroll inside it as it will be drawn.
    let inner = compose_inner(state);
    let Some(draft) = state.inbox.drafts.get_mut(&id) else {
        return Vec::new();
    };
    compose::fit(&mut draft.text, inner);
    // Edited text is a new message: no confirmation owed for it.
    draft.error = None;
    draft.resend = Resend::Free;
    typing(state, &id)
}

fn typing(state: &mut AppState, id: &ConversationId) -> Vec<Effect> {
    let supported = !state.settings.read_only
        && state
            .conversation(id)
            .is_some_and(|c| c.capabilities.typing);
    let every = TimeDelta::from_std(state.settings.typing_every).unwrap_or(TimeDelta::days(1));
    let now = state.now;
    let Some(draft) = state.inbox.drafts.get_mut(id) else {
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
    let Some(id) = state.inbox.open.clone() else {
        return Vec::new();
    };
    if state.settings.read_only {
        status::notify(state, READ_ONLY_REPLY, true);
        return Vec::new();
    }
    let Some(conversation) = state.conversation(&id).cloned() else {
        status::notify(state, "This conversation is not loaded yet", true);
        return Vec::new();
    };
    let draft = state.inbox.drafts.entry(id.clone()).or_default();
    if draft.sending.is_some() {
        status::notify(state, "The last message is still being sent", false);
        return Vec::new();
    }
    let body = draft.body().trim().to_owned();
    let note = draft.private;
    if body.is_empty() {
        status::notify(state, "Nothing to send", false);
        return Vec::new();
    }
    if draft.resend == Resend::NeedsConfirm {
        draft.resend = Resend::Armed;
        let text =
            "Press enter again to send it anyway: the earlier attempt was not found in the thread";
        status::notify(state, text, true);
        return Vec::new();
    }
    let prior = state
        .inbox
        .threads
        .get(&id)
        .map(|t| {
            outcome::outbound_with(&t.messages, &body)
                .map(|m| m.id.clone())
                .collect()
        })
        .unwrap_or_default();
    let request = state.request_id();
    let draft = state.inbox.drafts.entry(id.clone()).or_default();
    draft.sending = Some(PendingSend {
        request,
        body: body.clone(),
        started_at: state.now,
        state: SendState::Sending,
        prior,
    });
    draft.error = None;
    draft.resend = Resend::Free;
    position::to_bottom(state);
    vec![Effect::SendMessage {
        request,
        conversation: id,
        message: OutgoingMessage {
            to: conversation.counterparty.reply_address().to_owned(),
            from_number_id: conversation.our_number_id.clone(),
            body,
            media_urls: Vec::new(),
            reply_to: None,
            private: note,
        },
    }]
}

pub fn sent(
    state: &mut AppState,
    request: RequestId,
    conversation: &ConversationId,
    result: Result<SentMessage, ApiError>,
) -> Vec<Effect> {
    let now = state.now;
    let Some(draft) = state.inbox.drafts.get_mut(conversation) else {
        return Vec::new();
    };
    let Some(pending) = draft.sending.as_mut().filter(|p| p.request == request) else {
        return Vec::new();
    };
    match result {
        Ok(sent) => {
            let body = pending.body.clone();
            *draft = draft.emptied();
            if let Some(thread) = state.inbox.threads.get_mut(conversation)
                && !thread.ids.contains(&sent.id)
            {
                thread.outbox.push(Outgoing { id: sent.id, body });
            }
            state.sync.thread.due = Some(now);
            status::notify(state, "Sent", false);
            Vec::new()
        }
        Err(error) if error.outcome_unknown() => {
            pending.state = outcome::unknown(&error, now);
            status::notify(
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
            status::notify(state, &format!("Not sent: {error}"), true);
            Vec::new()
        }
    }
}
