//! `update`: the only function that changes `AppState`. Pure: no I/O, no clock, no spawning; it
//! returns the `Effect`s the runtime performs. Each pane's logic lives in a submodule, and the
//! submodules form a tree, not a circle: this file and `mouse` route input; `sync` (the clock and
//! due polls) and `navigate` (moves between panes) call into the panes; the panes (`thread`,
//! `conversations`, `calls`, `transcript`, `compose`, `metadata`, `side`, `search`, …) call only
//! down, into the shared leaves `reading`, `find`, `viewport`, `position`, `outcome` and
//! `status`.

mod cached;
mod calls;
mod clipboard;
mod compose;
mod conversations;
mod desk;
mod external;
mod find;
mod help;
pub mod list_filters;
mod metadata;
mod mouse;
mod navigate;
mod notify;
mod outcome;
mod position;
mod reading;
mod search;
mod side;
mod status;
mod sync;
mod thread;
mod transcript;
mod viewport;
mod work;

use ratatui::crossterm::event::{KeyEvent, KeyEventKind};

use super::action::{Action, Command};
use super::effect::Effect;
use super::paging::RequestId;
use super::state::{AppState, Focus, Overlay, View};
use crate::api::{ConversationId, Metadata};
use crate::app::view::tabs;
use crate::keymap::Mode;

pub use self::metadata::parse_metadata;

/// Shows a notice in the status bar (for messages from outside the loop, such as config warnings).
pub fn notice(state: &mut AppState, text: &str) {
    status::notify(state, text, true);
}

/// Applies one action; returns the I/O it needs.
pub fn update(state: &mut AppState, action: Action) -> Vec<Effect> {
    // Drawing by rule (STYLE.md L2), not by a `touch()` each handler must remember: every
    // input and every background result draws; the terminal writes only the cells that changed,
    // so a result that changed nothing visible costs a render and no bytes (terminal::quiet).
    let draws = draws(&action);
    let mut effects = dispatch(state, action);
    if draws {
        state.touch();
    }
    // Polls start here, whoever made them due: "poll now" is `due = now` (the tick would start
    // them too, a moment later).
    effects.extend(sync::run_due(state));
    state.keep_open_record();
    conversations::keep_selection_visible(state);
    effects.extend(cached::flush_seen(state));
    effects
}

/// Whether an action draws. Everything the user does and every answer does, except what cannot
/// change the screen: a key release, a bare pointer move, a live stream's heartbeat. The clock
/// tick draws only when the clock face changed or it started something (`sync::tick`).
fn draws(action: &Action) -> bool {
    use ratatui::crossterm::event::MouseEventKind;
    match action {
        Action::Key(key) => key.kind != KeyEventKind::Release,
        Action::Mouse(event) => event.kind != MouseEventKind::Moved,
        Action::Tick { .. }
        | Action::CallStream {
            event: crate::api::CallEvent::Heartbeat,
            ..
        } => false,
        _ => true,
    }
}

fn dispatch(state: &mut AppState, action: Action) -> Vec<Effect> {
    match action {
        Action::Start => {
            let mut effects = conversations::load_first(state);
            effects.push(Effect::LoadContacts);
            effects.push(Effect::LoadWork);
            effects.push(Effect::LoadCache);
            effects
        }
        Action::Key(key) => on_key(state, &key),
        Action::Paste(text) => on_paste(state, &text),
        Action::Command(command) => on_command(state, command),
        Action::Resize { width, height } => {
            state.chrome.width = width;
            state.chrome.height = height;
            help::clamp(state);
            let mut effects = conversations::maybe_load_more(state);
            effects.extend(viewport::maybe_prefetch(state));
            effects
        }
        Action::Tick { now } => sync::tick(state, now),
        Action::Mouse(event) => mouse::event(state, event),
        Action::Edited { purpose, result } => external::finished(state, purpose, result),
        Action::InputClosed => {
            state.chrome.should_quit = true;
            Vec::new()
        }
        Action::Resumed => {
            state.chrome.suspend = false;
            Vec::new()
        }
        answer => on_answer(state, answer),
    }
}

