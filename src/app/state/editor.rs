//! The metadata editor: the text, what it parses to, where a save stands, and what the server's
//! copy did meanwhile.

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
    /// Found when saving: the server's metadata changed since the edit began. The dialog shows
    /// the difference key by key: overwrite or reload?
    Conflict {
        server: Metadata,
    },
    /// The difference on request (`ctrl-d`), or before a reload that would drop the edit
    /// (`ctrl-r`, then `reload` says so): yours against the server's copy as last seen.
    Comparing {
        reload: bool,
    },
}

impl EditorPhase {
    /// The difference dialog is up (conflict or comparison): its keys have the keyboard.
    pub fn is_dialog(&self) -> bool {
        matches!(self, Self::Conflict { .. } | Self::Comparing { .. })
    }
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
    /// The text was replaced by a newer server copy (no edit was lost; cleared by the next edit).
    pub reloaded: bool,
    /// A server copy newer than `base`, seen while the edit was kept (the banner "changed on
    /// the server"). Saving still checks against `base`, so it cannot clobber it silently.
    pub newer: Option<Metadata>,
    /// The request whose answer the editor's idea of the server's copy comes from: answers to
    /// earlier requests may be older than it and are not taken as news.
    pub seen: RequestId,
    /// The text is out in `$EDITOR`: it counts as an edit (a server change must not reload the
    /// text under it).
    pub away: bool,
    /// The first line shown of the difference dialog's body.
    pub diff_scroll: usize,
}

impl MetadataEditor {
    /// A fresh editor on `base`, with `text` (the user's text or `base` as JSON), after `seen`.
    pub fn new(
        conversation: ConversationId,
        base: Metadata,
        text: TextArea<'static>,
        parsed: Result<Metadata, JsonError>,
        return_to: super::Focus,
        seen: RequestId,
    ) -> Self {
        Self {
            conversation,
            base,
            text,
            parsed,
            phase: EditorPhase::Editing,
            error: None,
            return_to,
            saved: false,
            reloaded: false,
            newer: None,
            seen,
            away: false,
            diff_scroll: 0,
        }
    }

    /// True when the text says something other than what the edit started from.
    pub fn is_dirty(&self) -> bool {
        self.parsed.as_ref() != Ok(&self.base)
    }

    /// True when a server change must not replace the text: it holds an edit, or is in
    /// `$EDITOR`.
    pub fn keeps_edit(&self) -> bool {
        self.is_dirty() || self.away
    }

    /// The server's copy as last seen: the newer one, else the one the edit started from.
    pub fn server(&self) -> &Metadata {
        self.newer.as_ref().unwrap_or(&self.base)
    }

    /// What the difference dialog compares yours against, while it is up.
    pub fn theirs(&self) -> Option<&Metadata> {
        match &self.phase {
            EditorPhase::Conflict { server } => Some(server),
            EditorPhase::Comparing { .. } => Some(self.server()),
            _ => None,
        }
    }
}
