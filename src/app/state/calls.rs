//! The calls view: the calls list with its filters, and the open call with its transcript and
//! the state of its live stream.

use super::{Load, NextPage, RequestId, Timestamp};
use crate::api::{Call, CallFilter, CallId, CallSummary, TranscriptTurn};

/// Which list the left pane shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum View {
    #[default]
    Conversations,
    Calls,
}

/// The calls list: newest first, offset paging, server-side filters.
#[derive(Clone, Debug, Default)]
pub struct Calls {
    pub items: Vec<CallSummary>,
    pub selected: usize,
    /// The first visible row.
    pub offset: usize,
    /// `None` until the first page of the current filters arrived.
    pub next: Option<NextPage>,
    pub load: Load,
    pub total: Option<u64>,
    /// The filters the server applies (the list reloads when they change).
    pub filter: CallFilter,
    /// The number being typed after `/` (applied on enter).
    pub search: super::LineInput,
    pub search_editing: bool,
    /// The reload of the first page in flight (the calls poll), if any.
    pub poll: Option<RequestId>,
    /// When the first page is due to be read again while the view is shown.
    pub poll_due: Option<Timestamp>,
    pub open: Option<OpenCall>,
}

impl Calls {
    /// The selected call's row.
    pub fn selected_call(&self) -> Option<&CallSummary> {
        self.items.get(self.selected)
    }
}

/// Where a transcript stream stands.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Stream {
    /// Not following (a finished call, or the view is hidden).
    #[default]
    Off,
    /// Following: events of `request` are applied; others are stale.
    Open { request: RequestId, connected: bool },
    /// The connection dropped; it is reopened at `at` (the replay is de-duplicated).
    Retrying { at: Timestamp },
    /// The server said the call ended.
    Ended,
    /// The stream cannot be followed (the error says why).
    Failed(String),
}

/// The open call.
#[derive(Clone, Debug)]
pub struct OpenCall {
    pub id: CallId,
    /// The call's facts as last read (or as the list row had them until then).
    pub summary: CallSummary,
    pub agent_name: Option<String>,
    pub recording_available: Option<bool>,
    /// The read of the call (facts and stored transcript).
    pub load: Load,
    pub transcript: Vec<TranscriptTurn>,
    pub stream: Stream,
    /// Lines scrolled up from the bottom; 0 follows the newest turn.
    pub back: u16,
    /// Turns that arrived below the viewport while scrolled up.
    pub new_below: usize,
    /// Reconnections since the stream last connected (the wait doubles with each).
    pub reconnects: u32,
}

impl OpenCall {
    pub fn new(summary: CallSummary) -> Self {
        Self {
            id: summary.id.clone(),
            summary,
            agent_name: None,
            recording_available: None,
            load: Load::Idle,
            transcript: Vec::new(),
            stream: Stream::Off,
            back: 0,
            new_below: 0,
            reconnects: 0,
        }
    }

    /// Takes in the call as the server has it now.
    pub fn set_call(&mut self, call: Call) {
        self.summary = call.summary;
        self.agent_name = call.agent_name;
        self.recording_available = Some(call.recording_available);
        crate::api::merge_turns(&mut self.transcript, call.transcript);
    }

    /// True while the call is going on.
    pub fn is_live(&self) -> bool {
        is_live(&self.summary.status)
    }
}

/// `in-progress` (and spellings of it): the call is going on.
pub fn is_live(status: &str) -> bool {
    matches!(
        status.to_ascii_lowercase().replace('_', "-").as_str(),
        "in-progress" | "ringing" | "active" | "live"
    )
}

/// The call statuses the status filter cycles through (then all).
pub const CALL_STATUSES: [&str; 3] = ["in-progress", "completed", "failed"];
/// The directions the direction filter cycles through (then all).
pub const CALL_DIRECTIONS: [&str; 2] = ["inbound", "outbound"];
