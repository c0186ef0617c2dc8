//! A conversation's thread as the app holds it: its messages, the scroll anchor, cached block
//! heights, paging state, and our sent messages waiting for their server copy.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::api::{ConversationId, Message, MessageId, NextPage, Timestamp};
use crate::app::paging::Load;

/// Where the thread viewport is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scroll {
    /// Following the newest message.
    Bottom,
    /// The viewport's top line is line `offset` of this message's block.
    Anchor {
        at: Timestamp,
        id: MessageId,
        offset: u16,
    },
}

/// Wrapped body heights per message for one width (day separators are added separately).
#[derive(Clone, Debug, Default)]
pub struct Heights {
    pub width: u16,
    /// The layout context the heights were measured in (zone, clock format, names).
    pub context: u64,
    pub map: HashMap<MessageId, u16>,
}

/// A message the server accepted, shown until its copy arrives in the thread.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outgoing {
    pub id: MessageId,
    pub body: String,
}

/// One loaded thread.
#[derive(Clone, Debug)]
pub struct Thread {
    pub conversation: ConversationId,
    /// Thread order (time, then id), each id once.
    pub messages: Vec<Message>,
    pub ids: HashSet<MessageId>,
    /// The latest page (opening the thread).
    pub latest: Load,
    /// Instants more messages share than the provider pages through: some of their messages
    /// could not be loaded, and the thread says so there ([`crate::api::Page::gaps`]).
    pub gaps: BTreeSet<Timestamp>,
    /// The cursor for older messages; `None` until the latest page arrived.
    pub older: Option<NextPage>,
    pub older_load: Load,
    pub scroll: Scroll,
    /// Messages that arrived below the viewport while scrolled up.
    pub new_below: usize,
    pub heights: Heights,
    /// `Top` was pressed: keep loading older pages and stay at the first message.
    pub seek_top: bool,
    /// A search result was chosen: load older pages until this message is loaded, then show it.
    pub seek_to: Option<(Timestamp, MessageId)>,
    /// The message a search led to, marked until the thread is left.
    pub mark: Option<MessageId>,
    /// The first message that was new when the thread was opened ("new messages" above it).
    pub divider: Option<MessageId>,
    /// Where the user had left off, until the divider is placed.
    pub unread_since: Option<Timestamp>,
    /// Sent messages whose server copy has not arrived yet (shown under the last message).
    pub outbox: Vec<Outgoing>,
    /// `AppState::version` when last opened (evicts the least recently used threads).
    pub last_used: u64,
    /// Message requests made for this thread (pages and polls), for tests and the soak.
    pub requests: u32,
}

impl Thread {
    pub fn new(conversation: ConversationId) -> Self {
        Self {
            conversation,
            messages: Vec::new(),
            ids: HashSet::new(),
            gaps: BTreeSet::new(),
            latest: Load::Idle,
            older: None,
            older_load: Load::Idle,
            scroll: Scroll::Bottom,
            new_below: 0,
            heights: Heights::default(),
            seek_top: false,
            seek_to: None,
            mark: None,
            divider: None,
            unread_since: None,
            outbox: Vec::new(),
            last_used: 0,
            requests: 0,
        }
    }

    /// True when the first message of the conversation is loaded.
    pub fn at_beginning(&self) -> bool {
        self.older == Some(NextPage::End)
    }
}
