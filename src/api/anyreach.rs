//! The Anyreach client (`providers.md` section 2): AI call and chat sessions with their
//! transcripts. Read-only for an inbox: Anyreach has no endpoint to reply as a human or to edit
//! a session's metadata, so every conversation says so in its capabilities.
//!
//! The list is cursor-paged: the cursor is the Base64 of the last item's `created_at`, the reply a
//! bare array, and a short page is the last. The app pages by position, so the client remembers
//! the cursor that continues after each position it served (a keyset cursor stays valid when new
//! sessions push rows down; rows that share an instant may repeat and are de-duplicated by id
//! upstream).

pub(crate) mod wire;

pub use self::wire::{detail as read_detail, session as read_session};

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use serde_json::Value;

use super::error::ApiError;
use super::http::{Http, HttpConfig};
use super::lenient::{RecordKind, Unreadable, records, same_id};
use super::model::CatchUp;
use super::model::{
    Conversation, ConversationDetail, ConversationId, Cursor, ListFilter, NextPage, Page, Timestamp,
};

/// The production API host.
pub const DEFAULT_BASE_URL: &str = "https://api.anyreach.ai";
/// The environment variable that holds the key (`ak_…` or `pat_…`).
pub const API_KEY_ENV: &str = "ANYREACH_API_KEY";
/// The organisation a personal access token (`pat_…`) acts for.
pub const ORG_ENV: &str = "ANYREACH_ORG";
/// The header that carries it.
pub const ORG_HEADER: &str = "X-Anyreach-Org";
/// Sessions per list request (the API's limit is undocumented; this is what we ask for).
pub const MAX_PAGE: u32 = 100;

/// A client for one Anyreach organisation.
#[derive(Clone, Debug)]
pub struct Anyreach {
    http: Http,
    /// (Filters, position in the list) → the cursor that continues from there.
    cursors: Arc<Mutex<HashMap<(String, u64), String>>>,
}

impl Anyreach {
    pub fn new(config: HttpConfig) -> Result<Self, ApiError> {
        Ok(Self {
            http: Http::new(config)?,
            cursors: Arc::default(),
        })
    }

    pub fn http(&self) -> &Http {
        &self.http
    }

    /// `GET /core/conversations`: newest first. `offset` must be 0 or a position this client
    /// served before (the end of an earlier page).
    pub async fn list_conversations(
        &self,
        offset: u64,
        limit: u32,
        filter: &ListFilter,
    ) -> Result<Page<Conversation>, ApiError> {
        let limit = limit.clamp(1, MAX_PAGE);
        let cursor = if offset == 0 {
            None
        } else {
            let known = self.lock().get(&(format!("{filter:?}"), offset)).cloned();
            Some(known.ok_or_else(|| ApiError::Validation {
                status: 0,
                field: Some("cursor".into()),
                message: format!("no cursor for position {offset}: reload the list"),
            })?)
        };
        let url = self
            .http
            .url("/core/conversations", &query(limit, cursor.clone(), filter));
        let value: Value = self.http.get(url).await?;
        let rows = wire::rows(&value).ok_or_else(|| {
            let why = Unreadable::new("", "expected a list of sessions");
            ApiError::unreadable("a list of sessions", &why, &value)
        })?;
        let full = rows.len() >= usize::try_from(limit).unwrap_or(usize::MAX);
        // The cursor is the last row's own `created_at` text; a row without one (or with a number)
        // gives way to the last row that has it (rows after it come again, de-duplicated by id).
        let last = rows
            .iter()
            .rev()
            .find_map(|r| r.get("created_at").and_then(Value::as_str));
        let next_cursor = last.map(|raw| wire::base64(raw.as_bytes()));
        let read = records(rows, RecordKind::Session, wire::session);
        let items: Vec<Conversation> = self
            .http
            .skips()
            .keep(read)
            .into_iter()
            // Web sessions nobody joined; the web inbox hides them too.
            .filter(|c| c.session.as_ref().is_none_or(|s| s.status != "token_created"))
            .collect();
        let end = offset + u64::try_from(rows.len()).unwrap_or(0);
        let next = match next_cursor {
            // A full page on one instant gives back the cursor it was asked with: paging could
            // never move on, so the list ends there (the rest of that instant is not reachable
            // through this API's cursor).
            Some(token) if full && Some(&token) != cursor.as_ref() => {
                self.lock().insert((format!("{filter:?}"), end), token);
                NextPage::More(Cursor::Offset(end))
            }
            _ => NextPage::End,
        };
        Ok(Page {
            items,
            next,
            total: None,
            gaps: Vec::new(),
        })
    }

    /// `GET /core/conversations/{id}`: the session with its transcript as messages.
    pub async fn get_conversation(
        &self,
        id: &ConversationId,
    ) -> Result<ConversationDetail, ApiError> {
        let path = format!("/core/conversations/{}", super::http::segment(id.as_str()));
        let value: Value = self.http.get(self.http.url(&path, &[])).await?;
        let (detail, skipped) = wire::detail(&value)
            .and_then(|read| same_id(id.as_str(), read.0.conversation.id.as_str()).map(|()| read))
            .map_err(|why| ApiError::unreadable("the session", &why, &value))?;
        self.http.skips().note(&skipped);
        Ok(detail)
    }

    /// The transcript items at or after `since` (the whole session is read again: Anyreach has no
    /// message paging).
    pub async fn messages_since(
        &self,
        id: &ConversationId,
        since: Timestamp,
    ) -> Result<CatchUp, ApiError> {
        let detail = self.get_conversation(id).await?;
        let messages = detail
            .messages
            .into_iter()
            .filter(|m| m.sent_at >= since)
            .collect();
        Ok(CatchUp {
            messages,
            complete: true,
            gaps: Vec::new(),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<(String, u64), String>> {
        self.cursors.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn query(limit: u32, cursor: Option<String>, filter: &ListFilter) -> Vec<(&'static str, String)> {
    let mut query = vec![("limit", limit.to_string())];
    query.extend(cursor.map(|c| ("cursor", c)));
    let text = [
        ("channel", &filter.channel),
        ("status", &filter.status),
        ("direction", &filter.direction),
    ];
    for (key, value) in text {
        query.extend(value.clone().map(|v| (key, v)));
    }
    let time = |t: Timestamp| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    query.extend(filter.created_after.map(|t| ("created_after", time(t))));
    query.extend(filter.created_before.map(|t| ("created_before", time(t))));
    query
}
