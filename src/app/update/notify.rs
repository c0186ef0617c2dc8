//! Notifications of new inbound messages in other conversations (bell, OSC 9 / OSC 777), and
//! muting them per conversation or all at once.

use super::status;
use crate::api::{ConversationId, Direction, Message};
use crate::app::action::Command;
use crate::app::effect::{Effect, TerminalEffect};
use crate::app::state::{AppState, Focus};
use crate::app::view::wrap::truncate;
use crate::text::sanitize_line;

/// `m` and `M`: mute or unmute this conversation, or everything.
pub fn toggle(state: &mut AppState, command: Command) -> Vec<Effect> {
    if command == Command::MuteAll {
        state.alerts.mute_all = !state.alerts.mute_all;
        let text = if state.alerts.mute_all {
            "All notifications muted"
        } else {
            "Notifications on"
        };
        status::notify(state, text, false);
        return Vec::new();
    }
    let id = if state.chrome.focus == Focus::List {
        state.inbox.list.selected.clone()
    } else {
        state.inbox.open.clone()
    };
    let Some(id) = id else { return Vec::new() };
    let name = state
        .conversation(&id)
        .map_or_else(|| id.to_string(), |c| state.display_name(c));
    let name = sanitize_line(&name);
    let text = if state.alerts.muted.remove(&id) {
        format!("Notifications on for {name}")
    } else {
        state.alerts.muted.insert(id);
        format!("Muted {name}")
    };
    status::notify(state, &text, false);
    Vec::new()
}

/// New inbound messages arrived in a conversation that is not open: ring and notify, unless
/// muted or turned off. Everything shown is sanitised (it reaches the terminal outside the screen).
pub fn inbound(
    state: &AppState,
    conversation: &ConversationId,
    messages: &[Message],
) -> Vec<Effect> {
    let prefs = &state.settings.notifications;
    if !prefs.enabled || state.alerts.mute_all || state.alerts.muted.contains(conversation) {
        return Vec::new();
    }
    let Some(newest) = messages
        .iter()
        .rev()
        .find(|m| m.direction == Direction::Inbound)
    else {
        return Vec::new();
    };
    let name = state
        .conversation(conversation)
        .map_or_else(|| conversation.to_string(), |c| state.display_name(c));
    let title = truncate(&sanitize_line(&name), 60);
    // Read-only sessions (a supervisor reviewing, often on a shared screen) say who wrote, not
    // what, unless the config asks for the text.
    let text_allowed = !state.settings.read_only || prefs.text_in_read_only;
    let body = if prefs.show_text && text_allowed {
        truncate(&sanitize_line(&newest.body), 120)
    } else {
        "New message".to_owned()
    };
    let mut effects = Vec::new();
    if prefs.bell {
        effects.push(Effect::Terminal(TerminalEffect::Bell));
    }
    if prefs.desktop {
        effects.push(Effect::Terminal(TerminalEffect::Notify { title, body }));
    }
    effects
}
