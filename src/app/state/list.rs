//! The conversation list and its filter.

use std::collections::{HashMap, HashSet};

use super::{AppState, Load, NextPage, RequestId, Timestamp};
use crate::api::{Conversation, ConversationId};

/// The conversation list: loaded rows (newest activity first), selection by id, paging, filter.
#[derive(Clone, Debug, Default)]
pub struct ConversationList {
    pub items: Vec<Conversation>,
    pub selected: Option<ConversationId>,
    /// `None` until the first page arrives.
    pub next: Option<NextPage>,
    pub load: Load,
    pub total: Option<u64>,
    /// The filter box: rows are filtered as it is typed.
    pub filter: super::LineInput,
    pub filter_editing: bool,
    /// `G` while filtering: every page is loaded so the filter sees the whole list (until the
    /// filter is cleared).
    pub load_all: bool,
    /// The first visible row (kept by `update` so clicks and scrolling agree with the screen).
    pub offset: usize,
    /// New inbound messages per conversation since it was last opened.
    pub unread: HashMap<ConversationId, u32>,
    /// Peek requests in flight (unread detection), at most one per conversation.
    pub peeks: HashMap<ConversationId, RequestId>,
    /// Conversations waiting for a peek (a few run at a time).
    pub peek_queue: std::collections::VecDeque<ConversationId>,
    /// The newest activity the user has seen per conversation (set when loaded or opened).
    pub seen: HashMap<ConversationId, Timestamp>,
    /// Read positions that moved since they were last written to the cache.
    pub seen_dirty: HashSet<ConversationId>,
    /// The rows are the cache's until the server's first page arrives.
    pub from_cache: bool,
    /// Each row's text for the filter (names, numbers, preview, metadata), lower-cased once
    /// when the row changes rather than on every key.
    pub haystack: HashMap<ConversationId, String>,
    /// Where each conversation is in `items` (rebuilt when rows are added or re-sorted).
    pub positions: HashMap<ConversationId, usize>,
    /// Filters the server applies (Anyreach: channel, status, direction, created after).
    pub server_filter: crate::api::ListFilter,
    /// Conversations per assignee tab under the current filters (Chatwoot).
    pub counts: Option<crate::api::TabCounts>,
    /// Inboxes and labels seen in loaded rows (Chatwoot), for cycling the filters through them.
    pub known_inboxes: std::collections::BTreeSet<u64>,
    pub known_labels: std::collections::BTreeSet<String>,
}

impl ConversationList {
    /// The conversation `id`, when the list holds it.
    pub fn conversation(&self, id: &ConversationId) -> Option<&Conversation> {
        match self.positions.get(id) {
            Some(&i) if self.items.get(i).is_some_and(|c| &c.id == id) => self.items.get(i),
            // Not indexed (yet): look it up the slow way.
            _ => self.items.iter().find(|c| &c.id == id),
        }
    }
}

impl AppState {
    /// A loaded conversation by id.
    pub fn conversation(&self, id: &ConversationId) -> Option<&Conversation> {
        self.inbox.list.conversation(id)
    }

    /// Rebuilds the id → row index after rows were added, replaced or re-sorted.
    pub fn reposition(&mut self) {
        self.inbox.list.positions = self
            .inbox
            .list
            .items
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.clone(), i))
            .collect();
    }

    /// Indices into `list.items` of the rows the filter lets through.
    pub fn visible_rows(&self) -> Vec<usize> {
        let needle = self.inbox.list.filter.as_str().trim().to_lowercase();
        if needle.is_empty() {
            return (0..self.inbox.list.items.len()).collect();
        }
        (0..self.inbox.list.items.len())
            .filter(|&i| self.row_matches(&self.inbox.list.items[i], &needle))
            .collect()
    }

    fn row_matches(&self, conversation: &Conversation, needle: &str) -> bool {
        match self.inbox.list.haystack.get(&conversation.id) {
            Some(hay) => hay.contains(needle),
            None => self.haystack_of(conversation).contains(needle),
        }
    }

    /// What the filter searches in a row, lower-cased.
    fn haystack_of(&self, conversation: &Conversation) -> String {
        let metadata = conversation
            .metadata
            .0
            .as_ref()
            .and_then(|m| serde_json::to_string(m).ok())
            .unwrap_or_default();
        [
            self.display_name(conversation).as_str(),
            conversation.counterparty.reply_address(),
            conversation.preview.as_deref().unwrap_or_default(),
            metadata.as_str(),
        ]
        .join("\n")
        .to_lowercase()
    }

    /// Refreshes the filter text of these rows (after they changed). The index is built the
    /// first time the filter is used, so a start with many cached rows does not pay for it.
    pub fn reindex(&mut self, ids: &[ConversationId]) {
        if self.inbox.list.haystack.is_empty() {
            return;
        }
        for id in ids {
            let hay = self.conversation(id).map(|c| self.haystack_of(c));
            match hay {
                Some(hay) => self.inbox.list.haystack.insert(id.clone(), hay),
                None => self.inbox.list.haystack.remove(id),
            };
        }
    }

    /// Builds the filter index when the filter is first used.
    pub fn ensure_index(&mut self) {
        if self.inbox.list.haystack.len() < self.inbox.list.items.len() {
            self.reindex_all();
        }
    }

    /// Refreshes every row's filter text (the address book changed the names), when the index
    /// is in use.
    pub fn reindex_all(&mut self) {
        if self.inbox.list.haystack.is_empty() && self.inbox.list.filter.as_str().trim().is_empty()
        {
            return;
        }
        let haystack = self
            .inbox
            .list
            .items
            .iter()
            .map(|c| (c.id.clone(), self.haystack_of(c)))
            .collect();
        self.inbox.list.haystack = haystack;
    }
}
