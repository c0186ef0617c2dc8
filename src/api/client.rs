//! One client for whichever provider the session talks to: the one place that dispatches on
//! the provider. The runtime calls these; [`Client::capabilities`] tells the app what the
//! provider offers, so the UI does not offer the rest, and a call to the rest comes back as
//! `ApiError::Unsupported`.

use super::agentphone::{AgentPhone, STREAM_IDLE};
use super::anyreach::Anyreach;
use super::chatwoot;
use super::chatwoot::{Chatwoot, ChatwootPublic, DeskQuery};
use super::error::ApiError;
use super::http::Http;
use super::model::{
    Call, CallEvent, CallFilter, CallId, CallSummary, Contact, Conversation, ConversationDetail,
    ConversationId, Cursor, Message, Metadata, NextPage, OutgoingMessage, Page, SentMessage,
    Timestamp,
};
use super::model::{CatchUp, StreamEnd};
use super::model::{FilterSet, ListFilter, ProviderCapabilities};

/// The provider behind a session.
#[derive(Clone, Debug)]
pub enum Client {
    AgentPhone(AgentPhone),
    Anyreach(Anyreach),
    Chatwoot(Chatwoot),
    /// Chatwoot's public client API: one contact's view of its conversations.
    ChatwootPublic(ChatwootPublic),
}

impl From<ChatwootPublic> for Client {
    fn from(client: ChatwootPublic) -> Self {
        Self::ChatwootPublic(client)
    }
}

impl From<Chatwoot> for Client {
    fn from(client: Chatwoot) -> Self {
        Self::Chatwoot(client)
    }
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

/// The Chatwoot query of a list filter: all assignees and open conversations unless chosen.
fn desk_query(filter: &ListFilter) -> DeskQuery {
    DeskQuery {
        assignee: filter.assignee.clone().unwrap_or_else(|| "all".into()),
        status: filter.status.clone().unwrap_or_else(|| "open".into()),
        inbox: filter.inbox,
        label: filter.label.clone(),
    }
}

fn unsupported(provider: &str, what: &str) -> ApiError {
    ApiError::Unsupported {
        message: format!("{provider} has no API to {what}"),
    }
}

/// Pages a Chatwoot thread back from its newest message until `since` is passed.
async fn chatwoot_since(
    c: &Chatwoot,
    id: &ConversationId,
    since: Timestamp,
) -> Result<CatchUp, ApiError> {
    let mut collected: Vec<Message> = Vec::new();
    let mut cursor = None;
    for _ in 0..10 {
        let page = c.messages_page(id, cursor.as_ref()).await?;
        let passed = page.items.first().is_none_or(|m| m.sent_at < since);
        collected.extend(page.items.into_iter().filter(|m| m.sent_at >= since));
        match page.next {
            NextPage::More(next) if !passed => cursor = Some(next),
            _ => {
                collected.sort_by_key(|m| m.sent_at);
                return Ok(CatchUp {
                    messages: collected,
                    complete: true,
                    gaps: Vec::new(),
                });
            }
        }
    }
    Ok(CatchUp {
        messages: collected,
        complete: false,
        gaps: Vec::new(),
    })
}

impl Client {
    pub fn http(&self) -> &Http {
        match self {
            Self::AgentPhone(c) => c.http(),
            Self::Anyreach(c) => c.http(),
            Self::Chatwoot(c) => c.http(),
            Self::ChatwootPublic(c) => c.http(),
        }
    }

    /// The provider's name, for titles and messages.
    pub fn name(&self) -> &'static str {
        match self {
            Self::AgentPhone(_) => "AgentPhone",
            Self::Anyreach(_) => "Anyreach",
            Self::Chatwoot(_) => "Chatwoot",
            Self::ChatwootPublic(_) => "Chatwoot (public API)",
        }
    }

    /// What the provider offers; each `false` is a call below that answers
    /// `ApiError::Unsupported` (or, for contacts, an empty book). Anyreach's calls are its
    /// conversations, so it has no calls list of its own.
    pub fn capabilities(&self) -> ProviderCapabilities {
        let read_only = ProviderCapabilities::READ_ONLY;
        match self {
            Self::AgentPhone(_) => ProviderCapabilities {
                send: true,
                typing: true,
                edit_metadata: true,
                contacts: true,
                calls: true,
                live_transcript: true,
                ..read_only
            },
            Self::Anyreach(_) => ProviderCapabilities {
                filters: FilterSet::Anyreach,
                ..read_only
            },
            Self::Chatwoot(_) => ProviderCapabilities {
                send: true,
                notes: true,
                edit_metadata: true,
                desk_actions: true,
                filters: FilterSet::Chatwoot,
                ..read_only
            },
            Self::ChatwootPublic(_) => ProviderCapabilities {
                send: true,
                ..read_only
            },
        }
    }

