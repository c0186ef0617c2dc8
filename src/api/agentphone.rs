//! The AgentPhone REST client (`providers.md` section 1).
//!
//! Message cursors are timestamps and several messages can share one, so paging backwards asks for
//! the boundary instant again (`inclusive`) and the caller de-duplicates by id: nothing is skipped.
//! When a whole page sits on the boundary instant (more than a page of messages in one instant),
//! that instant is asked for alone with the largest page the API gives (200), and the next cursor
//! becomes exclusive so paging always makes progress. The API has no cursor finer than a time and
//! no offset for messages, so more than 200 messages at one instant cannot all be read: that
//! instant is reported as a gap ([`Page::gaps`]), never passed over in silence.

mod calls;
pub(crate) mod wire;

pub use self::calls::STREAM_IDLE;

use chrono::{Duration as TimeDelta, SecondsFormat};
use reqwest::Method;
use serde_json::{Value, json};

use self::wire::SendWire;
use super::error::ApiError;
use super::http::{Http, HttpConfig, segment};
use super::lenient::{RecordKind, records, same_id};
use super::model::{
    CatchUp, Contact, Conversation, ConversationDetail, ConversationId, Cursor, Message, MessageId,
    Metadata, NextPage, OutgoingMessage, Page, SentMessage, Timestamp,
};

/// The production API host.
pub const DEFAULT_BASE_URL: &str = "https://api.agentphone.ai";
/// Most conversations per list request (documented maximum).
pub const MAX_CONVERSATIONS_PER_PAGE: u32 = 100;
/// Most messages per messages request (documented maximum).
pub const MAX_MESSAGES_PER_PAGE: u32 = 200;
/// Most messages embedded in a conversation detail (documented maximum).
pub const MAX_DETAIL_MESSAGES: u32 = 100;
/// Pages fetched at most when catching up on new messages in one poll.
const MAX_CATCH_UP_PAGES: usize = 10;

/// A client for one AgentPhone account.
#[derive(Clone, Debug)]
pub struct AgentPhone {
    http: Http,
}

impl AgentPhone {
    pub fn new(config: HttpConfig) -> Result<Self, ApiError> {
        Ok(Self {
            http: Http::new(config)?,
        })
    }

    /// The underlying HTTP client (stats, base URL).
    pub fn http(&self) -> &Http {
        &self.http
    }

    /// `GET /v1/conversations`: newest activity first, offset paging.
    pub async fn list_conversations(
        &self,
        offset: u64,
        limit: u32,
    ) -> Result<Page<Conversation>, ApiError> {
        let limit = limit.clamp(1, MAX_CONVERSATIONS_PER_PAGE);
        let url = self.http.url(
            "/v1/conversations",
            &[("limit", limit.to_string()), ("offset", offset.to_string())],
        );
        let what = "a list of conversations";
        self.offset_list(
            url,
            what,
            RecordKind::Conversation,
            wire::conversation,
            (offset, limit),
        )
        .await
    }

    /// `GET /v1/conversations/{id}` with up to `message_limit` latest messages (oldest first).
    pub async fn get_conversation(
        &self,
        id: &ConversationId,
        message_limit: u32,
    ) -> Result<ConversationDetail, ApiError> {
        let url = self.http.url(
            &format!("/v1/conversations/{}", segment(id.as_str())),
            &[(
                "message_limit",
                message_limit.clamp(1, MAX_DETAIL_MESSAGES).to_string(),
            )],
        );
        let value: Value = self.http.get(url).await?;
        self.detail(id, &value)
    }

