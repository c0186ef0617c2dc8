//! The runtime: performs each `Effect` on a task and answers with an `Action`, success or failure.
//!
//! It holds no state of the app. A send is performed exactly once (the client never retries a
//! POST); everything else may be retried by the client per its policy.

use std::future::Future;

use tokio::sync::mpsc::UnboundedSender;

use super::action::Action;
use super::effect::Effect;
use crate::api::{AgentPhone, ApiError, Contact, NextPage};

/// Pages of contacts read at most (100 each).
const MAX_CONTACT_PAGES: u64 = 50;

/// Runs effects against one provider account.
#[derive(Clone, Debug)]
pub struct Runtime {
    client: AgentPhone,
    tx: UnboundedSender<Action>,
}

impl Runtime {
    pub fn new(client: AgentPhone, tx: UnboundedSender<Action>) -> Self {
        Self { client, tx }
    }

    /// The provider client (stats, base URL).
    pub fn client(&self) -> &AgentPhone {
        &self.client
    }

    /// Spawns the effect; its outcome comes back on the action channel.
    pub fn run(&self, effect: Effect) {
        let client = self.client.clone();
        match effect {
            Effect::LoadConversations {
                request,
                offset,
                limit,
            } => self.answer(async move {
                let result = client.list_conversations(offset, limit).await;
                Action::ConversationsLoaded {
                    request,
                    offset,
                    result,
                }
            }),
            Effect::LoadContacts => self.answer(async move {
                Action::ContactsLoaded {
                    result: all_contacts(&client).await,
                }
            }),
            Effect::LoadThread {
                request,
                conversation,
                cursor,
                limit,
            } => self.answer(async move {
                let result = client
                    .messages_page(&conversation, cursor.as_ref(), limit)
                    .await;
                Action::ThreadLoaded {
                    request,
                    conversation,
                    result,
                }
            }),
            Effect::PollThread {
                request,
                conversation,
                since,
            } => self.answer(async move {
                let result = client.messages_since(&conversation, since, 200).await;
                Action::ThreadPolled {
                    request,
                    conversation,
                    result,
                }
            }),
            Effect::Peek {
                request,
                conversation,
                since,
            } => self.answer(async move {
                let result = client.messages_since(&conversation, since, 50).await;
                Action::Peeked {
                    request,
                    conversation,
                    result,
                }
            }),
            other => self.run_write(other),
        }
    }

    fn run_write(&self, effect: Effect) {
        let client = self.client.clone();
        match effect {
            Effect::FetchConversation {
                request,
                conversation,
            } => self.answer(async move {
                let result = client.get_conversation(&conversation, 1).await;
                Action::ConversationFetched {
                    request,
                    conversation,
                    result,
                }
            }),
            Effect::SaveMetadata {
                request,
                conversation,
                metadata,
            } => self.answer(async move {
                let result = client.update_metadata(&conversation, &metadata).await;
                Action::MetadataSaved {
                    request,
                    conversation,
                    result,
                }
            }),
            Effect::SendMessage {
                request,
                conversation,
                message,
            } => self.answer(async move {
                let result = client.send_message(&message).await;
                Action::MessageSent {
                    request,
                    conversation,
                    result,
                }
            }),
            Effect::CheckSend {
                request,
                conversation,
                since,
            } => self.answer(async move {
                let result = client.messages_since(&conversation, since, 200).await;
                Action::SendChecked {
                    request,
                    conversation,
                    result,
                }
            }),
            Effect::SendTyping { conversation } => self.answer(async move {
                Action::TypingSent {
                    result: client.send_typing(&conversation).await,
                }
            }),
            Effect::LoadConversations { .. }
            | Effect::LoadContacts
            | Effect::LoadThread { .. }
            | Effect::PollThread { .. }
            | Effect::Peek { .. } => self.run(effect),
        }
    }

    fn answer(&self, work: impl Future<Output = Action> + Send + 'static) {
        let tx = self.tx.clone();
        tokio::spawn(async move {
            // A closed channel means the app is shutting down; the answer has nobody to go to.
            let _ = tx.send(work.await);
        });
    }
}

async fn all_contacts(client: &AgentPhone) -> Result<Vec<Contact>, ApiError> {
    let mut contacts = Vec::new();
    let mut offset = 0;
    for _ in 0..MAX_CONTACT_PAGES {
        let page = client.list_contacts(offset, 100).await?;
        contacts.extend(page.items);
        match page.next {
            NextPage::More(crate::api::Cursor::Offset(next)) => offset = next,
            _ => break,
        }
    }
    Ok(contacts)
}