    /// A page of conversations; `filter` applies where the provider has server filters.
    pub async fn list_conversations(
        &self,
        offset: u64,
        limit: u32,
        filter: &ListFilter,
    ) -> Result<Page<Conversation>, ApiError> {
        match self {
            Self::AgentPhone(c) => c.list_conversations(offset, limit).await,
            Self::Anyreach(c) => c.list_conversations(offset, limit, filter).await,
            Self::Chatwoot(_) => Ok(Box::pin(self.list_with_counts(offset, limit, filter))
                .await?
                .0),
            Self::ChatwootPublic(c) => Ok(Page {
                items: c
                    .conversations()
                    .await?
                    .into_iter()
                    .map(|d| d.conversation)
                    .collect(),
                next: NextPage::End,
                total: None,
                gaps: Vec::new(),
            }),
        }
    }

    /// A page of conversations and, where the provider reports them, the tab counts.
    pub async fn list_with_counts(
        &self,
        offset: u64,
        limit: u32,
        filter: &ListFilter,
    ) -> Result<(Page<Conversation>, Option<super::model::TabCounts>), ApiError> {
        let Self::Chatwoot(c) = self else {
            return Ok((self.list_conversations(offset, limit, filter).await?, None));
        };
        let size = chatwoot::PAGE as u64;
        let number = u32::try_from(offset / size + 1).unwrap_or(u32::MAX);
        let (mut page, counts) = c.list_conversations(number, &desk_query(filter)).await?;
        if let NextPage::More(_) = page.next {
            page.next = NextPage::More(Cursor::Offset(offset + size));
        }
        Ok((page, Some(counts)))
    }