    /// A page of a thread, oldest first: the latest page when `cursor` is `None`, else the page
    /// before the cursor. The next cursor points further back, or `End`.
    pub async fn messages_page(
        &self,
        id: &ConversationId,
        cursor: Option<&Cursor>,
        limit: u32,
    ) -> Result<Page<Message>, ApiError> {
        let limit = limit.clamp(1, MAX_MESSAGES_PER_PAGE);
        let before = match cursor {
            None => None,
            Some(Cursor::Before { at, inclusive }) => Some((*at, *inclusive)),
            Some(other) => {
                return Err(ApiError::Validation {
                    status: 0,
                    field: Some("cursor".into()),
                    message: format!("AgentPhone pages messages by time, not by {other:?}"),
                });
            }
        };
        let Listed {
            mut messages,
            has_more,
            ..
        } = self.list_messages(id, limit, before, None).await?;
        let mut gaps = Vec::new();
        let next = match (has_more, messages.first().map(|m| m.sent_at)) {
            (true, Some(oldest)) => {
                let (at, inclusive) = step_back(oldest, before);
                if !inclusive {
                    let crowd = self.instant(id, at).await?;
                    messages = sort_dedup([messages, crowd.messages].concat());
                    gaps.extend(crowd.gaps);
                }
                NextPage::More(Cursor::Before { at, inclusive })
            }
            // More to come but not one readable message to page on from: never "the beginning".
            (true, None) => return Err(unreadable_page()),
            _ => NextPage::End,
        };
        Ok(Page {
            items: messages,
            next,
            total: None,
            gaps,
        })
    }

    /// The messages at one instant that a page could not get past (a page's worth share it),
    /// asked for alone with the largest page the API gives. More than that cannot be reached
    /// (cursors are times, and there is no offset): the instant is then a gap.
    async fn instant(&self, id: &ConversationId, at: Timestamp) -> Result<CatchUp, ApiError> {
        let bound = Some((at, true));
        let crowd = self
            .list_messages(id, MAX_MESSAGES_PER_PAGE, bound, bound)
            .await?;
        if crowd.has_more {
            tracing::warn!(
                "more than {MAX_MESSAGES_PER_PAGE} messages of one conversation share the instant \
                 {at}; the API cannot page through them, so some are not shown"
            );
        }
        Ok(CatchUp {
            messages: crowd.messages,
            complete: !crowd.has_more,
            gaps: if crowd.has_more { vec![at] } else { Vec::new() },
        })
    }

    /// Every message at or after `since` (the instant of the newest loaded message), oldest
    /// first. When more arrived than one request returns, pages on in the direction the server
    /// answered in (newest first: backwards from the oldest of the page; oldest first: forwards
    /// from its newest), up to a bound.
    pub async fn messages_since(
        &self,
        id: &ConversationId,
        since: Timestamp,
        limit: u32,
    ) -> Result<CatchUp, ApiError> {
        let limit = limit.clamp(1, MAX_MESSAGES_PER_PAGE);
        let mut collected: Vec<Message> = Vec::new();
        let mut gaps = Vec::new();
        let mut before = None;
        let mut after = (since, true);
        for _ in 0..MAX_CATCH_UP_PAGES {
            let page = self.list_messages(id, limit, before, Some(after)).await?;
            let (oldest, newest) = (page.messages.first(), page.messages.last());
            // The bound moved to; not inclusive when the page could not get past its instant.
            let bound = match (oldest, newest) {
                (Some(oldest), _) if page.has_more && page.newest_first => {
                    before = Some(step_back(oldest.sent_at, before));
                    before
                }
                (_, Some(newest)) if page.has_more => {
                    after = step_forward(newest.sent_at, after);
                    Some(after)
                }
                (None, None) if page.has_more => return Err(unreadable_page()),
                _ => None,
            };
            collected.extend(page.messages);
            if let Some((at, false)) = bound {
                let crowd = self.instant(id, at).await?;
                collected.extend(crowd.messages);
                gaps.extend(crowd.gaps);
            }
            if bound.is_none() {
                return Ok(CatchUp {
                    messages: sort_dedup(collected),
                    complete: true,
                    gaps,
                });
            }
        }
        Ok(CatchUp {
            messages: sort_dedup(collected),
            complete: false,
            gaps,
        })
    }

