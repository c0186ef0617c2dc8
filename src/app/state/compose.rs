//! The reply box of a conversation: its draft, the send in flight and what is known of its
//! outcome, and whether a resend needs confirming.

use std::collections::HashSet;

use ratatui_textarea::TextArea;

use crate::api::{MessageId, Timestamp};
use crate::app::paging::RequestId;

/// Where a send stands. There is at most one per conversation; while it exists the reply box is
/// locked, so the same text can never go out twice by accident.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SendState {
    Sending,
    /// No answer we can trust: the message may or may not have been sent. The thread is checked
    /// (`check` in flight) before the user may send again.
    Unknown {
        reason: String,
        check: Option<RequestId>,
        /// When to (re)check: a moment after the failure, so a slow server has stored the message.
        check_at: Timestamp,
        /// Checks that found nothing so far; after the last one the user may send again.
        checks: u8,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingSend {
    pub request: RequestId,
    pub body: String,
    pub started_at: Timestamp,
    pub state: SendState,
    /// Outbound messages with the same text already in the thread when the send started, so the
    /// check does not mistake an old copy for this one.
    pub prior: HashSet<MessageId>,
}

/// Whether sending this text again needs a second confirmation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Resend {
    #[default]
    Free,
    /// An earlier attempt with an unknown outcome was not found: the next send only arms.
    NeedsConfirm,
    /// Confirmed: the next send goes out.
    Armed,
}

/// A reply being written, per conversation.
#[derive(Clone, Debug)]
pub struct Draft {
    pub text: TextArea<'static>,
    pub sending: Option<PendingSend>,
    /// Why the last send failed (the text stays in the box).
    pub error: Option<String>,
    pub last_typing: Option<Timestamp>,
    pub resend: Resend,
    /// An attempt judged "not sent" after its checks, still watched for a late arrival.
    pub late: Option<PendingSend>,
    /// The text is a private note for agents (Chatwoot), not a reply to the customer.
    pub private: bool,
}

impl Draft {
    /// An empty box after a send settles, still in the same mode: a second note typed at once
    /// must never go to the customer.
    #[must_use]
    pub fn emptied(&self) -> Self {
        Self {
            private: self.private,
            ..Self::new()
        }
    }

    pub fn new() -> Self {
        Self {
            text: TextArea::default(),
            sending: None,
            error: None,
            last_typing: None,
            resend: Resend::Free,
            late: None,
            private: false,
        }
    }

    /// The text as one string.
    pub fn body(&self) -> String {
        self.text.lines().join("\n")
    }

    pub fn is_empty(&self) -> bool {
        self.text.lines().iter().all(|l| l.trim().is_empty())
    }
}

impl Default for Draft {
    fn default() -> Self {
        Self::new()
    }
}
