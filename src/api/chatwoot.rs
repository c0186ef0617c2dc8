//! The Chatwoot client (`providers.md` section 3): the application API of one account (the
//! agent's inbox: triage, replies, private notes, conversation actions) and the public client
//! API of one contact. Conversation lists page by number with no "more" flag and a page size
//! the instance sets (`CONVERSATION_RESULTS_PER_PAGE`, 25 unless changed): the list ends at an
//! empty page or once the tab's count is reached. Threads page back by time
//! (`before_timestamp`, see [`history`]), newer messages come by id (up to 100 with `after`).

pub mod history;
pub(crate) mod wire;

pub use self::wire::{conversation as read_conversation, messages as read_messages};

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use reqwest::Method;
use serde_json::{Value, json};

use super::error::ApiError;
use super::http::segment;
use super::http::{Http, HttpConfig};
use super::lenient::{RecordKind, Unreadable, records, same_id};
use super::model::CatchUp;
use super::model::TabCounts;
use super::model::{
    Conversation, ConversationId, Cursor, Message, Metadata, NextPage, Page, Timestamp,
};

/// The header that carries a user's or bot's access token.
pub const TOKEN_HEADER: &str = "api_access_token";
/// Conversations per page by default; the app's list offsets count pages in it.
pub const PAGE: usize = 25;
/// Messages per latest or older page.
pub const MESSAGES: usize = history::MESSAGES;

/// Which conversations of the account: the assignee tab, status, inbox, label.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeskQuery {
    /// `me`, `unassigned`, `all`.
    pub assignee: String,
    /// `open`, `pending`, `snoozed`, `resolved`, `all`.
    pub status: String,
    pub inbox: Option<u64>,
    pub label: Option<String>,
}

impl Default for DeskQuery {
    fn default() -> Self {
        Self {
            assignee: "all".into(),
            status: "open".into(),
            inbox: None,
            label: None,
        }
    }
}

/// A client for one Chatwoot account.
#[derive(Clone, Debug)]
pub struct Chatwoot {
    http: Http,
    account: u64,
    /// The longest conversation page seen: the instance's page size is at least this.
    page_size: Arc<AtomicUsize>,
}

impl Chatwoot {
    /// `config.api_key` is the access token; it is sent as `api_access_token`.
    pub fn new(mut config: HttpConfig, account: u64) -> Result<Self, ApiError> {
        config.key_header = Some(TOKEN_HEADER.into());
        Ok(Self {
            http: Http::new(config)?,
            account,
            page_size: Arc::new(AtomicUsize::new(0)),
        })
    }

    pub fn http(&self) -> &Http {
        &self.http
    }

    fn url(&self, path: &str, query: &[(&str, String)]) -> url::Url {
        self.http
            .url(&format!("/api/v1/accounts/{}{path}", self.account), query)
    }

    fn conversation_path(id: &ConversationId) -> String {
        format!("/conversations/{}", segment(id.as_str()))
    }

    fn query(query: &DeskQuery) -> Vec<(&'static str, String)> {
        let mut pairs = vec![
            ("assignee_type", query.assignee.clone()),
            ("status", query.status.clone()),
        ];
        pairs.extend(query.inbox.map(|i| ("inbox_id", i.to_string())));
        pairs.extend(query.label.clone().map(|l| ("labels[]", l)));
        pairs
    }