/// Answers from the runtime; those that carry the server's copy of the conversation whose
/// metadata is being edited also go to the editor, which follows it.
fn on_answer(state: &mut AppState, action: Action) -> Vec<Effect> {
    let copy = editor_copy(state, &action);
    let mut effects = answer(state, action);
    if let Some((request, conversation, metadata)) = copy {
        effects.extend(metadata::server_copy(
            state,
            request,
            &conversation,
            Some(metadata),
        ));
    }
    effects
}

/// Answers from the runtime: pages, polls, saves, sends, the cache, the work store.
fn answer(state: &mut AppState, action: Action) -> Vec<Effect> {
    match action {
        Action::ConversationsLoaded {
            request,
            offset,
            result,
        } => conversations::loaded(state, request, offset, result),
        Action::ContactsLoaded { result } => conversations::contacts_loaded(state, result),
        Action::DeskActionDone {
            request,
            conversation,
            result,
        } => desk::done(state, request, &conversation, result),
        Action::CountsLoaded { request, counts } => list_filters::counts(state, request, counts),
        Action::ThreadLoaded {
            request,
            conversation,
            result,
            cached,
        } => thread::loaded(state, request, &conversation, result, cached),
        Action::ThreadPolled {
            request,
            conversation,
            result,
        } => thread::polled(state, request, &conversation, result),
        Action::Peeked {
            request,
            conversation,
            result,
        } => conversations::peeked(state, request, &conversation, result),
        Action::ConversationFetched {
            request,
            conversation,
            result,
        } => metadata::fetched(state, request, &conversation, result),
        Action::MetadataSaved {
            request,
            conversation,
            result,
        } => metadata::saved(state, request, &conversation, result),
        Action::MessageSent {
            request,
            conversation,
            result,
        } => compose::sent(state, request, &conversation, result),
        Action::SendChecked {
            request,
            conversation,
            result,
        } => outcome::checked(state, request, &conversation, result),
        Action::CacheLoaded { result } => cached::loaded(state, result),
        Action::Searched { request, result } => search::results(state, request, result),
        Action::CallsLoaded {
            request,
            offset,
            result,
        } => calls::loaded(state, request, offset, result),
        Action::CallLoaded {
            request,
            call,
            result,
        } => transcript::call_loaded(state, request, &call, result),
        Action::CallStream { request, event } => transcript::stream_event(state, request, event),
        Action::CallStreamClosed { request, result } => {
            transcript::stream_closed(state, request, result)
        }
        Action::WorkLoaded { result } => work::loaded(state, result),
        Action::WorkSaved { result } => work::saved(state, result),
        Action::RecordsSkipped { counts } => {
            status::skipped(state, &counts);
            Vec::new()
        }
        // A typing indicator that did not arrive is not worth the user's attention; the other
        // actions are handled by `dispatch`.
        _ => Vec::new(),
    }
}

/// The open metadata editor's conversation as a list page, a poll or a desk action's answer
/// carries it: the request and the server's copy of its metadata.
fn editor_copy(state: &AppState, action: &Action) -> Option<(RequestId, ConversationId, Metadata)> {
    let editor = state.inbox.editor.as_ref()?;
    let (request, rows) = match action {
        Action::ConversationsLoaded {
            request,
            result: Ok(page),
            ..
        } => (*request, &page.items[..]),
        Action::DeskActionDone {
            request,
            result: Ok(row),
            ..
        } => (*request, std::slice::from_ref(row)),
        _ => return None,
    };
    let row = rows.iter().find(|c| c.id == editor.conversation)?;
    Some((request, row.id.clone(), row.metadata.clone()))
}

fn on_key(state: &mut AppState, key: &KeyEvent) -> Vec<Effect> {
    if key.kind == KeyEventKind::Release {
        return Vec::new();
    }
    let mode = state.mode();
    if let Some(command) = state.keymap.resolve(mode, key) {
        return on_command(state, command);
    }
    if help_open(state) {
        if state.chrome.help_filter_editing {
            help::input(state, key);
        }
        return Vec::new();
    }
    match mode {
        Mode::Find => find::input(state, key),
        Mode::Compose => compose::input(state, key),
        Mode::Editor => metadata::input(state, key),
        Mode::Filter if state.chrome.view == View::Calls => calls::search_input(state, key),
        Mode::Filter => conversations::filter_input(state, key),
        Mode::Search => search::input(state, key),
        _ => Vec::new(),
    }
}

