//! The runtime: performs each `Effect` on a task and answers with an `Action`, success or failure.
//!
//! It holds no state of the app. A send is performed exactly once (the client never retries a
//! POST); everything else may be retried by the client per its policy.

mod cached;
mod calls;

use std::future::Future;
use std::panic::AssertUnwindSafe;

use futures::FutureExt;
use std::sync::{Arc, Mutex};

use tokio::sync::mpsc::UnboundedSender;

use super::action::Action;
use super::effect::Effect;
use crate::api::CatchUp;
use crate::api::{ApiError, Client, Contact, ConversationId, NextPage, Timestamp};
use crate::cache::Cache;
use crate::store::{SavedWork, Store};

/// Pages of contacts read at most (100 each).
const MAX_CONTACT_PAGES: u64 = 50;

/// Runs effects against one provider account.
#[derive(Clone, Debug)]
pub struct Runtime {
    client: Client,
    tx: UnboundedSender<Action>,
    read_only: bool,
    /// Where drafts are kept; `None` keeps nothing (tests, or no data directory).
    store: Option<Store>,
    /// The local cache; `None` when it is turned off.
    cache: Option<Cache>,
    /// Snapshots are numbered so a slow older write never lands after a newer one.
    written: Arc<Mutex<u64>>,
    next_snapshot: Arc<std::sync::atomic::AtomicU64>,
    /// The live transcript being followed.
    stream: Arc<calls::StreamSlot>,
}

impl Runtime {
    /// With `read_only`, every write is refused here as well, whatever `update` asked for.
    pub fn new(client: impl Into<Client>, tx: UnboundedSender<Action>, read_only: bool) -> Self {
        Self {
            client: client.into(),
            tx,
            read_only,
            store: None,
            cache: None,
            written: Arc::new(Mutex::new(0)),
            next_snapshot: Arc::new(std::sync::atomic::AtomicU64::new(0)),
            stream: Arc::default(),
        }
    }

    /// Keeps drafts in `store`.
    #[must_use]
    pub fn with_store(mut self, store: Option<Store>) -> Self {
        self.store = store;
        self
    }

    /// Serves and keeps pages in `cache`.
    #[must_use]
    pub fn with_cache(mut self, cache: Option<Cache>) -> Self {
        self.cache = cache;
        self
    }

    /// The local cache, when there is one.
    pub fn cache(&self) -> Option<&Cache> {
        self.cache.as_ref()
    }

    /// The provider client (stats, base URL).
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Spawns the effect; its outcome comes back on the action channel.
    pub fn run(&self, effect: Effect) {
        let Some(effect) = self.run_calls(effect) else {
            return;
        };
        let client = self.client.clone();
        match effect {
            Effect::LoadConversations {
                request,
                offset,
                limit,
                filter,
            } => self.load_conversations(request, offset, limit, filter),
            Effect::LoadContacts => self.answer(async move {
                Action::ContactsLoaded {
                    result: guarded(all_contacts(&client)).await,
                }
            }),
            Effect::LoadThread {
                request,
                conversation,
                cursor,
                limit,
                from_cache,
            } => {
                let ask = cached::PageRequest {
                    request,
                    conversation,
                    cursor,
                    limit,
                    from_cache,
                };
                self.answer(cached::load_thread(client, self.cache.clone(), ask));
            }
            Effect::PollThread {
                request,
                conversation,
                since,
                newest,
            } => {
                let (client, cache) = (self.client.clone(), self.cache.clone());
                self.answer(async move {
                    let polled = client.poll(&conversation, since, 200, newest.as_ref());
                    let result = guarded(polled).await;
                    cached::record_catch_up(cache.as_ref(), &conversation, since, &result);
                    Action::ThreadPolled {
                        request,
                        conversation,
                        result,
                    }
                });
            }
            Effect::Peek {
                request,
                conversation,
                since,
            } => self.catch_up(conversation, since, 50, move |conversation, result| {
                Action::Peeked {
                    request,
                    conversation,
                    result,
                }
            }),
            Effect::LoadCache => self.answer(cached::snapshot(self.cache.clone())),
            Effect::SaveSeen(seen) => {
                if let Some(cache) = &self.cache {
                    cache.write(move |db| db.save_seen(&seen));
                }
            }
            Effect::Search { request, query } => self.search(request, query),
            Effect::LoadWork => self.load_work(),
            Effect::SaveWork(work) => self.save_work(work),
            // The event loop performs these; a runtime without a terminal (headless) drops them.
            Effect::Terminal(_) => {}
            other => self.run_write(other),
        }
    }

