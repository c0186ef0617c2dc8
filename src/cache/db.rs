//! The cache's tables: what is stored, how a thread's cached stretch grows, and how pages are
//! served from it. Runs on the cache thread only.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::DateTime;
use rusqlite::{Connection, OptionalExtension, params};

use super::CacheError;
use super::schema::{self, OpenError};
use crate::api::{Conversation, ConversationId, Counterparty, Message, Page, Timestamp};

mod stretch;

pub use self::stretch::{Range, Span, extend};
use self::stretch::{page_in, range};

/// Counts for `switchboard cache` and the benchmarks.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CacheStats {
    pub conversations: u64,
    pub messages: u64,
    pub threads: u64,
    pub bytes: u64,
}

/// The connection and where it lives.
pub struct Db {
    pub(super) conn: Connection,
    path: Option<PathBuf>,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

pub fn micros(t: Timestamp) -> i64 {
    t.timestamp_micros()
}

pub fn from_micros(us: i64) -> Timestamp {
    DateTime::from_timestamp_micros(us).unwrap_or_default()
}

impl Db {
    /// Opens the file; a damaged one is moved aside and replaced, a locked or unopenable one
    /// leaves this session in memory. The notice tells the user which.
    pub fn open_or_recover(path: &Path) -> (Self, Option<String>) {
        let shown = crate::text::sanitize_line(&path.display().to_string());
        match schema::open_file(path) {
            Ok(conn) => (Self::file(conn, path), None),
            Err(OpenError::Locked(why)) => (
                Self::memory(),
                Some(format!(
                    "The cache {shown} is locked by another program ({why}): this session caches in memory"
                )),
            ),
            Err(OpenError::Io(why)) => (
                Self::memory(),
                Some(format!(
                    "Cannot open the cache {shown} ({why}): this session caches in memory"
                )),
            ),
            Err(OpenError::Damaged(why)) => Self::start_fresh(path, &why),
        }
    }

    fn start_fresh(path: &Path, why: &str) -> (Self, Option<String>) {
        let shown = crate::text::sanitize_line(&path.display().to_string());
        let aside = match schema::move_aside(path) {
            Ok(aside) => aside,
            Err(error) => {
                let notice = format!(
                    "The cache {shown} is damaged ({why}) and cannot be moved aside ({error}): this session caches in memory"
                );
                return (Self::memory(), Some(notice));
            }
        };
        let aside = crate::text::sanitize_line(&aside.display().to_string());
        match schema::open_file(path) {
            Ok(conn) => (
                Self::file(conn, path),
                Some(format!(
                    "The cache was damaged ({why}); it was moved to {aside} and a fresh one started"
                )),
            ),
            Err(error) => (
                Self::memory(),
                Some(format!(
                    "The cache was damaged ({why}) and moved to {aside}; a fresh one failed too ({error:?}): this session caches in memory"
                )),
            ),
        }
    }

    fn file(conn: Connection, path: &Path) -> Self {
        Self {
            conn,
            path: Some(path.to_path_buf()),
        }
    }