    /// `GET /conversations?page=N`: a page and the tab counts. The list ends at an empty page,
    /// or when the earlier pages (each at least as long as the longest seen) and this one
    /// reach the tab's count; never at a short page, as the page size is the instance's.
    pub async fn list_conversations(
        &self,
        page: u32,
        query: &DeskQuery,
    ) -> Result<(Page<Conversation>, TabCounts), ApiError> {
        let mut pairs = Self::query(query);
        pairs.push(("page", page.max(1).to_string()));
        let value: Value = self.http.get(self.url("/conversations", &pairs)).await?;
        let payload = wire::payload(&value).ok_or_else(|| {
            let why = Unreadable::new(".payload", "expected a list");
            ApiError::unreadable("a list of conversations", &why, &value)
        })?;
        let rows = payload.len();
        let read = records(payload, RecordKind::Conversation, wire::conversation);
        let items = self.http.skips().keep(read);
        let counts = wire::counts(&value);
        let size = self.page_size.fetch_max(rows, Ordering::Relaxed).max(rows);
        let before = usize::try_from(page.max(1) - 1).unwrap_or(usize::MAX);
        let reached =
            u64::try_from(before.saturating_mul(size).saturating_add(rows)).unwrap_or(u64::MAX);
        let total = tab_count(&counts, &query.assignee);
        let next = if rows == 0 || (total > 0 && reached >= total) {
            NextPage::End
        } else {
            NextPage::More(Cursor::PageNumber(page.max(1) + 1))
        };
        Ok((
            Page {
                items,
                next,
                total: None,
                gaps: Vec::new(),
            },
            counts,
        ))
    }

    /// `GET /conversations/meta`: the counts of the tabs.
    pub async fn counts(&self, query: &DeskQuery) -> Result<TabCounts, ApiError> {
        let value: Value = self
            .http
            .get(self.url("/conversations/meta", &Self::query(query)))
            .await?;
        Ok(wire::counts(&value))
    }

    /// `GET /conversations/{id}`.
    pub async fn get_conversation(&self, id: &ConversationId) -> Result<Conversation, ApiError> {
        let value: Value = self
            .http
            .get(self.url(&Self::conversation_path(id), &[]))
            .await?;
        wire::conversation(&value)
            .and_then(|c| same_id(id.as_str(), c.id.as_str()).map(|()| c))
            .map_err(|why| ApiError::unreadable("the conversation", &why, &value))
    }

    /// The latest 20 messages, or the 20 before `cursor`, oldest first; each message once
    /// across the pages of a walk (see [`history`]).
    pub async fn messages_page(
        &self,
        id: &ConversationId,
        cursor: Option<&Cursor>,
    ) -> Result<Page<Message>, ApiError> {
        let path = format!("{}/messages", Self::conversation_path(id));
        let value: Value = self
            .http
            .get(self.url(&path, &history::query(cursor)))
            .await?;
        let (items, rows) = self.read_messages(&value)?;
        let Some(by_id) = history::fallback(cursor, &items) else {
            return Ok(history::page(cursor, items, rows));
        };
        let value: Value = self
            .http
            .get(self.url(&path, &history::query(Some(&by_id))))
            .await?;
        let (items, rows) = self.read_messages(&value)?;
        Ok(history::page(Some(&by_id), items, rows))
    }

    /// The readable messages of a reply (unreadable ones noted) and how many records it held.
    /// A full page none of whose messages can be read is an error: there is nothing to page on
    /// from, and taking it as the end would show (and cache) a false beginning.
    fn read_messages(&self, value: &Value) -> Result<(Vec<Message>, usize), ApiError> {
        let read = wire::messages(value);
        let rows = read.items.len() + read.skipped.len();
        if read.items.is_empty() && rows >= MESSAGES {
            self.http.skips().note(&read.skipped);
            let why = Unreadable::new(".payload", "no message of a full page could be read");
            return Err(ApiError::unreadable("a page of messages", &why, value));
        }
        Ok((self.http.skips().keep(read), rows))
    }

