//! `Action`: everything that can happen. `Command` (defined with the keymap, re-exported here):
//! the subset a user can bind to a key.
//!
//! Internal events (a page arrived, a tick) are deliberately not commands, so nobody can bind
//! "page loaded" to a key.

use ratatui::crossterm::event::KeyEvent;

use super::paging::RequestId;
use crate::api::{
    ApiError, Call, CallEvent, CallId, CallSummary, Contact, Conversation, ConversationDetail,
    ConversationId, Message, Page, SentMessage, Timestamp,
};
use crate::api::{CatchUp, StreamEnd};
pub use crate::keymap::Command;
use crate::store::SavedWork;

/// Everything that can change the app.
#[derive(Debug)]
pub enum Action {
    /// The app started: load the first page, contacts.
    Start,
    /// A key, mapped through the keymap by `update`.
    Key(KeyEvent),
    /// Bracketed paste into the focused text area.
    Paste(String),
    /// A bound command (tests send these directly).
    Command(Command),
    Resize {
        width: u16,
        height: u16,
    },
    /// The clock moved on (about once a second).
    Tick {
        now: Timestamp,
    },
    ConversationsLoaded {
        request: RequestId,
        offset: u64,
        result: Result<Page<Conversation>, ApiError>,
    },
    /// A triage change was made (the conversation as it is now), or failed.
    DeskActionDone {
        request: RequestId,
        conversation: ConversationId,
        result: Result<Conversation, ApiError>,
    },
    /// The tab counts that came with a list page (Chatwoot).
    CountsLoaded {
        request: RequestId,
        counts: crate::api::TabCounts,
    },
    ContactsLoaded {
        result: Result<Vec<Contact>, ApiError>,
    },
    ThreadLoaded {
        request: RequestId,
        conversation: ConversationId,
        result: Result<Page<Message>, ApiError>,
        /// Served by the local cache (newer messages must still be asked for).
        cached: bool,
    },
    ThreadPolled {
        request: RequestId,
        conversation: ConversationId,
        result: Result<CatchUp, ApiError>,
    },
    /// New messages of a conversation that is not open, to learn whether they are inbound.
    Peeked {
        request: RequestId,
        conversation: ConversationId,
        result: Result<CatchUp, ApiError>,
    },
    /// The fresh copy fetched before saving metadata (the conflict check).
    ConversationFetched {
        request: RequestId,
        conversation: ConversationId,
        result: Result<ConversationDetail, ApiError>,
    },
    MetadataSaved {
        request: RequestId,
        conversation: ConversationId,
        result: Result<ConversationDetail, ApiError>,
    },
    MessageSent {
        request: RequestId,
        conversation: ConversationId,
        result: Result<SentMessage, ApiError>,
    },
    /// The thread as read after a send whose outcome was unknown.
    SendChecked {
        request: RequestId,
        conversation: ConversationId,
        result: Result<CatchUp, ApiError>,
    },
    TypingSent {
        result: Result<(), ApiError>,
    },
    /// The cached list and read positions (empty without a cache).
    CacheLoaded {
        result: Result<crate::cache::Snapshot, String>,
    },
    /// Search results for the query of `request`.
    Searched {
        request: RequestId,
        result: Result<Vec<crate::cache::SearchHit>, String>,
    },
    CallsLoaded {
        request: RequestId,
        offset: u64,
        result: Result<Page<CallSummary>, ApiError>,
    },
    CallLoaded {
        request: RequestId,
        call: CallId,
        result: Result<Call, ApiError>,
    },
    /// An event of the live transcript stream `request`.
    CallStream {
        request: RequestId,
        event: CallEvent,
    },
    /// The live transcript stream `request` closed (or could not open).
    CallStreamClosed {
        request: RequestId,
        result: Result<StreamEnd, ApiError>,
    },
    /// Drafts and edits saved by the last session (empty when there were none).
    WorkLoaded {
        result: Result<SavedWork, String>,
    },
    /// A snapshot of drafts and edits was written (or not).
    WorkSaved {
        result: Result<(), String>,
    },
    /// Records the provider sent that could not be read were skipped (distinct ones, by kind,
    /// each told once); the rest of their pages were used.
    RecordsSkipped {
        counts: Vec<(crate::api::lenient::RecordKind, usize)>,
    },
    /// The app came back from Ctrl-Z: everything must be drawn again.
    Resumed,
    /// The terminal stopped giving input (closed or broken): leave, keeping drafts.
    InputClosed,
    /// A mouse event (only when the mouse is turned on).
    Mouse(ratatui::crossterm::event::MouseEvent),
    /// The external editor finished: the file's text, or why it could not run.
    Edited {
        purpose: super::effect::EditPurpose,
        result: Result<String, String>,
    },
}

impl Action {
    /// The failure a provider's answer carries, if it is one that failed.
    pub fn error(&self) -> Option<&ApiError> {
        match self {
            Self::ConversationsLoaded { result: Err(e), .. }
            | Self::ContactsLoaded { result: Err(e) }
            | Self::ThreadLoaded { result: Err(e), .. }
            | Self::ThreadPolled { result: Err(e), .. }
            | Self::Peeked { result: Err(e), .. }
            | Self::ConversationFetched { result: Err(e), .. }
            | Self::MetadataSaved { result: Err(e), .. }
            | Self::MessageSent { result: Err(e), .. }
            | Self::SendChecked { result: Err(e), .. }
            | Self::TypingSent { result: Err(e) } => Some(e),
            _ => None,
        }
    }
}
