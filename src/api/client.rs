//! One client for whichever provider the session talks to. The runtime calls these; what a
//! provider cannot do comes back as a clear error, and its conversations' capabilities keep the
//! UI from offering it in the first place.

use std::time::Duration;

use super::agentphone::{AgentPhone, CatchUp, StreamEnd};
use super::anyreach::{Anyreach, SessionFilter};
use super::error::ApiError;
use super::http::Http;
use super::model::{
    Call, CallEvent, CallFilter, CallId, CallSummary, Contact, Conversation, ConversationDetail,
    ConversationId, Cursor, Message, Metadata, NextPage, OutgoingMessage, Page, SentMessage,
    Timestamp,
};

/// The provider behind a session.
#[derive(Clone, Debug)]
pub enum Client {
    AgentPhone(AgentPhone),
    Anyreach(Anyreach),
}

impl From<AgentPhone> for Client {
    fn from(client: AgentPhone) -> Self {
        Self::AgentPhone(client)
    }
}

impl From<Anyreach> for Client {
    fn from(client: Anyreach) -> Self {
        Self::Anyreach(client)
    }
}

fn unsupported(what: &str) -> ApiError {
    ApiError::Validation {
        status: 0,
        field: None,
        message: format!("Anyreach has no API to {what}"),
    }
}

impl Client {
    pub fn http(&self) -> &Http {
        match self {
            Self::AgentPhone(c) => c.http(),
            Self::Anyreach(c) => c.http(),
        }
    }

    /// The provider's name, for titles and messages.
    pub fn name(&self) -> &'static str {
        match self {
            Self::AgentPhone(_) => "AgentPhone",
            Self::Anyreach(_) => "Anyreach",
        }
    }

    /// The provider has a calls list (AgentPhone); Anyreach's calls are its conversations.
    pub fn has_calls(&self) -> bool {
        matches!(self, Self::AgentPhone(_))
    }

    /// A page of conversations; `filter` applies where the provider has server filters.
    pub async fn list_conversations(
        &self,
        offset: u64,
        limit: u32,
        filter: &SessionFilter,
    ) -> Result<Page<Conversation>, ApiError> {
        match self {
            Self::AgentPhone(c) => c.list_conversations(offset, limit).await,
            Self::Anyreach(c) => c.list_conversations(offset, limit, filter).await,
        }
    }

    /// The list has server-side filters (Anyreach).
    pub fn has_list_filters(&self) -> bool {
        matches!(self, Self::Anyreach(_))
    }

    pub async fn get_conversation(
        &self,
        id: &ConversationId,
        message_limit: u32,
    ) -> Result<ConversationDetail, ApiError> {
        match self {
            Self::AgentPhone(c) => c.get_conversation(id, message_limit).await,
            Self::Anyreach(c) => c.get_conversation(id).await,
        }
    }

    /// A page of a thread. An Anyreach transcript comes whole, as one page.
    pub async fn messages_page(
        &self,
        id: &ConversationId,
        cursor: Option<&Cursor>,
        limit: u32,
    ) -> Result<Page<Message>, ApiError> {
        match self {
            Self::AgentPhone(c) => c.messages_page(id, cursor, limit).await,
            Self::Anyreach(c) => Ok(Page {
                items: c.get_conversation(id).await?.messages,
                next: NextPage::End,
                total: None,
            }),
        }
    }

    pub async fn messages_since(
        &self,
        id: &ConversationId,
        since: Timestamp,
        limit: u32,
    ) -> Result<CatchUp, ApiError> {
        match self {
            Self::AgentPhone(c) => c.messages_since(id, since, limit).await,
            Self::Anyreach(c) => c.messages_since(id, since).await,
        }
    }

    pub async fn update_metadata(
        &self,
        id: &ConversationId,
        metadata: &Metadata,
    ) -> Result<ConversationDetail, ApiError> {
        match self {
            Self::AgentPhone(c) => c.update_metadata(id, metadata).await,
            Self::Anyreach(_) => Err(unsupported("edit a conversation's metadata")),
        }
    }

    pub async fn send_message(&self, message: &OutgoingMessage) -> Result<SentMessage, ApiError> {
        match self {
            Self::AgentPhone(c) => c.send_message(message).await,
            Self::Anyreach(_) => Err(unsupported("reply as a human")),
        }
    }

    pub async fn send_typing(&self, id: &ConversationId) -> Result<(), ApiError> {
        match self {
            Self::AgentPhone(c) => c.send_typing(id).await,
            Self::Anyreach(_) => Err(unsupported("send typing indicators")),
        }
    }

    /// The address book; Anyreach has none (an empty last page).
    pub async fn list_contacts(&self, offset: u64, limit: u32) -> Result<Page<Contact>, ApiError> {
        match self {
            Self::AgentPhone(c) => c.list_contacts(offset, limit).await,
            Self::Anyreach(_) => Ok(Page {
                items: Vec::new(),
                next: NextPage::End,
                total: Some(0),
            }),
        }
    }

    pub async fn list_calls(
        &self,
        offset: u64,
        limit: u32,
        filter: &CallFilter,
    ) -> Result<Page<CallSummary>, ApiError> {
        match self {
            Self::AgentPhone(c) => c.list_calls(offset, limit, filter).await,
            Self::Anyreach(_) => Err(unsupported("list calls (its calls are conversations)")),
        }
    }

    pub async fn get_call(&self, id: &CallId) -> Result<Call, ApiError> {
        match self {
            Self::AgentPhone(c) => c.get_call(id).await,
            Self::Anyreach(_) => Err(unsupported("read calls (its calls are conversations)")),
        }
    }

    pub async fn stream_transcript(
        &self,
        id: &CallId,
        idle: Duration,
        on_event: impl FnMut(CallEvent) + Send,
    ) -> Result<StreamEnd, ApiError> {
        match self {
            Self::AgentPhone(c) => c.stream_transcript(id, idle, on_event).await,
            Self::Anyreach(_) => Err(unsupported("stream call transcripts")),
        }
    }
}