    /// Messages newer than message `after` (up to 100 per request, a few requests at most).
    pub async fn messages_after(
        &self,
        id: &ConversationId,
        after: u64,
    ) -> Result<CatchUp, ApiError> {
        let path = format!("{}/messages", Self::conversation_path(id));
        let mut collected = Vec::new();
        let mut cursor = after;
        for _ in 0..10 {
            let value: Value = self
                .http
                .get(self.url(&path, &[("after", cursor.to_string())]))
                .await?;
            let newest = newest_id(&value);
            let (page, rows) = self.read_messages(&value)?;
            let full = rows >= 100;
            collected.extend(page);
            match newest {
                Some(newest) if full && newest > cursor => cursor = newest,
                _ => {
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

    /// New messages since a poll: after the newest id at or before `since`'s message.
    pub async fn messages_since(
        &self,
        id: &ConversationId,
        since_message: Option<u64>,
        since: Timestamp,
    ) -> Result<CatchUp, ApiError> {
        if let Some(after) = since_message {
            return self.messages_after(id, after.saturating_sub(1)).await;
        }
        let page = self.messages_page(id, None).await?;
        let messages = page
            .items
            .into_iter()
            .filter(|m| m.sent_at >= since)
            .collect();
        Ok(CatchUp {
            messages,
            complete: true,
            gaps: Vec::new(),
        })
    }

    async fn post(&self, path: &str, body: &Value) -> Result<Value, ApiError> {
        let url = self.url(path, &[]);
        self.http
            .request(Method::POST, url, Some(body), false)
            .await
    }

    /// A reply to the customer, or a private note only agents see. Never retried.
    pub async fn send_message(
        &self,
        id: &ConversationId,
        content: &str,
        private: bool,
    ) -> Result<Message, ApiError> {
        let body = json!({"content": content, "message_type": "outgoing", "private": private, "content_type": "text"});
        let path = format!("{}/messages", Self::conversation_path(id));
        let value = self.post(&path, &body).await?;
        wire::message(&value).map_err(|why| ApiError::unreadable("a message", &why, &value))
    }

    /// Resolve, reopen, pending, or snooze until a time.
    pub async fn set_status(
        &self,
        id: &ConversationId,
        status: &str,
        snoozed_until: Option<Timestamp>,
    ) -> Result<(), ApiError> {
        let mut body = json!({"status": status});
        if let Some(until) = snoozed_until {
            body["snoozed_until"] = json!(until.timestamp());
        }
        let path = format!("{}/toggle_status", Self::conversation_path(id));
        self.post(&path, &body).await.map(|_| ())
    }

    /// `urgent`, `high`, `medium`, `low`, or `None` to clear (sent as `null`: the server
    /// knows no "none").
    pub async fn set_priority(
        &self,
        id: &ConversationId,
        priority: Option<&str>,
    ) -> Result<(), ApiError> {
        let path = format!("{}/toggle_priority", Self::conversation_path(id));
        self.post(&path, &json!({"priority": priority}))
            .await
            .map(|_| ())
    }

    /// Assigns the conversation to an agent.
    pub async fn assign(&self, id: &ConversationId, agent: u64) -> Result<(), ApiError> {
        let path = format!("{}/assignments", Self::conversation_path(id));
        self.post(&path, &json!({"assignee_id": agent}))
            .await
            .map(|_| ())
    }

    /// Replaces the whole label set.
    pub async fn set_labels(
        &self,
        id: &ConversationId,
        labels: &[String],
    ) -> Result<Vec<String>, ApiError> {
        let path = format!("{}/labels", Self::conversation_path(id));
        let value = self.post(&path, &json!({"labels": labels})).await?;
        let list = value.get("payload").and_then(Value::as_array);
        Ok(list
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect())
    }

    /// Replaces the whole `custom_attributes` hash.
    pub async fn set_custom_attributes(
        &self,
        id: &ConversationId,
        attributes: &Metadata,
    ) -> Result<Metadata, ApiError> {
        let path = format!("{}/custom_attributes", Self::conversation_path(id));
        let body = json!({"custom_attributes": attributes.0.clone().unwrap_or_default()});
        let value = self.post(&path, &body).await?;
        Ok(Metadata(
            value
                .get("custom_attributes")
                .and_then(Value::as_object)
                .cloned(),
        ))
    }

    /// Performs a triage change, then reads the conversation back as it is now.
    pub async fn act(
        &self,
        id: &ConversationId,
        action: &super::desk::DeskAction,
    ) -> Result<Conversation, ApiError> {
        use super::desk::DeskAction;
        match action {
            DeskAction::Status {
                status,
                snoozed_until,
            } => self.set_status(id, status, *snoozed_until).await?,
            DeskAction::Priority(priority) => {
                let priority = Some(priority.as_str()).filter(|p| *p != "none");
                self.set_priority(id, priority).await?;
            }
            DeskAction::AssignToMe => {
                let me = self.profile().await?;
                self.assign(id, me.id).await?;
            }
            DeskAction::Labels(labels) => {
                self.set_labels(id, labels).await?;
            }
        }
        self.get_conversation(id).await
    }

    /// `GET /api/v1/profile`: who the token belongs to (for "assign to me" and the Mine tab).
    pub async fn profile(&self) -> Result<super::desk::Agent, ApiError> {
        let value: Value = self.http.get(self.http.url("/api/v1/profile", &[])).await?;
        let profile = crate::api::lenient::Record::new(&value).and_then(|r| {
            let id = r.required_text("id")?;
            let id = id
                .parse()
                .map_err(|_| Unreadable::new(".id", format!("not a number: {id}")))?;
            let name = r.text_of(&["available_name", "name"]).unwrap_or_default();
            Ok(super::desk::Agent { id, name })
        });
        profile.map_err(|why| ApiError::unreadable("a profile", &why, &value))
    }
}

/// The tab's count among the list's counts.
fn tab_count(counts: &TabCounts, assignee: &str) -> u64 {
    match assignee {
        "me" => counts.mine,
        "unassigned" => counts.unassigned,
        "assigned" => counts.assigned,
        _ => counts.all,
    }
}

/// The public client API of one contact in one API inbox: the contact's conversations, their
/// messages, and sending as the contact. No token: the identifiers are the secret.
#[derive(Clone, Debug)]
pub struct ChatwootPublic {
    http: Http,
    inbox: String,
    contact: String,
}

impl ChatwootPublic {
    pub fn http(&self) -> &Http {
        &self.http
    }

    pub fn new(config: HttpConfig, inbox: &str, contact: &str) -> Result<Self, ApiError> {
        Ok(Self {
            http: Http::new(config)?,
            inbox: inbox.to_owned(),
            contact: contact.to_owned(),
        })
    }

    fn url(&self, path: &str) -> url::Url {
        let base = format!(
            "/public/api/v1/inboxes/{}/contacts/{}/conversations",
            segment(&self.inbox),
            segment(&self.contact)
        );
        self.http.url(&format!("{base}{path}"), &[])
    }

    /// The contact's conversations (with their messages).
    pub async fn conversations(&self) -> Result<Vec<super::model::ConversationDetail>, ApiError> {
        let value: Value = self.http.get(self.url("")).await?;
        let list = value.as_array().ok_or_else(|| {
            let why = Unreadable::new("", "expected a list");
            ApiError::unreadable("a list of conversations", &why, &value)
        })?;
        let read = records(list, RecordKind::Conversation, wire::public_conversation);
        Ok(self
            .http
            .skips()
            .keep(read)
            .into_iter()
            .map(|(detail, skipped)| {
                self.http.skips().note(&skipped);
                detail
            })
            .collect())
    }

    /// `GET …/conversations/{id}`: one conversation with its messages.
    pub async fn conversation(
        &self,
        id: &ConversationId,
    ) -> Result<super::model::ConversationDetail, ApiError> {
        let value: Value = self
            .http
            .get(self.url(&format!("/{}", segment(id.as_str()))))
            .await?;
        let (detail, skipped) = wire::public_conversation(&value)
            .and_then(|read| same_id(id.as_str(), read.0.conversation.id.as_str()).map(|()| read))
            .map_err(|why| ApiError::unreadable("the conversation", &why, &value))?;
        self.http.skips().note(&skipped);
        Ok(detail)
    }

    /// Sends a message as the contact. Never retried.
    pub async fn send(&self, id: &ConversationId, content: &str) -> Result<Message, ApiError> {
        let url = self.url(&format!("/{}/messages", segment(id.as_str())));
        let value: Value = self
            .http
            .request(Method::POST, url, Some(&json!({"content": content})), false)
            .await?;
        wire::message(&value).map_err(|why| ApiError::unreadable("a message", &why, &value))
    }
}

/// The message ids of a messages reply, readable records or not (cursors move past skipped ones).
fn message_ids(value: &Value) -> impl Iterator<Item = u64> + '_ {
    wire::message_list(value)
        .iter()
        .filter_map(|m| crate::api::lenient::Record::of(m)?.uint("id"))
}

fn newest_id(value: &Value) -> Option<u64> {
    message_ids(value).max()
}
