//! `AppState`: plain data, no channels, no handles. Only `update` changes it.

mod calls;
mod compose;
mod editor;
mod find;
mod line_input;
mod list;
mod parts;
mod search;
mod thread;

pub use self::calls::{CALL_DIRECTIONS, CALL_STATUSES, Calls, OpenCall, Stream, View, is_live};
pub use self::compose::{Draft, PendingSend, Resend, SendState};
pub use self::editor::{EditorPhase, JsonError, MetadataEditor};
pub use self::find::{Find, FindAt};
pub use self::line_input::{LineChange, LineInput};
pub use self::list::ConversationList;
pub use self::parts::{Alerts, Chrome, Inbox, Work};
pub use self::search::{SearchPanel, SearchStatus};
pub use self::thread::{Heights, Outgoing, Scroll, Thread};

use std::sync::Arc;
use std::time::Duration;

use crate::app::view::time::Zone;

use super::paging::{Load, RequestId};
use crate::api::{
    Conversation, ConversationId, Counterparty, NextPage, ProviderCapabilities, Timestamp,
};
use crate::app::view::time::TimeFormat;
use crate::keymap::{Keymap, Mode};
use crate::rng::Rng;
use crate::store::{SavedDraft, SavedEdit, SavedWork};

/// Tunables (the configuration issue exposes them; these are the defaults).
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// Conversations per list request.
    pub page_size: u32,
    /// Messages per thread request (the API's maximum).
    pub thread_page: u32,
    pub list_poll: Duration,
    pub list_poll_max: Duration,
    pub thread_poll: Duration,
    pub thread_poll_max: Duration,
    /// Longest wait between retries while offline.
    pub offline_max: Duration,
    /// Typing indicators are sent at most this often.
    pub typing_every: Duration,
    /// Supervisor mode: no sends, reactions, typing or metadata saves.
    pub read_only: bool,
    pub notifications: Notifications,
    pub time_format: TimeFormat,
    /// Mouse events are on.
    pub mouse: bool,
}

/// Notification preferences.
#[derive(Clone, Debug, PartialEq, Eq)]
#[allow(clippy::struct_excessive_bools)] // independent switches, as the config file has them
pub struct Notifications {
    pub enabled: bool,
    pub bell: bool,
    /// OSC 9 and OSC 777 desktop notifications.
    pub desktop: bool,
    /// false leaves the message text out.
    pub show_text: bool,
    /// In `--read-only` the text is left out unless this is true (a supervisor's screen is often
    /// shared; the read-only session is for looking, not for reading customers' words aloud).
    pub text_in_read_only: bool,
}

impl Default for Notifications {
    fn default() -> Self {
        Self {
            enabled: true,
            bell: true,
            desktop: true,
            show_text: true,
            text_in_read_only: false,
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            page_size: 50,
            thread_page: 200,
            list_poll: Duration::from_secs(5),
            list_poll_max: Duration::from_secs(60),
            thread_poll: Duration::from_secs(3),
            thread_poll_max: Duration::from_secs(30),
            offline_max: Duration::from_secs(60),
            typing_every: Duration::from_secs(4),
            read_only: false,
            notifications: Notifications::default(),
            time_format: TimeFormat::default(),
            mouse: false,
        }
    }
}

/// Which pane has the keyboard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Focus {
    List,
    Thread,
    Compose,
    /// The metadata editor (open).
    Editor,
    /// The side pane without an editor: the conversation's metadata or session facts, read-only
    /// and scrollable (`e` edits where the provider allows it). Pane 3 of the tab bar.
    Side,
}

/// A modal on top of the panes.
#[derive(Clone, Debug, PartialEq)]
pub enum Overlay {
    Help,
    /// Quit although drafts or edits are unsaved?
    ConfirmQuit,
    /// Close the metadata editor and drop the edit?
    ConfirmDiscard,
    /// Drop the metadata edit (not valid JSON, so no difference to show) and reload?
    ConfirmReload,
    /// The links of a message; `can_open` is false where no browser can be started (SSH).
    Links {
        urls: Vec<String>,
        selected: usize,
        can_open: bool,
    },
    /// Full-text search of the cache.
    Search(SearchPanel),
    /// Triage actions for a conversation (Chatwoot).
    Actions {
        conversation: ConversationId,
        items: Vec<(String, crate::api::desk::DeskAction)>,
        selected: usize,
    },
}