fn on_paste(state: &mut AppState, text: &str) -> Vec<Effect> {
    if help_open(state) {
        if state.chrome.help_filter_editing {
            help::paste(state, text);
        }
        return Vec::new();
    }
    match state.mode() {
        Mode::Find => find::paste(state, text),
        Mode::Compose => compose::paste(state, text),
        Mode::Editor => metadata::paste(state, text),
        Mode::Filter if state.chrome.view == View::Calls => calls::search_paste(state, text),
        Mode::Filter => conversations::filter_paste(state, text),
        Mode::Search => search::paste(state, text),
        _ => Vec::new(),
    }
}

fn on_command(state: &mut AppState, command: Command) -> Vec<Effect> {
    if command == Command::Redraw {
        // The same everywhere, overlays and text entry included.
        return vec![Effect::Terminal(super::effect::TerminalEffect::Redraw)];
    }
    if help_open(state) {
        // Help's own keys, and its filter's (a text box, so in `Mode::Filter`).
        if matches!(command, Command::Quit | Command::Suspend) {
            return global_command(state, command).unwrap_or_default();
        }
        help::command(state, command);
        return Vec::new();
    }
    match state.mode() {
        Mode::Confirm => confirm_command(state, command),
        Mode::Diff => metadata::dialog_command(state, command),
        Mode::Links if matches!(state.chrome.overlay, Some(Overlay::Actions { .. })) => {
            desk::command(state, command)
        }
        Mode::Links => clipboard::links_command(state, command),
        Mode::Search => match command {
            Command::Quit | Command::Suspend => global_command(state, command).unwrap_or_default(),
            _ => search::command(state, command),
        },
        Mode::Find => match command {
            Command::Quit | Command::Suspend => global_command(state, command).unwrap_or_default(),
            _ => find::command(state, command),
        },
        mode => {
            if let Some(effects) = global_command(state, command) {
                return effects;
            }
            if let Some(effects) = shared_command(state, command) {
                return effects;
            }
            if let Some(effects) = navigate::command(state, mode, command) {
                return effects;
            }
            match mode {
                Mode::Filter if state.chrome.view == View::Calls => calls::command(state, command),
                Mode::Calls => calls::command(state, command),
                Mode::Transcript => transcript::command(state, command),
                Mode::List | Mode::Filter => match command {
                    Command::StatusFilter
                    | Command::DirectionFilter
                    | Command::ChannelFilter
                    | Command::DateFilter
                    | Command::TabNext
                    | Command::InboxFilter
                    | Command::LabelFilter => list_filters::cycle(state, command),
                    _ => conversations::command(state, command),
                },
                Mode::Thread => thread::command(state, command),
                Mode::Compose => compose::command(state, command),
                Mode::Editor => metadata::command(state, command),
                Mode::Side => side::command(state, command),
                Mode::Global
                | Mode::Confirm
                | Mode::Diff
                | Mode::Help
                | Mode::Links
                | Mode::Search
                | Mode::Find => Vec::new(),
            }
        }
    }
}

fn global_command(state: &mut AppState, command: Command) -> Option<Vec<Effect>> {
    let effects = match command {
        Command::Quit => {
            if state.unsaved_work().is_empty() {
                state.chrome.should_quit = true;
            } else {
                state.chrome.overlay = Some(Overlay::ConfirmQuit);
            }
            Vec::new()
        }
        Command::Suspend => {
            state.chrome.suspend = true;
            Vec::new()
        }
        Command::Help => {
            help::open(state);
            Vec::new()
        }
        Command::FocusNext => cycle_focus(state, true),
        Command::FocusPrev => cycle_focus(state, false),
        Command::FocusList => focus_pane(state, 1),
        Command::FocusThread => focus_pane(state, 2),
        Command::FocusSide => focus_pane(state, 3),
        Command::Refresh => refresh(state),
        Command::Search => search::open(state),
        Command::Calls => calls::toggle(state),
        Command::NextUnread => navigate::jump_unread(state, true),
        Command::PrevUnread => navigate::jump_unread(state, false),
        _ => return None,
    };
    Some(effects)
}

