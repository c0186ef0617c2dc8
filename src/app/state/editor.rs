//! The metadata editor: the text, what it parses to, and where a save stands.

use ratatui_textarea::TextArea;

use crate::api::{ConversationId, Metadata};
use crate::app::paging::RequestId;

/// A JSON error with its position (1-based), for the editor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Where a metadata edit stands.
#[derive(Clone, Debug, PartialEq)]
pub enum EditorPhase {
    Editing,
    /// Fetching the conversation to see whether someone else changed the metadata.
    Checking(RequestId),
    Saving(RequestId),
    /// The server's metadata changed since the edit began: overwrite or reload?
    Conflict {
        server: Metadata,
    },
}

/// The metadata editor for one conversation.
#[derive(Clone, Debug)]
pub struct MetadataEditor {
    pub conversation: ConversationId,
    /// The metadata the edit started from (what the server had then).
    pub base: Metadata,
    pub text: TextArea<'static>,
    /// The edit parsed, or where it is wrong.
    pub parsed: Result<Metadata, JsonError>,
    pub phase: EditorPhase,
    /// Why the last save failed.
    pub error: Option<String>,
    /// The pane the editor was opened from; closing it goes back there.
    pub return_to: super::Focus,
    /// The server took the text as it stands (cleared by the next edit): "✓ saved" says so only
    /// then, never for an editor that was merely opened.
    pub saved: bool,
}

impl MetadataEditor {
    /// True when the text says something other than what the edit started from.
    pub fn is_dirty(&self) -> bool {
        self.parsed.as_ref() != Ok(&self.base)
    }
}
