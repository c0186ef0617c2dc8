//! `Effect`: I/O that `update` asks for. The runtime performs each one on a task and answers with
//! an `Action`, success or failure.

use super::paging::RequestId;
use crate::api::ListFilter;
use crate::api::{
    CallFilter, CallId, ConversationId, Cursor, Metadata, OutgoingMessage, Timestamp,
};
use crate::store::SavedWork;

#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// A page of the conversation list (offset 0 is also the poll of the top).
    LoadConversations {
        request: RequestId,
        offset: u64,
        limit: u32,
        /// Server-side filters (Anyreach; other providers have none).
        filter: ListFilter,
    },
    /// The whole address book (bounded pages), for names.
    LoadContacts,
    /// The latest page of a thread (`cursor: None`) or the page before `cursor`; from the local
    /// cache when `from_cache` and it holds that stretch, else from the server.
    LoadThread {
        request: RequestId,
        conversation: ConversationId,
        cursor: Option<Cursor>,
        limit: u32,
        from_cache: bool,
    },
    /// Messages at or after `since` in the open thread.
    PollThread {
        request: RequestId,
        conversation: ConversationId,
        since: Timestamp,
        /// The newest message held (Chatwoot polls by message id, `after=`).
        newest: Option<crate::api::MessageId>,
    },
    /// Messages at or after `since` in a thread that is not open (unread detection).
    Peek {
        request: RequestId,
        conversation: ConversationId,
        since: Timestamp,
    },
    /// A fresh copy of a conversation, for the metadata conflict check.
    FetchConversation {
        request: RequestId,
        conversation: ConversationId,
    },
    SaveMetadata {
        request: RequestId,
        conversation: ConversationId,
        metadata: Metadata,
    },
    /// Sent exactly once; never retried by the runtime.
    SendMessage {
        request: RequestId,
        conversation: ConversationId,
        message: OutgoingMessage,
    },
    /// Reads the thread after a send whose outcome is unknown.
    CheckSend {
        request: RequestId,
        conversation: ConversationId,
        since: Timestamp,
    },
    SendTyping {
        conversation: ConversationId,
    },
    /// Reads the drafts and edits the last session left.
    LoadWork,
    /// Reads the cached conversation list and read positions.
    LoadCache,
    /// Moves read positions forward in the cache.
    SaveSeen(Vec<(ConversationId, Timestamp)>),
    /// Full-text search of the cache.
    Search {
        request: RequestId,
        query: String,
    },
    /// A page of the calls list with the filters the server applies.
    LoadCalls {
        request: RequestId,
        offset: u64,
        limit: u32,
        filter: CallFilter,
    },
    /// One call with its stored transcript.
    LoadCall {
        request: RequestId,
        call: CallId,
    },
    /// Follow a call's live transcript (replacing any stream being followed). Events come back
    /// as `Action::CallStream`, the end as `Action::CallStreamClosed`.
    StreamTranscript {
        request: RequestId,
        call: CallId,
    },
    /// Stop following the live transcript.
    StopStream,
    /// A triage change (resolve, snooze, priority, assignment, labels). Never retried.
    DeskAction {
        request: RequestId,
        conversation: ConversationId,
        action: crate::api::desk::DeskAction,
    },
    /// Writes a snapshot of drafts and edits (atomically, off the UI task).
    SaveWork(SavedWork),
    /// Something the loop does with the terminal it owns.
    Terminal(TerminalEffect),
}

/// Effects on the terminal itself, performed by the event loop (never by a background task).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TerminalEffect {
    /// Put sanitised text on the clipboard with OSC 52.
    Copy(String),
    /// Ring the bell.
    Bell,
    /// A desktop notification (OSC 9 and OSC 777); both parts already sanitised.
    Notify { title: String, body: String },
    /// Clear the terminal and draw every cell again (stray characters a terminal drew where the
    /// app's idea of the screen differs go away).
    Redraw,
    /// Open an http(s) link with the system opener, detached.
    OpenUrl(String),
    /// Hand the terminal to `$VISUAL`/`$EDITOR` with this text; the result comes back as
    /// `Action::Edited`.
    Edit { purpose: EditPurpose, text: String },
}

/// What an external edit is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EditPurpose {
    Reply(ConversationId),
    Metadata(ConversationId),
}
