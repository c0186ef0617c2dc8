//! `switchboard sync`: fetch every conversation and every message into the cache, several
//! conversations at a time (each thread is paged back with its own cursors), paced so the
//! server's rate limit is never reached.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use futures::{StreamExt, TryStreamExt};

use crate::api::{AgentPhone, ApiError, Conversation, ConversationId, Cursor, MessageId, NextPage};
use crate::cache::{Cache, Span};

/// Conversations per list request (the API's maximum).
const LIST_PAGE: u32 = 100;
/// Bounds on the loops, whatever the server says.
const MAX_LIST_PAGES: u64 = 10_000;
const MAX_THREAD_PAGES: usize = 100_000;

/// How a sync runs.
#[derive(Clone, Debug)]
pub struct Options {
    /// Threads fetched at the same time (1 is plain sequential paging).
    pub concurrency: usize,
    /// Messages per request.
    pub page: u32,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            concurrency: 8,
            page: 200,
        }
    }
}

/// What a sync did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub conversations: usize,
    pub messages: usize,
    /// Requests on the wire (retries included).
    pub requests: u64,
    pub elapsed: Duration,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let secs = self.elapsed.as_secs_f64().max(1e-9);
        write!(
            f,
            "{} conversations, {} messages, {} requests in {:.2} s ({:.0} requests/s)",
            self.conversations,
            self.messages,
            self.requests,
            secs,
            f64::from(u32::try_from(self.requests).unwrap_or(u32::MAX)) / secs
        )
    }
}

/// Fetches everything (into `cache` when given). Threads whose whole history is cached already
/// only catch up on what is new.
pub async fn run(
    client: &AgentPhone,
    cache: Option<&Cache>,
    options: &Options,
) -> Result<Report, ApiError> {
    let started = Instant::now();
    let stats = client.http().stats();
    let before = stats.attempts.load(std::sync::atomic::Ordering::Relaxed);
    let conversations = all_conversations(client, options.concurrency).await?;
    if let Some(cache) = cache {
        let items = conversations.clone();
        cache.write(move |db| db.save_conversations(&items));
    }
    let messages: usize = futures::stream::iter(conversations.iter().map(|c| {
        let id = c.id.clone();
        async move { whole_thread(client, cache, &id, options.page).await }
    }))
    .buffer_unordered(options.concurrency.max(1))
    .try_fold(0, |total, n| async move { Ok(total + n) })
    .await?;
    if let Some(cache) = cache {
        cache.flush(Duration::from_secs(30));
    }
    Ok(Report {
        conversations: conversations.len(),
        messages,
        requests: stats.attempts.load(std::sync::atomic::Ordering::Relaxed) - before,
        elapsed: started.elapsed(),
    })
}

/// Every conversation: the first page says how many there are; the other pages are then
/// fetched side by side (one after another when the server does not say).
async fn all_conversations(
    client: &AgentPhone,
    concurrency: usize,
) -> Result<Vec<Conversation>, ApiError> {
    let first = client.list_conversations(0, LIST_PAGE).await?;
    let mut all = first.items;
    match (first.total, first.next) {
        (_, NextPage::End) => {}
        (Some(total), NextPage::More(_)) => {
            let offsets = (1..MAX_LIST_PAGES)
                .map(|n| n * u64::from(LIST_PAGE))
                .take_while(|offset| *offset < total);
            let pages: Vec<_> = futures::stream::iter(
                offsets.map(|offset| client.list_conversations(offset, LIST_PAGE)),
            )
            .buffered(concurrency.max(1))
            .try_collect()
            .await?;
            all.extend(pages.into_iter().flat_map(|p| p.items));
        }
        (None, NextPage::More(mut cursor)) => {
            for _ in 0..MAX_LIST_PAGES {
                let Cursor::Offset(offset) = cursor else {
                    break;
                };
                let page = client.list_conversations(offset, LIST_PAGE).await?;
                all.extend(page.items);
                match page.next {
                    NextPage::More(next) => cursor = next,
                    NextPage::End => break,
                }
            }
        }
    }
    let mut seen = HashSet::new();
    all.retain(|c| seen.insert(c.id.clone()));
    Ok(all)
}

/// Every message of one conversation, newest page first, back to the beginning; returns how many
/// messages it has.
async fn whole_thread(
    client: &AgentPhone,
    cache: Option<&Cache>,
    id: &ConversationId,
    page: u32,
) -> Result<usize, ApiError> {
    if let Some(count) = catch_up_cached(client, cache, id).await? {
        return Ok(count);
    }
    let mut ids: HashSet<MessageId> = HashSet::new();
    let mut cursor: Option<Cursor> = None;
    for _ in 0..MAX_THREAD_PAGES {
        let result = client.messages_page(id, cursor.as_ref(), page).await?;
        if let Some(cache) = cache {
            let end = result.next == NextPage::End;
            let span = match &cursor {
                Some(Cursor::Before { at, .. }) => Span::Before { at: *at, end },
                _ => Span::Latest { end },
            };
            let (conversation, items) = (id.clone(), result.items.clone());
            cache.write(move |db| db.record(&conversation, &items, &span));
        }
        ids.extend(result.items.into_iter().map(|m| m.id));
        match result.next {
            NextPage::More(next) => cursor = Some(next),
            NextPage::End => break,
        }
    }
    Ok(ids.len())
}

/// A thread cached back to its beginning only needs what came since; `None` when it is not.
async fn catch_up_cached(
    client: &AgentPhone,
    cache: Option<&Cache>,
    id: &ConversationId,
) -> Result<Option<usize>, ApiError> {
    let Some(cache) = cache else { return Ok(None) };
    let key = id.clone();
    let range = cache.call(move |db| db.range(&key)).await.ok().flatten();
    let Some(range) = range.filter(|r| r.at_beginning) else {
        return Ok(None);
    };
    let since = crate::cache::from_micros(range.hi);
    let news = client.messages_since(id, since, 200).await?;
    let span = if news.complete {
        Span::Since { since }
    } else {
        Span::Loose
    };
    let conversation = id.clone();
    let count = cache
        .call(move |db| {
            db.record(&conversation, &news.messages, &span)?;
            db.message_count(&conversation)
        })
        .await
        .unwrap_or(0);
    Ok(Some(count))
}