    fn run_write(&self, effect: Effect) {
        if self.read_only
            && let Some(refusal) = refuse_write(&effect)
        {
            let _ = self.tx.send(refusal);
            return;
        }
        let client = self.client.clone();
        match effect {
            Effect::FetchConversation {
                request,
                conversation,
            } => self.answer(async move {
                let result = guarded(client.get_conversation(&conversation, 1)).await;
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
            } => {
                let cache = self.cache.clone();
                self.answer(async move {
                    let result = guarded(client.update_metadata(&conversation, &metadata)).await;
                    if let Ok(detail) = &result {
                        let items = std::slice::from_ref(&detail.conversation);
                        cached::save_conversations(cache.as_ref(), items);
                    }
                    Action::MetadataSaved {
                        request,
                        conversation,
                        result,
                    }
                });
            }
            Effect::SendMessage {
                request,
                conversation,
                message,
            } => self.answer(async move {
                let result = guarded(client.send_message(&conversation, &message)).await;
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
            } => self.catch_up(conversation, since, 200, move |conversation, result| {
                Action::SendChecked {
                    request,
                    conversation,
                    result,
                }
            }),
            Effect::DeskAction {
                request,
                conversation,
                action,
            } => self.answer(async move {
                let result = guarded(client.desk_action(&conversation, &action)).await;
                Action::DeskActionDone {
                    request,
                    conversation,
                    result,
                }
            }),
            Effect::SendTyping { conversation } => self.answer(async move {
                Action::TypingSent {
                    result: guarded(client.send_typing(&conversation)).await,
                }
            }),
            // `run` sends only writes here; anything else would be a bug in the routing.
            other => tracing::error!("not a write, not performed: {other:?}"),
        }
    }

    /// A page of the list, written through to the cache; tab counts (Chatwoot) come first.
    fn load_conversations(
        &self,
        request: super::paging::RequestId,
        offset: u64,
        limit: u32,
        filter: crate::api::ListFilter,
    ) {
        let (client, cache, tx) = (self.client.clone(), self.cache.clone(), self.tx.clone());
        self.answer(async move {
            let listed = guarded(client.list_with_counts(offset, limit, &filter)).await;
            let result = listed.map(|(page, counts)| {
                if let Some(counts) = counts {
                    let _ = tx.send(Action::CountsLoaded { request, counts });
                }
                page
            });
            if let Ok(page) = &result {
                cached::save_conversations(cache.as_ref(), &page.items);
            }
            Action::ConversationsLoaded {
                request,
                offset,
                result,
            }
        });
    }

    /// Messages at or after `since` (poll, peek, send check), written through to the cache.
    fn catch_up(
        &self,
        conversation: ConversationId,
        since: Timestamp,
        limit: u32,
        answer: impl FnOnce(ConversationId, Result<CatchUp, ApiError>) -> Action + Send + 'static,
    ) {
        let (client, cache) = (self.client.clone(), self.cache.clone());
        self.answer(async move {
            let result = guarded(client.messages_since(&conversation, since, limit)).await;
            cached::record_catch_up(cache.as_ref(), &conversation, since, &result);
            answer(conversation, result)
        });
    }

    /// A search of the cache; one overtaken by a newer search is not answered at all.
    fn search(&self, request: super::paging::RequestId, query: String) {
        let answer = cached::search(self.cache.as_ref(), request, query);
        let tx = self.tx.clone();
        tokio::spawn(async move {
            if let Some(action) = answer.await {
                let _ = tx.send(action);
            }
        });
    }

    fn load_work(&self) {
        let store = self.store.clone();
        self.answer(async move {
            let result = match store {
                Some(store) => tokio::task::spawn_blocking(move || store.load())
                    .await
                    .map_err(|e| e.to_string())
                    .and_then(|r| r.map_err(|e| e.to_string())),
                None => Ok(SavedWork::default()),
            };
            Action::WorkLoaded { result }
        });
    }

    /// Writes a snapshot off the UI task; an older snapshot never overwrites a newer one.
    fn save_work(&self, work: SavedWork) {
        let Some(store) = self.store.clone() else {
            return;
        };
        let number = self
            .next_snapshot
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst)
            + 1;
        let written = self.written.clone();
        self.answer(async move {
            let result = tokio::task::spawn_blocking(move || {
                let mut last = written
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                if *last > number {
                    return Ok(());
                }
                *last = number;
                store.save(&work).map_err(|e| e.to_string())
            })
            .await
            .map_err(|e| e.to_string())
            .and_then(|r| r);
            Action::WorkSaved { result }
        });
    }

    /// Opens an http(s) link with the system opener, off the UI task (the opener may take a
    /// moment to report failure); its output goes nowhere near the terminal.
    pub fn open_url(&self, url: String) {
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            return;
        }
        tokio::task::spawn_blocking(move || {
            if let Err(error) = open::that_detached(&url) {
                tracing::warn!("cannot open a link: {error}");
            }
        });
    }