    /// `GET /v1/conversations/{id}/messages` with time bounds; messages oldest first.
    async fn list_messages(
        &self,
        id: &ConversationId,
        limit: u32,
        before: Option<(Timestamp, bool)>,
        after: Option<(Timestamp, bool)>,
    ) -> Result<Listed, ApiError> {
        let mut query = vec![("limit", limit.to_string())];
        if let Some((at, inclusive)) = before {
            let at = if inclusive {
                at + TimeDelta::microseconds(1)
            } else {
                at
            };
            query.push(("before", cursor_time(at)));
        }
        if let Some((at, inclusive)) = after {
            let at = if inclusive {
                at - TimeDelta::microseconds(1)
            } else {
                at
            };
            query.push(("after", cursor_time(at)));
        }
        let url = self.http.url(
            &format!("/v1/conversations/{}/messages", segment(id.as_str())),
            &query,
        );
        let value: Value = self.http.get(url).await?;
        let list = envelope(&value, "a list of messages")?;
        let has_more = list
            .has_more
            .unwrap_or(list.data.len() >= usize::try_from(limit).unwrap_or(usize::MAX));
        let read = records(list.data, RecordKind::Message, wire::message);
        let messages: Vec<Message> = self.http.skips().keep(read);
        // The order of a page is undocumented: remember which end the server started from.
        let newest_first = match (messages.first(), messages.last()) {
            (Some(head), Some(tail)) => head.order_key() >= tail.order_key(),
            _ => true,
        };
        Ok(Listed {
            messages: sort_dedup(messages),
            has_more,
            newest_first,
        })
    }

    /// `PATCH /v1/conversations/{id}`: replaces the whole metadata object; `None` clears it.
    pub async fn update_metadata(
        &self,
        id: &ConversationId,
        metadata: &Metadata,
    ) -> Result<ConversationDetail, ApiError> {
        let url = self
            .http
            .url(&format!("/v1/conversations/{}", segment(id.as_str())), &[]);
        // An explicit null clears; the Python SDK's stripping of None is the pitfall avoided here.
        let body = json!({ "metadata": metadata.0 });
        let value: Value = self
            .http
            .request(Method::PATCH, url, Some(&body), false)
            .await?;
        self.detail(id, &value)
    }

    /// `POST /v1/messages`. Never retried: on an error whose outcome is unknown the caller must
    /// check the thread before offering to send again.
    pub async fn send_message(&self, message: &OutgoingMessage) -> Result<SentMessage, ApiError> {
        let url = self.http.url("/v1/messages", &[]);
        let body = SendWire {
            body: &message.body,
            to_number: &message.to,
            number_id: message.from_number_id.as_deref(),
            media_urls: &message.media_urls,
            reply_to_message_id: message.reply_to.as_ref().map(MessageId::as_str),
        };
        let value: Value = self
            .http
            .request(Method::POST, url, Some(&body), false)
            .await?;
        wire::sent(&value).map_err(|why| ApiError::unreadable("a sent message", &why, &value))
    }

    /// `POST /v1/messages/{id}/reactions` (iMessage only; SMS answers 400).
    pub async fn react(&self, message: &MessageId, reaction: &str) -> Result<(), ApiError> {
        let url = self.http.url(
            &format!("/v1/messages/{}/reactions", segment(message.as_str())),
            &[],
        );
        let body = json!({ "reaction": reaction });
        let _: serde_json::Value = self
            .http
            .request(Method::POST, url, Some(&body), false)
            .await?;
        Ok(())
    }

    /// `POST /v1/conversations/{id}/typing`.
    pub async fn send_typing(&self, id: &ConversationId) -> Result<(), ApiError> {
        let url = self.http.url(
            &format!("/v1/conversations/{}/typing", segment(id.as_str())),
            &[],
        );
        let _: serde_json::Value = self
            .http
            .request(Method::POST, url, None::<&()>, false)
            .await?;
        Ok(())
    }

    /// `GET /v1/contacts`: the address book that gives numbers their names.
    pub async fn list_contacts(&self, offset: u64, limit: u32) -> Result<Page<Contact>, ApiError> {
        let limit = limit.clamp(1, MAX_CONVERSATIONS_PER_PAGE);
        let url = self.http.url(
            "/v1/contacts",
            &[("limit", limit.to_string()), ("offset", offset.to_string())],
        );
        let what = "a list of contacts";
        let page = self
            .offset_list(
                url,
                what,
                RecordKind::Contact,
                wire::contact,
                (offset, limit),
            )
            .await?;
        Ok(Page {
            items: page.items.into_iter().flatten().collect(),
            next: page.next,
            total: page.total,
            gaps: Vec::new(),
        })
    }

