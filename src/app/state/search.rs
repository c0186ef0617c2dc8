//! The search box: what is typed, the results, which one is chosen.

use crate::app::paging::RequestId;
use crate::cache::SearchHit;

/// Where a search stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SearchStatus {
    /// Too little typed to search.
    Idle,
    Searching(RequestId),
    Done,
    Failed(String),
}

/// The search overlay.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchPanel {
    /// The search box: the cache is searched as it is typed.
    pub query: super::LineInput,
    pub hits: Vec<SearchHit>,
    pub selected: usize,
    pub status: SearchStatus,
    /// The results were found for this text (they stay on screen while the next search runs).
    pub shown_for: String,
}

impl SearchPanel {
    /// The overlay with `query` in its box, the cursor at its end.
    pub fn new(query: &str) -> Self {
        Self {
            query: super::LineInput::new(query),
            hits: Vec::new(),
            selected: 0,
            status: SearchStatus::Idle,
            shown_for: String::new(),
        }
    }
}