    /// Writes the work now, on this thread (on the way out, when no task may run any more).
    pub fn save_work_now(&self, work: &SavedWork) -> Result<(), String> {
        match &self.store {
            Some(store) => store.save(work).map_err(|e| e.to_string()),
            None => Ok(()),
        }
    }

    fn answer(&self, work: impl Future<Output = Action> + Send + 'static) {
        let tx = self.tx.clone();
        let client = self.client.clone();
        tokio::spawn(async move {
            let action = work.await;
            // A closed channel means the app is shutting down; the answer has nobody to go to.
            let _ = tx.send(action);
            // Records the work had to skip are told after its answer (whose own notice would
            // otherwise cover theirs), once each.
            let skipped = client.http().skips().take_new();
            if !skipped.is_empty() {
                let _ = tx.send(Action::RecordsSkipped { counts: skipped });
            }
        });
    }
}

/// The error text of provider work that panicked (the soak counts these as panics).
pub const PANICKED: &str = "internal error while talking to the server (a bug, see the log)";

/// Runs provider work, turning a panic (a bug) into an error the app can show, so the request it
/// answers is never left in flight forever.
async fn guarded<T>(work: impl Future<Output = Result<T, ApiError>>) -> Result<T, ApiError> {
    AssertUnwindSafe(work)
        .catch_unwind()
        .await
        .unwrap_or_else(|_| {
            Err(ApiError::Connection {
                message: PANICKED.into(),
            })
        })
}

/// The answer to a write in read-only mode; `None` for effects that only read.
fn refuse_write(effect: &Effect) -> Option<Action> {
    let refused = || ApiError::Unsupported {
        message: "switchboard runs read-only (--read-only)".into(),
    };
    match effect {
        Effect::SaveMetadata {
            request,
            conversation,
            ..
        } => Some(Action::MetadataSaved {
            request: *request,
            conversation: conversation.clone(),
            result: Err(refused()),
        }),
        Effect::SendMessage {
            request,
            conversation,
            ..
        } => Some(Action::MessageSent {
            request: *request,
            conversation: conversation.clone(),
            result: Err(refused()),
        }),
        Effect::DeskAction {
            request,
            conversation,
            ..
        } => Some(Action::DeskActionDone {
            request: *request,
            conversation: conversation.clone(),
            result: Err(refused()),
        }),
        Effect::SendTyping { .. } => Some(Action::TypingSent {
            result: Err(refused()),
        }),
        _ => None,
    }
}

async fn all_contacts(client: &Client) -> Result<Vec<Contact>, ApiError> {
    let mut contacts = Vec::new();
    let mut offset = 0;
    for _ in 0..MAX_CONTACT_PAGES {
        let page = guarded(client.list_contacts(offset, 100)).await?;
        contacts.extend(page.items);
        match page.next {
            NextPage::More(crate::api::Cursor::Offset(next)) => offset = next,
            _ => break,
        }
    }
    Ok(contacts)
}
