//! The runtime's side of the local cache: pages served from it when it holds them, and every
//! answer from the server written through to it (off the UI task, on the cache thread).

use super::guarded;
use crate::api::CatchUp;
use crate::api::{
    ApiError, Client, Conversation, ConversationId, Cursor, Message, NextPage, Page, Timestamp,
};
use crate::app::action::Action;
use crate::app::paging::RequestId;
use crate::cache::{Cache, Snapshot, Span};

/// Search results shown at most.
const MAX_SEARCH_HITS: usize = 60;

/// What a thread page request asks for.
pub struct PageRequest {
    pub request: RequestId,
    pub conversation: ConversationId,
    pub cursor: Option<Cursor>,
    pub limit: u32,
    pub from_cache: bool,
}

/// A page of a thread: from the cache when it holds the stretch, else from the server (and then
/// written to the cache).
pub async fn load_thread(client: Client, cache: Option<Cache>, ask: PageRequest) -> Action {
    if ask.from_cache
        && let Some(cache) = &cache
        && let Some(page) = cached_page(cache, &ask).await
    {
        return Action::ThreadLoaded {
            request: ask.request,
            conversation: ask.conversation,
            result: Ok(page),
            cached: true,
        };
    }
    let result =
        guarded(client.messages_page(&ask.conversation, ask.cursor.as_ref(), ask.limit)).await;
    if let (Some(cache), Ok(page)) = (&cache, &result) {
        let end = page.next == NextPage::End;
        let span = match &ask.cursor {
            None => Span::Latest { end },
            Some(Cursor::Before { at, .. }) => Span::Before { at: *at, end },
            Some(_) => Span::Loose,
        };
        record(cache, &ask.conversation, page.items.clone(), span);
        record_gaps(cache, &ask.conversation, &page.gaps);
    }
    Action::ThreadLoaded {
        request: ask.request,
        conversation: ask.conversation,
        result,
        cached: false,
    }
}

/// The cached page for a request, or `None` when the server must answer (a cache error is
/// logged and the server asked instead: the cache never stands in the way).
async fn cached_page(cache: &Cache, ask: &PageRequest) -> Option<Page<Message>> {
    let conversation = ask.conversation.clone();
    let limit = ask.limit;
    let result = match ask.cursor.clone() {
        None => {
            cache
                .call(move |db| db.latest_page(&conversation, limit))
                .await
        }
        Some(Cursor::Before { at, inclusive }) => {
            cache
                .call(move |db| db.page_before(&conversation, at, inclusive, limit))
                .await
        }
        Some(_) => return None,
    };
    result.unwrap_or_else(|error| {
        tracing::warn!("cache read failed, asking the server: {error}");
        None
    })
}

/// Writes messages of one conversation with what they are known to cover.
pub fn record(cache: &Cache, conversation: &ConversationId, messages: Vec<Message>, span: Span) {
    let conversation = conversation.clone();
    cache.write(move |db| db.record(&conversation, &messages, &span));
}

/// Writes a catch-up (poll, peek, send check): a complete one extends the cached stretch.
pub fn record_catch_up(
    cache: Option<&Cache>,
    conversation: &ConversationId,
    since: Timestamp,
    result: &Result<CatchUp, ApiError>,
) {
    if let (Some(cache), Ok(catch_up)) = (cache, result) {
        let span = if catch_up.complete {
            Span::Since { since }
        } else {
            Span::Loose
        };
        record(cache, conversation, catch_up.messages.clone(), span);
        record_gaps(cache, conversation, &catch_up.gaps);
    }
}

/// Notes instants whose messages could not all be loaded, so the cached thread marks them too.
fn record_gaps(cache: &Cache, conversation: &ConversationId, gaps: &[Timestamp]) {
    if !gaps.is_empty() {
        let (conversation, gaps) = (conversation.clone(), gaps.to_vec());
        cache.write(move |db| db.record_gaps(&conversation, &gaps));
    }
}

/// Writes conversations as the server last described them.
pub fn save_conversations(cache: Option<&Cache>, items: &[Conversation]) {
    if let Some(cache) = cache {
        let items = items.to_vec();
        cache.write(move |db| db.save_conversations(&items));
    }
}

/// The cached list and read positions; empty without a cache.
pub async fn snapshot(cache: Option<Cache>) -> Action {
    let result = match cache {
        Some(cache) => cache
            .call(crate::cache::Db::snapshot)
            .await
            .map_err(|e| e.to_string()),
        None => Ok(Snapshot::default()),
    };
    Action::CacheLoaded { result }
}

/// Queues a search now (searches run in the order they were asked for, and one overtaken by a
/// newer one is skipped); the future answers `None` when it was skipped.
pub fn search(
    cache: Option<&Cache>,
    request: RequestId,
    query: String,
) -> impl Future<Output = Option<Action>> + Send + 'static {
    let queued = cache.map(|cache| cache.search(query, MAX_SEARCH_HITS));
    async move {
        let result = match queued {
            None => Err("search needs the local cache, which is turned off".into()),
            Some(answer) => match answer.await {
                Ok(Some(hits)) => Ok(hits),
                Ok(None) => return None,
                Err(error) => Err(error.to_string()),
            },
        };
        Some(Action::Searched { request, result })
    }
}
