//! The panes the keyboard moves between, in order, with their numbered labels. The tab bar
//! (below 100 columns) draws exactly these; `tab`, `shift-tab` and `1` `2` `3` move through
//! exactly these, so every pane the bar shows can be reached and no key lands on a pane that
//! is not there.

use crate::app::state::{AppState, Focus, View};

/// One pane of the tab bar: its number (the key that goes there), the focus it gives, its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tab {
    pub number: u8,
    pub focus: Focus,
    pub label: &'static str,
}

/// The panes that can take the keys now: the list; the thread or transcript when one is open;
/// the side pane (the editor when one is open, else the metadata or session of the open or
/// selected conversation).
pub fn tabs(state: &AppState) -> Vec<Tab> {
    let tab = |number, focus, label| Tab {
        number,
        focus,
        label,
    };
    if state.chrome.view == View::Calls {
        let mut tabs = vec![tab(1, Focus::List, "Calls")];
        if state.calls.open.is_some() {
            tabs.push(tab(2, Focus::Thread, "Transcript"));
        }
        return tabs;
    }
    let mut tabs = vec![tab(1, Focus::List, "Conversations")];
    if let Some(open) = state.inbox.open.as_ref() {
        let session = state
            .conversation(open)
            .is_some_and(|c| c.session.is_some());
        let label = if session { "Transcript" } else { "Thread" };
        tabs.push(tab(2, Focus::Thread, label));
    }
    if state.inbox.editor.is_some() {
        tabs.push(tab(3, Focus::Editor, "Metadata"));
    } else if let Some(conversation) = super::side::conversation(state) {
        let label = if conversation.session.is_some() {
            "Session"
        } else {
            "Metadata"
        };
        tabs.push(tab(3, Focus::Side, label));
    }
    tabs
}

/// The tab that holds the focus now (the reply box belongs to the thread's tab).
pub fn current(state: &AppState) -> Focus {
    match state.chrome.focus {
        Focus::Compose => Focus::Thread,
        other => other,
    }
}