    pub fn memory() -> Self {
        Self {
            conn: schema::open_memory(),
            path: None,
        }
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Passes a result on; when it says the file is damaged, starts a fresh cache first so the
    /// next job works again.
    pub(super) fn check<T>(&mut self, result: rusqlite::Result<T>) -> Result<T, CacheError> {
        let error = match result {
            Ok(value) => return Ok(value),
            Err(error) => error,
        };
        if let (Some(OpenError::Damaged(why)), Some(path)) =
            (schema::classify(&error), self.path.clone())
        {
            self.conn = schema::open_memory();
            let (fresh, notice) = Self::start_fresh(&path, &why);
            *self = fresh;
            tracing::warn!("{}", notice.unwrap_or_default());
        }
        Err(error.into())
    }

    /// Stores (or refreshes) conversations.
    pub fn save_conversations(&mut self, items: &[Conversation]) -> Result<(), CacheError> {
        let result = save_conversations(&mut self.conn, items);
        self.check(result)
    }

    /// The cached conversations, newest activity first.
    pub fn conversations(&mut self, limit: usize) -> Result<Vec<Conversation>, CacheError> {
        let result = read_json(
            &self.conn,
            "SELECT json FROM conversations ORDER BY last_activity DESC, id DESC LIMIT ?1",
            params![i64::try_from(limit).unwrap_or(i64::MAX)],
        );
        self.check(result)
    }

    /// The user's read position per conversation.
    pub fn seen(&mut self) -> Result<HashMap<ConversationId, Timestamp>, CacheError> {
        let result = (|| {
            let mut stmt = self
                .conn
                .prepare_cached("SELECT conversation, at FROM seen")?;
            let rows = stmt.query_map([], |row| {
                Ok((ConversationId(row.get(0)?), from_micros(row.get(1)?)))
            })?;
            rows.collect::<rusqlite::Result<HashMap<_, _>>>()
        })();
        self.check(result)
    }

    /// Moves read positions forward (never back).
    pub fn save_seen(&mut self, seen: &[(ConversationId, Timestamp)]) -> Result<(), CacheError> {
        let result = (|| {
            let tx = self.conn.transaction()?;
            {
                let mut stmt = tx.prepare_cached(
                    "INSERT INTO seen (conversation, at) VALUES (?1, ?2)
                     ON CONFLICT (conversation) DO UPDATE SET at = max(at, excluded.at)",
                )?;
                for (id, at) in seen {
                    stmt.execute(params![id.as_str(), micros(*at)])?;
                }
            }
            tx.commit()
        })();
        self.check(result)
    }

    /// Stores messages of one conversation and grows its cached stretch by what `span` says.
    pub fn record(
        &mut self,
        conversation: &ConversationId,
        messages: &[Message],
        span: &Span,
    ) -> Result<(), CacheError> {
        let result = record(&mut self.conn, conversation, messages, span);
        self.check(result)
    }

    /// Notes instants of a thread whose messages could not all be loaded ([`Page::gaps`]).
    pub fn record_gaps(
        &mut self,
        conversation: &ConversationId,
        gaps: &[Timestamp],
    ) -> Result<(), CacheError> {
        let result = (|| {
            let mut stmt = self.conn.prepare_cached(
                "INSERT INTO gaps (conversation, at) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
            )?;
            for at in gaps {
                stmt.execute(params![conversation.as_str(), micros(*at)])?;
            }
            Ok(())
        })();
        self.check(result)
    }

    /// The cached stretch of a conversation.
    pub fn range(&mut self, conversation: &ConversationId) -> Result<Option<Range>, CacheError> {
        let result = range(&self.conn, conversation);
        self.check(result)
    }

    /// The newest cached page, when the conversation has a cached stretch.
    pub fn latest_page(
        &mut self,
        conversation: &ConversationId,
        limit: u32,
    ) -> Result<Option<Page<Message>>, CacheError> {
        let result = (|| {
            let Some(range) = range(&self.conn, conversation)? else {
                return Ok(None);
            };
            let page = page_in(&self.conn, conversation, range, range.hi, None, limit)?;
            Ok(page.filter(|p| !p.items.is_empty()))
        })();
        self.check(result)
    }

    /// The cached page before a cursor, when the cursor is inside the cached stretch.
    pub fn page_before(
        &mut self,
        conversation: &ConversationId,
        at: Timestamp,
        inclusive: bool,
        limit: u32,
    ) -> Result<Option<Page<Message>>, CacheError> {
        let result = (|| {
            let Some(range) = range(&self.conn, conversation)? else {
                return Ok(None);
            };
            let at_us = micros(at);
            if at_us < range.lo || at_us > range.hi {
                return Ok(None);
            }
            let upper = if inclusive { at_us } else { at_us - 1 };
            page_in(
                &self.conn,
                conversation,
                range,
                upper,
                Some((at, inclusive)),
                limit,
            )
        })();
        self.check(result)
    }

    /// Messages cached for one conversation.
    pub fn message_count(&mut self, conversation: &ConversationId) -> Result<usize, CacheError> {
        let result = self.conn.query_row(
            "SELECT count(*) FROM messages WHERE conversation = ?1",
            [conversation.as_str()],
            |row| row.get::<_, i64>(0),
        );
        self.check(result)
            .map(|n| usize::try_from(n).unwrap_or(usize::MAX))
    }

    /// A small fact kept with the cache.
    pub fn meta(&mut self, key: &str) -> Result<Option<String>, CacheError> {
        let result = self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |row| {
                row.get(0)
            })
            .optional();
        self.check(result)
    }

    pub fn set_meta(&mut self, key: &str, value: &str) -> Result<(), CacheError> {
        let result = self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, value],
        );
        self.check(result.map(drop))
    }

    /// Forgets everything (the file stays, empty).
    pub fn clear(&mut self) -> Result<(), CacheError> {
        let result = self.conn.execute_batch(
            "BEGIN IMMEDIATE;
             DELETE FROM messages; DELETE FROM conversations; DELETE FROM threads;
             DELETE FROM seen; DELETE FROM meta; DELETE FROM gaps;
             INSERT INTO message_fts (message_fts) VALUES ('rebuild');
             INSERT INTO conversation_fts (conversation_fts) VALUES ('rebuild');
             COMMIT;
             VACUUM;",
        );
        self.check(result)
    }

    pub fn stats(&mut self) -> Result<CacheStats, CacheError> {
        let result = (|| {
            let count = |table: &str| -> rusqlite::Result<u64> {
                let n: i64 =
                    self.conn
                        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?;
                Ok(n.unsigned_abs())
            };
            let pages: i64 = self.conn.query_row("PRAGMA page_count", [], |r| r.get(0))?;
            let size: i64 = self.conn.query_row("PRAGMA page_size", [], |r| r.get(0))?;
            Ok(CacheStats {
                conversations: count("conversations")?,
                messages: count("messages")?,
                threads: count("threads")?,
                bytes: (pages * size).unsigned_abs(),
            })
        })();
        self.check(result)
    }
}

