//! Support-desk facts of a conversation (Chatwoot): its triage state, shown and changed from the
//! inbox.

use serde::{Deserialize, Serialize};

use super::basics::Timestamp;

/// A human agent (or team) a conversation can be assigned to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agent {
    pub id: u64,
    pub name: String,
}

/// Where a conversation stands in the desk's triage.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DeskFacts {
    /// `open`, `pending`, `snoozed`, `resolved`.
    pub status: String,
    /// `urgent`, `high`, `medium`, `low`, or none.
    pub priority: Option<String>,
    pub assignee: Option<Agent>,
    pub team: Option<String>,
    pub labels: Vec<String>,
    pub inbox_id: Option<u64>,
    pub snoozed_until: Option<Timestamp>,
}

/// A change to a conversation's triage, made from the inbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeskAction {
    /// `open` (reopen), `pending`, `resolved`, or `snoozed` until a time.
    Status {
        status: String,
        snoozed_until: Option<Timestamp>,
    },
    /// `urgent`, `high`, `medium`, `low`, `none`.
    Priority(String),
    /// Assign to the agent whose token this is.
    AssignToMe,
    /// The whole label set (it replaces the old one).
    Labels(Vec<String>),
}
