//! The parts of `AppState` besides the panes' own (list, thread, calls, find, compose, editor).

use std::collections::{HashMap, HashSet};

use super::{
    ConversationList, Draft, Focus, MetadataEditor, Notice, Overlay, SavedWork, Thread, View,
};
use crate::api::{Conversation, ConversationId};
use crate::app::paging::RequestId;

/// The screen around the panes: its size, which pane has the keys, the overlay, the notice,
/// and the loop's flags.
#[derive(Clone, Debug)]
pub struct Chrome {
    pub width: u16,
    pub height: u16,
    pub focus: Focus,
    pub overlay: Option<Overlay>,
    /// The help overlay's first line shown; kept within the help's length by `update`.
    pub help_scroll: u16,
    /// The help overlay's filter (`/`): only keys whose name or description has the text.
    pub help_filter: super::LineInput,
    /// The help filter is being typed.
    pub help_filter_editing: bool,
    /// Which list the left pane shows.
    pub view: View,
    pub notice: Option<Notice>,
    /// Ctrl-Z was pressed: the loop hands the terminal back to the shell.
    pub suspend: bool,
    pub should_quit: bool,
    /// How far the read-only side pane is scrolled, and for which conversation: another
    /// conversation in the pane starts at its top.
    pub side_scroll: Option<(ConversationId, u16)>,
    /// Bumped by `update` when it draws (its rule, and the clock tick); the loop draws when it
    /// moves.
    pub version: u64,
}

impl Default for Chrome {
    fn default() -> Self {
        Self {
            width: 80,
            height: 24,
            focus: Focus::List,
            overlay: None,
            help_scroll: 0,
            help_filter: super::LineInput::default(),
            help_filter_editing: false,
            view: View::Conversations,
            notice: None,
            suspend: false,
            should_quit: false,
            side_scroll: None,
            version: 1,
        }
    }
}

/// The conversations: the list, the threads read, the one open, drafts, the metadata editor.
#[derive(Clone, Debug, Default)]
pub struct Inbox {
    pub list: ConversationList,
    pub threads: HashMap<ConversationId, Thread>,
    pub open: Option<ConversationId>,
    /// The open conversation as last seen in the list. A server filter or reload may drop it
    /// from the list; the open conversation stays open and intact (its header, tabs and reply
    /// box come from this record). Kept by `update` after every action.
    pub open_record: Option<Conversation>,
    pub drafts: HashMap<ConversationId, Draft>,
    pub editor: Option<MetadataEditor>,
    /// Address → name, from the address book.
    pub contacts: HashMap<String, String>,
    /// A triage change in flight (Chatwoot): its request and what it is, in words.
    pub desk_pending: Option<(RequestId, String)>,
    /// The last search typed (the search box opens with it).
    pub last_search: String,
}

/// What has been persisted: the drafts and edit on disk, and whether the last session's work and
/// the cache's read positions have been read (nothing is written before they are).
#[derive(Clone, Debug, Default)]
pub struct Work {
    /// The drafts and edit last written to disk (or restored from it).
    pub saved: SavedWork,
    /// The last session's work has been read: snapshots may be written from now on.
    pub work_loaded: bool,
    /// The cache's read positions have been read: positions may be written from now on.
    pub cache_loaded: bool,
    /// Tries at valid JSON in the external editor for the current edit.
    pub external_tries: u8,
}

/// Desktop notifications: which conversations are muted, or all.
#[derive(Clone, Debug, Default)]
pub struct Alerts {
    pub muted: HashSet<ConversationId>,
    pub mute_all: bool,
}