    pub async fn get_conversation(
        &self,
        id: &ConversationId,
        message_limit: u32,
    ) -> Result<ConversationDetail, ApiError> {
        match self {
            Self::AgentPhone(c) => c.get_conversation(id, message_limit).await,
            Self::Anyreach(c) => c.get_conversation(id).await,
            Self::Chatwoot(c) => Ok(ConversationDetail {
                conversation: c.get_conversation(id).await?,
                messages: c.messages_page(id, None).await?.items,
            }),
            Self::ChatwootPublic(c) => c.conversation(id).await,
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
            Self::Chatwoot(c) => c.messages_page(id, cursor).await,
            Self::ChatwootPublic(c) => Ok(Page {
                items: c.conversation(id).await?.messages,
                next: NextPage::End,
                total: None,
                gaps: Vec::new(),
            }),
            Self::Anyreach(c) => Ok(Page {
                items: c.get_conversation(id).await?.messages,
                next: NextPage::End,
                total: None,
                gaps: Vec::new(),
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
            Self::Chatwoot(c) => chatwoot_since(c, id, since).await,
            Self::ChatwootPublic(c) => {
                let all = c.conversation(id).await?.messages;
                Ok(CatchUp {
                    messages: all.into_iter().filter(|m| m.sent_at >= since).collect(),
                    complete: true,
                    gaps: Vec::new(),
                })
            }
        }
    }

    /// New messages of the open thread: by message id where the provider pages by id
    /// (Chatwoot's `after=`), else by time.
    pub async fn poll(
        &self,
        id: &ConversationId,
        since: Timestamp,
        limit: u32,
        newest: Option<&super::MessageId>,
    ) -> Result<CatchUp, ApiError> {
        let after = newest.and_then(chatwoot::wire::numeric);
        match (self, after) {
            // One before the newest, so the newest comes again with its current status.
            (Self::Chatwoot(c), Some(after)) => c.messages_after(id, after.saturating_sub(1)).await,
            _ => self.messages_since(id, since, limit).await,
        }
    }

    pub async fn update_metadata(
        &self,
        id: &ConversationId,
        metadata: &Metadata,
    ) -> Result<ConversationDetail, ApiError> {
        match self {
            Self::AgentPhone(c) => c.update_metadata(id, metadata).await,
            Self::Anyreach(_) => Err(unsupported("Anyreach", "edit a conversation's metadata")),
            Self::ChatwootPublic(_) => Err(unsupported(
                "Chatwoot's public API",
                "edit a conversation (a contact can only write)",
            )),
            Self::Chatwoot(c) => {
                c.set_custom_attributes(id, metadata).await?;
                Ok(ConversationDetail {
                    conversation: c.get_conversation(id).await?,
                    messages: Vec::new(),
                })
            }
        }
    }

    /// Sends a reply in `conversation` (AgentPhone addresses it by number, Chatwoot by id).
    pub async fn send_message(
        &self,
        conversation: &ConversationId,
        message: &OutgoingMessage,
    ) -> Result<SentMessage, ApiError> {
        match self {
            Self::AgentPhone(c) => c.send_message(message).await,
            Self::Anyreach(_) => Err(unsupported("Anyreach", "reply as a human")),
            Self::ChatwootPublic(c) => {
                let sent = c.send(conversation, &message.body).await?;
                Ok(SentMessage {
                    id: sent.id,
                    status: super::DeliveryStatus::Sent,
                    channel: None,
                    conversation_id: Some(conversation.clone()),
                })
            }
            Self::Chatwoot(c) => {
                let sent = c
                    .send_message(conversation, &message.body, message.private)
                    .await?;
                Ok(SentMessage {
                    id: sent.id,
                    status: sent
                        .delivery
                        .map_or(super::DeliveryStatus::Sent, |d| d.status),
                    channel: None,
                    conversation_id: Some(conversation.clone()),
                })
            }
        }
    }

    pub async fn send_typing(&self, id: &ConversationId) -> Result<(), ApiError> {
        match self {
            Self::AgentPhone(c) => c.send_typing(id).await,
            Self::Anyreach(_) => Err(unsupported("Anyreach", "send typing indicators")),
            Self::Chatwoot(_) | Self::ChatwootPublic(_) => {
                Err(unsupported("Chatwoot", "send typing indicators here"))
            }
        }
    }

    /// A triage change (Chatwoot); the conversation as it is afterwards.
    pub async fn desk_action(
        &self,
        id: &ConversationId,
        action: &super::desk::DeskAction,
    ) -> Result<Conversation, ApiError> {
        match self {
            Self::Chatwoot(c) => c.act(id, action).await,
            other => Err(unsupported(
                other.name(),
                "change a conversation's status or labels",
            )),
        }
    }

    /// The address book; Anyreach has none (an empty last page).
    pub async fn list_contacts(&self, offset: u64, limit: u32) -> Result<Page<Contact>, ApiError> {
        match self {
            Self::AgentPhone(c) => c.list_contacts(offset, limit).await,
            Self::Anyreach(_) | Self::Chatwoot(_) | Self::ChatwootPublic(_) => Ok(Page {
                items: Vec::new(),
                next: NextPage::End,
                total: Some(0),
                gaps: Vec::new(),
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
            Self::Anyreach(_) => Err(unsupported(
                "Anyreach",
                "list calls (its calls are conversations)",
            )),
            Self::Chatwoot(_) | Self::ChatwootPublic(_) => {
                Err(unsupported("Chatwoot", "list calls"))
            }
        }
    }

    pub async fn get_call(&self, id: &CallId) -> Result<Call, ApiError> {
        match self {
            Self::AgentPhone(c) => c.get_call(id).await,
            Self::Anyreach(_) => Err(unsupported(
                "Anyreach",
                "read calls (its calls are conversations)",
            )),
            Self::Chatwoot(_) | Self::ChatwootPublic(_) => {
                Err(unsupported("Chatwoot", "read calls"))
            }
        }
    }

    /// Follows a call's transcript as it is spoken, until the call ends; silence longer than
    /// the provider's heartbeat allows counts as a dead connection.
    pub async fn stream_transcript(
        &self,
        id: &CallId,
        on_event: impl FnMut(CallEvent) + Send,
    ) -> Result<StreamEnd, ApiError> {
        match self {
            Self::AgentPhone(c) => c.stream_transcript(id, STREAM_IDLE, on_event).await,
            Self::Anyreach(_) => Err(unsupported("Anyreach", "stream call transcripts")),
            Self::Chatwoot(_) | Self::ChatwootPublic(_) => {
                Err(unsupported("Chatwoot", "stream call transcripts"))
            }
        }
    }
}