/// Commands several panes share; the keymap decides where they are bound.
fn shared_command(state: &mut AppState, command: Command) -> Option<Vec<Effect>> {
    let effects = match command {
        Command::CopyMessage | Command::CopyNumber | Command::CopyId => {
            clipboard::copy(state, command)
        }
        Command::OpenLink => clipboard::open_link(state),
        Command::Mute | Command::MuteAll => notify::toggle(state, command),
        Command::ExternalEditor => external::start(state),
        Command::Find => find::start(state),
        Command::Actions => desk::open(state),
        Command::FindNext => find::next(state, true),
        Command::FindPrev => find::next(state, false),
        _ => return None,
    };
    Some(effects)
}

fn help_open(state: &AppState) -> bool {
    matches!(state.chrome.overlay, Some(Overlay::Help))
}

fn confirm_command(state: &mut AppState, command: Command) -> Vec<Effect> {
    match state.chrome.overlay.take() {
        Some(Overlay::ConfirmQuit) => {
            state.chrome.should_quit = command == Command::Yes;
            Vec::new()
        }
        Some(Overlay::ConfirmDiscard) => {
            if command == Command::Yes {
                metadata::close(state);
            }
            Vec::new()
        }
        Some(Overlay::ConfirmReload) => {
            if command == Command::Yes {
                metadata::reload(state);
            }
            Vec::new()
        }
        Some(
            Overlay::Help | Overlay::Links { .. } | Overlay::Search(_) | Overlay::Actions { .. },
        )
        | None => Vec::new(),
    }
}

/// Tab order: the panes of the tab bar (`view::tabs`): list, thread (with its reply box), side
/// pane (metadata or session, or the editor when one is open).
fn cycle_focus(state: &mut AppState, forward: bool) -> Vec<Effect> {
    let order: Vec<Focus> = tabs::tabs(state).iter().map(|t| t.focus).collect();
    let current = tabs::current(state);
    let next = match order.iter().position(|f| *f == current) {
        Some(at) if forward => (at + 1) % order.len(),
        Some(at) => (at + order.len() - 1) % order.len(),
        None => 0,
    };
    if order[next] != current {
        state.chrome.focus = order[next];
    }
    Vec::new()
}

/// `1`, `2`, `3`: the pane with that number in the tab bar, or why it is not there.
fn focus_pane(state: &mut AppState, number: u8) -> Vec<Effect> {
    if let Some(tab) = tabs::tabs(state).into_iter().find(|t| t.number == number) {
        if tabs::current(state) != tab.focus {
            state.chrome.focus = tab.focus;
        }
        return Vec::new();
    }
    let why = match (number, state.chrome.view) {
        (2, View::Calls) => "No call open: enter opens the selected call",
        (2, View::Conversations) => "No conversation open: enter opens the selected one",
        (_, View::Calls) => "The calls view has two panes (wide screens show the call's facts)",
        _ => "No conversation selected",
    };
    status::notify(state, why, false);
    Vec::new()
}

/// Polls now and retries whatever failed.
fn refresh(state: &mut AppState) -> Vec<Effect> {
    state.sync.list.due = Some(state.now);
    state.sync.thread.due = Some(state.now);
    state.sync.failures = 0;
    if matches!(
        state.sync.connection,
        super::state::Connection::Offline { .. }
    ) {
        state.sync.connection = super::state::Connection::Connecting;
    }
    if state.chrome.view == View::Calls {
        let mut effects = calls::refresh(state);
        effects.extend(sync::run_due(state));
        return effects;
    }
    let mut effects = conversations::retry(state);
    effects.extend(thread::retry(state));
    effects.extend(sync::run_due(state));
    effects
}

#[cfg(test)]
mod tests;