fn save_conversations(conn: &mut Connection, items: &[Conversation]) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    {
        let mut stmt = tx.prepare_cached(
            "INSERT INTO conversations (id, last_activity, name, address, metadata, json)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (id) DO UPDATE SET last_activity = excluded.last_activity,
                 name = excluded.name, address = excluded.address,
                 metadata = excluded.metadata, json = excluded.json
             WHERE json IS NOT excluded.json",
        )?;
        for conv in items {
            let (name, address) = label(&conv.counterparty);
            let json = serde_json::to_string(conv).map_err(to_sql_error)?;
            stmt.execute(params![
                conv.id.as_str(),
                conv.last_activity_at.map(micros),
                name,
                address,
                metadata_text(conv),
                json
            ])?;
        }
    }
    tx.commit()
}

fn record(
    conn: &mut Connection,
    conversation: &ConversationId,
    messages: &[Message],
    span: &Span,
) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    {
        let mut stmt = tx.prepare_cached(
            "INSERT INTO messages (id, conversation, sent_at, body, name, json)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (id) DO UPDATE SET conversation = excluded.conversation,
                 sent_at = excluded.sent_at, body = excluded.body, name = excluded.name,
                 json = excluded.json
             WHERE json IS NOT excluded.json",
        )?;
        for msg in messages {
            let json = serde_json::to_string(msg).map_err(to_sql_error)?;
            stmt.execute(params![
                msg.id.as_str(),
                conversation.as_str(),
                micros(msg.sent_at),
                msg.body,
                sender_name(msg),
                json
            ])?;
        }
    }
    let bounds = messages
        .iter()
        .map(|m| micros(m.sent_at))
        .fold(None, |acc: Option<(i64, i64)>, t| {
            Some(acc.map_or((t, t), |(lo, hi)| (lo.min(t), hi.max(t))))
        });
    let old = range(&tx, conversation)?;
    let new = extend(old, span, bounds);
    if let Some(r) = new.filter(|r| Some(*r) != old) {
        tx.execute(
            "INSERT INTO threads (conversation, lo, hi, at_beginning) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (conversation) DO UPDATE SET lo = excluded.lo, hi = excluded.hi,
                 at_beginning = excluded.at_beginning",
            params![conversation.as_str(), r.lo, r.hi, r.at_beginning],
        )?;
    }
    tx.commit()
}

/// Rows of one JSON column; a row that no longer parses is skipped (and logged), not fatal.
fn read_json<T: serde::de::DeserializeOwned>(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> rusqlite::Result<Vec<T>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(params, |row| row.get::<_, String>(0))?;
    let mut out = Vec::new();
    for json in rows {
        match serde_json::from_str(&json?) {
            Ok(value) => out.push(value),
            Err(error) => tracing::warn!("skipping a cached row that does not parse: {error}"),
        }
    }
    Ok(out)
}

fn to_sql_error(error: serde_json::Error) -> rusqlite::Error {
    rusqlite::Error::ToSqlConversionFailure(Box::new(error))
}

/// Who a conversation is with, as text for search: (name, address).
pub fn label(counterparty: &Counterparty) -> (String, String) {
    match counterparty {
        Counterparty::Person(p) => (p.name.clone().unwrap_or_default(), p.address.clone()),
        Counterparty::Group { id, name, members } => {
            let mut names: Vec<String> = name.iter().cloned().collect();
            names.extend(members.iter().filter_map(|m| m.name.clone()));
            let mut addresses = vec![id.clone()];
            addresses.extend(members.iter().map(|m| m.address.clone()));
            (names.join(", "), addresses.join(" "))
        }
    }
}

/// The sender of a message as far as the message itself says.
fn sender_name(msg: &Message) -> String {
    let sender = msg.sender.as_ref();
    sender
        .and_then(|p| p.name.clone())
        .or_else(|| sender.map(|p| p.address.clone()))
        .or_else(|| msg.from.clone())
        .unwrap_or_default()
}

/// The metadata's keys and values as words, for search.
fn metadata_text(conv: &Conversation) -> String {
    fn walk(value: &serde_json::Value, out: &mut Vec<String>) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, value) in map {
                    out.push(key.clone());
                    walk(value, out);
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
            serde_json::Value::String(s) => out.push(s.clone()),
            serde_json::Value::Null => {}
            other => out.push(other.to_string()),
        }
    }
    let mut words = Vec::new();
    if let Some(map) = &conv.metadata.0 {
        walk(&serde_json::Value::Object(map.clone()), &mut words);
    }
    words.join(" ")
}