    /// One page of an offset-paged list (`position` is offset and limit): the envelope, then
    /// each record alone; the next offset counts every record the server sent.
    async fn offset_list<T>(
        &self,
        url: url::Url,
        what: &str,
        kind: RecordKind,
        read: impl Fn(&Value) -> Result<T, super::lenient::Unreadable>,
        (offset, limit): (u64, u32),
    ) -> Result<Page<T>, ApiError> {
        let value: Value = self.http.get(url).await?;
        let list = envelope(&value, what)?;
        let items = self.http.skips().keep(records(list.data, kind, read));
        let rows = list.data.len();
        Ok(offset_page(
            items,
            rows,
            offset,
            limit,
            list.has_more,
            list.total,
        ))
    }

    /// A conversation detail; its unreadable messages are skipped and noted.
    fn detail(&self, id: &ConversationId, value: &Value) -> Result<ConversationDetail, ApiError> {
        let (conversation, messages) = wire::detail(value)
            .and_then(|read| same_id(id.as_str(), read.0.id.as_str()).map(|()| read))
            .map_err(|why| ApiError::unreadable("the conversation", &why, value))?;
        Ok(ConversationDetail {
            conversation,
            messages: sort_dedup(self.http.skips().keep(messages)),
        })
    }
}

/// The `after` bound after an oldest-first page whose newest message is at `newest`: that
/// instant again (inclusive), unless the page made no progress past the previous bound.
fn step_forward(newest: Timestamp, previous: (Timestamp, bool)) -> (Timestamp, bool) {
    let stuck = newest <= previous.0;
    (newest, !stuck)
}

/// A page of the messages list as the server sent it.
struct Listed {
    /// Oldest first, de-duplicated.
    messages: Vec<Message>,
    has_more: bool,
    /// The server listed the newest message first.
    newest_first: bool,
}

/// The `before` bound after a page whose oldest message is at `oldest`: that instant again
/// (inclusive, so messages sharing it are not skipped), unless the page made no progress past the
/// previous bound (a whole page on one instant), in which case step past the instant.
pub fn step_back(oldest: Timestamp, previous: Option<(Timestamp, bool)>) -> (Timestamp, bool) {
    let stuck = previous.is_some_and(|(at, _)| oldest >= at);
    (oldest, !stuck)
}

/// A page the server says is followed by more, none of whose messages could be read: there is no
/// time to page on from, and taking it as the end would show (and cache) a false beginning.
fn unreadable_page() -> ApiError {
    ApiError::decode("a page of messages none of which could be read", b"")
}

/// The list envelope of `value`, or a `Decode` error saying what it should have been.
fn envelope<'a>(value: &'a Value, what: &str) -> Result<wire::Envelope<'a>, ApiError> {
    wire::envelope(value).map_err(|why| ApiError::unreadable(what, &why, value))
}

/// Offset paging: more when the server says so, or (without `hasMore`) when `total` says so.
/// `rows` is how many records the server sent, readable or not, so a skipped record never
/// shifts the next offset.
pub(crate) fn offset_page<T>(
    items: Vec<T>,
    rows: usize,
    offset: u64,
    limit: u32,
    has_more: Option<bool>,
    total: Option<u64>,
) -> Page<T> {
    let end = offset + rows as u64;
    let more = has_more.unwrap_or_else(|| {
        total.map_or(rows >= usize::try_from(limit).unwrap_or(usize::MAX), |t| {
            end < t
        })
    });
    let next = if more && rows > 0 {
        NextPage::More(Cursor::Offset(end))
    } else {
        NextPage::End
    };
    Page {
        items,
        next,
        total,
        gaps: Vec::new(),
    }
}

/// Thread order (time, then id), each id once.
fn sort_dedup(mut messages: Vec<Message>) -> Vec<Message> {
    messages.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
    messages.dedup_by(|a, b| a.id == b.id);
    messages
}

/// Cursor instants are sent with microseconds and `Z`: an unencoded `+00:00` breaks the server's
/// parser (`providers.md` 6.10).
fn cursor_time(at: Timestamp) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}
