//! Copying (OSC 52, which works over SSH and in tmux) and opening links.
//!
//! Copy and open act on the highlighted message: the last one whose first line is on screen.
//! Where no browser can be started (an SSH session), links are shown in a list to copy instead.

use super::{status, viewport};
use crate::api::{ConversationId, Message};
use crate::app::action::Command;
use crate::app::effect::{Effect, TerminalEffect};
use crate::app::state::{AppState, Focus, Overlay};
use crate::text::{sanitize, sanitize_line};

/// The conversation a list or thread command is about: the selected row from the list, the
/// open thread from elsewhere.
pub(super) fn current_conversation(state: &AppState) -> Option<ConversationId> {
    if state.chrome.focus == Focus::List {
        state.inbox.list.selected.clone()
    } else {
        state
            .inbox
            .open
            .clone()
            .or_else(|| state.inbox.list.selected.clone())
    }
}

/// The text a copy puts on the clipboard: the body, then any media links.
fn message_text(message: &Message) -> String {
    let mut text = message.body.clone();
    for url in &message.media {
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(url);
    }
    text
}

/// `y`, `Y`, `I`: copy the message, the number, the conversation id.
pub fn copy(state: &mut AppState, command: Command) -> Vec<Effect> {
    let copied = if state.chrome.view == crate::app::state::View::Calls {
        call_copy(state, command)
    } else {
        conversation_copy(state, command)
    };
    let Some((text, what)) = copied else {
        status::notify(state, "Nothing to copy here", false);
        return Vec::new();
    };
    // The clipboard is a sink outside the screen: it gets sanitised text too.
    let clean = sanitize(&text).into_owned();
    status::notify(
        state,
        &format!("Copied {what} ({} characters)", clean.chars().count()),
        false,
    );
    vec![Effect::Terminal(TerminalEffect::Copy(clean))]
}

/// In the calls view: the transcript, the caller's number, the call id.
fn call_copy(state: &AppState, command: Command) -> Option<(String, &'static str)> {
    let open = state
        .calls
        .open
        .as_ref()
        .filter(|_| state.chrome.focus != Focus::List);
    let summary = match open {
        Some(open) => &open.summary,
        None => state.calls.selected_call()?,
    };
    match command {
        Command::CopyMessage => {
            let open = open?;
            Some((
                crate::app::view::transcript::plain_text(open),
                "the transcript",
            ))
        }
        Command::CopyNumber => Some((summary.other_party().to_owned(), "the number")),
        Command::CopyId => Some((summary.id.to_string(), "the call id")),
        _ => None,
    }
}

fn conversation_copy(state: &mut AppState, command: Command) -> Option<(String, &'static str)> {
    let conversation = current_conversation(state);
    match command {
        Command::CopyMessage => {
            viewport::highlighted_message(state).map(|m| (message_text(&m), "the message"))
        }
        Command::CopyNumber => conversation
            .as_ref()
            .and_then(|id| state.conversation(id))
            .map(|c| (c.counterparty.reply_address().to_owned(), "the number")),
        Command::CopyId => conversation.map(|id| (id.to_string(), "the conversation id")),
        _ => None,
    }
}

/// The http(s) links of a message: its media, then URLs in its text, each once.
pub fn links(message: &Message) -> Vec<String> {
    let mut urls: Vec<String> = message.media.clone();
    for word in message.body.split_whitespace() {
        let Some(start) = word.find("https://").or_else(|| word.find("http://")) else {
            continue;
        };
        let url = word[start..]
            .trim_end_matches(['.', ',', ';', ':', '!', '?', ')', ']', '"', '\'', '>']);
        if !urls.iter().any(|u| u == url) {
            urls.push(url.to_owned());
        }
    }
    urls.retain(|u| u.starts_with("https://") || u.starts_with("http://"));
    urls
}

/// `o`: open the highlighted message's link, or list its links.
pub fn open_link(state: &mut AppState) -> Vec<Effect> {
    let urls = viewport::highlighted_message(state)
        .map(|m| links(&m))
        .unwrap_or_default();
    if urls.is_empty() {
        status::notify(state, "The highlighted message has no links", false);
        return Vec::new();
    }
    if urls.len() == 1 && state.can_open_links {
        return open(state, &urls[0]);
    }
    state.chrome.overlay = Some(Overlay::Links {
        urls,
        selected: 0,
        can_open: state.can_open_links,
    });
    Vec::new()
}

fn open(state: &mut AppState, url: &str) -> Vec<Effect> {
    status::notify(state, &format!("Opening {}", sanitize_line(url)), false);
    vec![Effect::Terminal(TerminalEffect::OpenUrl(url.to_owned()))]
}

/// Keys in the links list.
pub fn links_command(state: &mut AppState, command: Command) -> Vec<Effect> {
    let Some(Overlay::Links {
        urls,
        selected,
        can_open,
    }) = state.chrome.overlay.clone()
    else {
        return Vec::new();
    };
    let url = urls.get(selected).cloned().unwrap_or_default();
    match command {
        Command::Down | Command::Up => {
            let next = if command == Command::Down {
                (selected + 1).min(urls.len().saturating_sub(1))
            } else {
                selected.saturating_sub(1)
            };
            state.chrome.overlay = Some(Overlay::Links {
                urls,
                selected: next,
                can_open,
            });
            Vec::new()
        }
        Command::Open if can_open => {
            state.chrome.overlay = None;
            open(state, &url)
        }
        Command::Open => {
            status::notify(
                state,
                "No browser can be started here (SSH?): press y to copy the link",
                true,
            );
            Vec::new()
        }
        Command::CopyMessage => {
            state.chrome.overlay = None;
            let clean = sanitize_line(&url);
            status::notify(state, "Copied the link", false);
            vec![Effect::Terminal(TerminalEffect::Copy(clean))]
        }
        _ => {
            state.chrome.overlay = None;
            Vec::new()
        }
    }
}