/// The connection as the status bar shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Connection {
    Connecting,
    Live,
    Offline {
        retry_at: Timestamp,
    },
    RateLimited {
        until: Timestamp,
    },
    /// The key was refused; polling slows to the maximum.
    AuthFailed,
}

/// One polling loop: when it is due, how often, and what is in flight.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Poll {
    pub interval: Duration,
    pub due: Option<Timestamp>,
    pub request: Option<RequestId>,
}

/// Polling and connection health.
#[derive(Clone, Debug, PartialEq)]
pub struct Sync {
    pub connection: Connection,
    pub last_success: Option<Timestamp>,
    /// Consecutive failed requests (drives the offline backoff).
    pub failures: u32,
    pub list: Poll,
    pub thread: Poll,
}

/// A message for the status bar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub error: bool,
    pub at: Timestamp,
    /// A failed request's notice: the next request that succeeds clears it, so an old error
    /// never stands beside "● live".
    pub until_success: bool,
}

/// Who we are connected to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub label: String,
    pub demo: bool,
}

/// Everything the app knows, in parts that say what owns what: the session's context (clock,
/// zone, account, settings, keys, capabilities) flat at the top; [`Chrome`] the screen around the
/// panes; [`Inbox`] the conversations, threads, drafts and editor; [`Calls`] the calls view;
/// [`Find`]; [`Sync`] the polls and the connection; [`Work`] what has been persisted;
/// [`Alerts`] notifications. A reducer that needs one part takes that part.
#[derive(Clone, Debug)]
pub struct AppState {
    pub now: Timestamp,
    /// When the app started: conversations first seen by a poll count as new since then.
    pub started_at: Timestamp,
    /// Local time offset for display.
    pub tz: Zone,
    pub account: Account,
    pub settings: Settings,
    pub keymap: Arc<Keymap>,
    /// What the provider offers (a calls list, server filters…), from the session's client.
    pub capabilities: ProviderCapabilities,
    /// A system opener can show links here (false over SSH or without a display).
    pub can_open_links: bool,
    /// Where the log file is, for the help overlay.
    pub log_path: Option<String>,
    pub chrome: Chrome,
    pub inbox: Inbox,
    pub calls: Calls,
    /// Find in the open thread or transcript.
    pub find: Find,
    pub sync: Sync,
    pub work: Work,
    pub alerts: Alerts,
    pub rng: Rng,
    next_request: u64,
}

impl AppState {
    pub fn new(account: Account, now: Timestamp, tz: Zone, settings: Settings) -> Self {
        let poll = |interval| Poll {
            interval,
            due: None,
            request: None,
        };
        Self {
            now,
            started_at: now,
            tz,
            account,
            keymap: Arc::new(Keymap::default()),
            capabilities: ProviderCapabilities::default(),
            can_open_links: false,
            log_path: None,
            chrome: Chrome::default(),
            inbox: Inbox::default(),
            calls: Calls::default(),
            find: Find::default(),
            sync: Sync {
                connection: Connection::Connecting,
                last_success: None,
                failures: 0,
                list: poll(settings.list_poll),
                thread: poll(settings.thread_poll),
            },
            settings,
            work: Work::default(),
            alerts: Alerts::default(),
            rng: Rng::seeded(now.timestamp().unsigned_abs()),
            next_request: 0,
        }
    }

    /// A fresh request id.
    pub fn request_id(&mut self) -> RequestId {
        self.next_request += 1;
        RequestId(self.next_request)
    }

    /// Marks the state as changed so the loop draws. Called by `update`'s drawing rule and the
    /// clock tick only: handlers never decide to draw.
    pub fn touch(&mut self) {
        self.chrome.version = self.chrome.version.wrapping_add(1);
    }

