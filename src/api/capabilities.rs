//! What can be done, at two levels: [`ProviderCapabilities`], what a provider's API offers at
//! all (answered by `Client::capabilities`), and [`Capabilities`], what one conversation allows
//! within that (an opted-out number, a closed reply window, iMessage extras). The UI offers an
//! action only where both say yes; a call made anyway answers `ApiError::Unsupported`.

use serde::{Deserialize, Serialize};

/// What a provider's API lets the inbox do, whatever the conversation.
///
/// `Client::capabilities` answers it for each provider from the same dispatch whose other
/// arms answer `ApiError::Unsupported`, so the two cannot drift apart unseen (a contract test
/// holds every provider to it against the sandbox).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(clippy::struct_excessive_bools)] // independent feature flags, one per API area
pub struct ProviderCapabilities {
    /// A human can reply from the inbox.
    pub send: bool,
    /// A reply can be a private note only agents see.
    pub notes: bool,
    /// Typing indicators can be sent (the conversation says where they are delivered).
    pub typing: bool,
    /// A conversation's metadata can be replaced.
    pub edit_metadata: bool,
    /// Triage: status, priority, assignment and labels.
    pub desk_actions: bool,
    /// An address book gives numbers names.
    pub contacts: bool,
    /// A calls list, each call with its transcript (apart from the conversations).
    pub calls: bool,
    /// A call's transcript can be followed as it is spoken.
    pub live_transcript: bool,
    /// The server-side filters of the conversation list (a desk's come with tab counts).
    pub filters: FilterSet,
}

impl ProviderCapabilities {
    /// Nothing but reading conversations and their threads, which every provider offers.
    pub const READ_ONLY: Self = Self {
        send: false,
        notes: false,
        typing: false,
        edit_metadata: false,
        desk_actions: false,
        contacts: false,
        calls: false,
        live_transcript: false,
        filters: FilterSet::None,
    };
}

impl Default for ProviderCapabilities {
    /// What the inbox offers before a provider narrows it (a state built without a session):
    /// replies, typing, metadata, the address book, calls and their live transcripts; no desk,
    /// notes or server filters.
    fn default() -> Self {
        Self {
            send: true,
            typing: true,
            edit_metadata: true,
            contacts: true,
            calls: true,
            live_transcript: true,
            ..Self::READ_ONLY
        }
    }
}

/// The server-side filters a provider's conversation list has.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FilterSet {
    #[default]
    None,
    /// Status, direction, channel, created within.
    Anyreach,
    /// Assignee tab (with counts), status, inbox, label.
    Chatwoot,
}

/// What the provider lets us do in a conversation. Decides which actions the UI offers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[allow(clippy::struct_excessive_bools)] // independent feature flags, as the provider reports them
pub struct Capabilities {
    /// A human may reply from the inbox.
    pub can_send: bool,
    /// Why sending is disabled, in the provider's words.
    pub send_disabled_reason: Option<String>,
    /// Typing indicators are delivered (iMessage only on AgentPhone).
    pub typing: bool,
    /// Tapback reactions are delivered.
    pub reactions: bool,
    /// Media attachments can be sent.
    pub media: bool,
    /// The conversation's metadata can be replaced from the inbox.
    pub edit_metadata: bool,
}

impl Default for Capabilities {
    /// What a thread allows when the provider says nothing: replies and metadata, no iMessage extras.
    fn default() -> Self {
        Self {
            can_send: true,
            send_disabled_reason: None,
            typing: false,
            reactions: false,
            media: false,
            edit_metadata: true,
        }
    }
}