    /// The keymap mode for the current focus and overlay.
    pub fn mode(&self) -> Mode {
        match &self.chrome.overlay {
            Some(Overlay::Help) if self.chrome.help_filter_editing => return Mode::Filter,
            Some(Overlay::Help) => return Mode::Help,
            Some(Overlay::Links { .. } | Overlay::Actions { .. }) => return Mode::Links,
            Some(Overlay::Search(_)) => return Mode::Search,
            Some(Overlay::ConfirmQuit | Overlay::ConfirmDiscard | Overlay::ConfirmReload) => {
                return Mode::Confirm;
            }
            None => {}
        }
        // The difference dialog has the keyboard wherever the focus is (a save's conflict may
        // come back after the user moved on), as long as the inbox is on screen.
        if self.chrome.view != View::Calls
            && self
                .inbox
                .editor
                .as_ref()
                .is_some_and(|e| e.phase.is_dialog())
        {
            return Mode::Diff;
        }
        if self.find.editing {
            return Mode::Find;
        }
        if self.chrome.view == View::Calls {
            return match self.chrome.focus {
                Focus::List if self.calls.search_editing => Mode::Filter,
                Focus::Thread if self.calls.open.is_some() => Mode::Transcript,
                _ => Mode::Calls,
            };
        }
        match self.chrome.focus {
            Focus::List if self.inbox.list.filter_editing => Mode::Filter,
            Focus::List => Mode::List,
            Focus::Thread => Mode::Thread,
            Focus::Compose => Mode::Compose,
            Focus::Side => Mode::Side,
            Focus::Editor => Mode::Editor,
        }
    }

    /// The open thread.
    pub fn open_thread(&self) -> Option<&Thread> {
        self.inbox
            .open
            .as_ref()
            .and_then(|id| self.inbox.threads.get(id))
    }

    /// The name to show for a conversation: group name, contact name, or the number.
    pub fn display_name(&self, conversation: &Conversation) -> String {
        match &conversation.counterparty {
            Counterparty::Person(p) => p
                .name
                .clone()
                .or_else(|| self.inbox.contacts.get(&p.address).cloned())
                .or_else(|| conversation.metadata.field_text("customerName"))
                .unwrap_or_else(|| p.address.clone()),
            Counterparty::Group { name, members, .. } => name.clone().unwrap_or_else(|| {
                let names: Vec<String> = members
                    .iter()
                    .map(|m| m.name.clone().unwrap_or_else(|| m.address.clone()))
                    .collect();
                format!("Group: {}", names.join(", "))
            }),
        }
    }

    /// The name of a phone number or address, when known.
    pub fn name_of(&self, address: &str) -> Option<&str> {
        self.inbox.contacts.get(address).map(String::as_str)
    }

    /// The work to keep across runs: drafts with text (or a send not settled), an unsaved edit.
    pub fn saved_work(&self) -> SavedWork {
        let mut drafts: Vec<SavedDraft> = self
            .inbox
            .drafts
            .iter()
            .filter(|(_, d)| !d.is_empty() || d.sending.is_some())
            .map(|(id, d)| {
                let unsettled = d.sending.as_ref();
                SavedDraft {
                    conversation: id.to_string(),
                    text: unsettled.map_or_else(|| d.body(), |p| p.body.clone()),
                    unsettled_since: unsettled.map(|p| p.started_at),
                    private: d.private,
                }
            })
            .collect();
        drafts.sort_by(|a, b| a.conversation.cmp(&b.conversation));
        let edit = self
            .inbox
            .editor
            .as_ref()
            .filter(|e| e.is_dirty())
            .map(|e| SavedEdit {
                conversation: e.conversation.to_string(),
                base: e.base.clone(),
                text: e.text.lines().join("\n"),
            });
        SavedWork { drafts, edit }
    }

    /// Drafts with text and edits not saved: what quitting would lose.
    pub fn unsaved_work(&self) -> Vec<String> {
        let mut work: Vec<String> = self
            .inbox
            .drafts
            .iter()
            .filter(|(_, d)| !d.is_empty() || d.sending.is_some())
            .map(|(id, _)| {
                let name = self
                    .conversation(id)
                    .map_or_else(|| id.to_string(), |c| self.display_name(c));
                format!("a reply draft to {name}")
            })
            .collect();
        if self
            .inbox
            .editor
            .as_ref()
            .is_some_and(MetadataEditor::is_dirty)
        {
            work.push("a metadata edit".into());
        }
        work.sort();
        work
    }
}
