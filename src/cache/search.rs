//! Full-text search (FTS5) over every cached conversation and message.

use rusqlite::params;

use super::CacheError;
use super::db::{Db, from_micros};
use crate::api::{ConversationId, MessageId, Timestamp};
use crate::text::sanitize_line;

/// Marks where a match starts and ends in a snippet (private-use characters, never in the text
/// shown: the snippet is split on them before display).
const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';
/// Conversations (names, numbers, metadata) listed before messages.
const MAX_CONVERSATION_HITS: usize = 5;

/// One search result: a conversation (names, numbers, metadata matched) or a message in one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchHit {
    pub conversation: ConversationId,
    /// Who the conversation is with, as the cache knows it (the UI prefers its own names).
    pub title: String,
    /// The message that matched; `None` when the conversation itself did.
    pub message: Option<(MessageId, Timestamp)>,
    /// The text around the match, already safe for the terminal; `true` parts matched.
    pub snippet: Vec<(String, bool)>,
}

/// The FTS5 query for what the user typed: every word must match, each as a prefix, with FTS
/// syntax quoted away (so `"`, `*`, `AND`, `-` are just text). `None` when nothing is searchable.
pub fn fts_query(input: &str) -> Option<String> {
    let terms: Vec<String> = input
        .split_whitespace()
        .filter(|word| word.chars().any(char::is_alphanumeric))
        .map(|word| format!("\"{}\"*", word.replace('"', "\"\"")))
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

impl Db {
    /// Conversations then messages (newest first) matching every word of `input`.
    pub fn search(&mut self, input: &str, limit: usize) -> Result<Vec<SearchHit>, CacheError> {
        let Some(query) = fts_query(input) else {
            return Ok(Vec::new());
        };
        let result = (|| {
            let mut hits = conversation_hits(&self.conn, &query, limit.min(MAX_CONVERSATION_HITS))?;
            let rest = limit.saturating_sub(hits.len());
            hits.extend(message_hits(&self.conn, &query, rest)?);
            Ok(hits)
        })();
        self.check(result)
    }
}

fn conversation_hits(
    conn: &rusqlite::Connection,
    query: &str,
    limit: usize,
) -> rusqlite::Result<Vec<SearchHit>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.id, c.name, c.address,
                snippet(conversation_fts, -1, ?2, ?3, '…', 10)
         FROM conversation_fts JOIN conversations c ON c.rowid = conversation_fts.rowid
         WHERE conversation_fts MATCH ?1
         ORDER BY c.last_activity DESC LIMIT ?4",
    )?;
    let rows = stmt.query_map(
        params![query, OPEN.to_string(), CLOSE.to_string(), count(limit)],
        |row| {
            Ok(SearchHit {
                conversation: ConversationId(row.get(0)?),
                title: title(&row.get::<_, String>(1)?, &row.get::<_, String>(2)?),
                message: None,
                snippet: split_snippet(&row.get::<_, String>(3)?),
            })
        },
    )?;
    rows.collect()
}

fn message_hits(
    conn: &rusqlite::Connection,
    query: &str,
    limit: usize,
) -> rusqlite::Result<Vec<SearchHit>> {
    let mut stmt = conn.prepare_cached(
        "SELECT m.conversation, m.id, m.sent_at, coalesce(c.name, ''), coalesce(c.address, ''),
                snippet(message_fts, -1, ?2, ?3, '…', 12)
         FROM message_fts JOIN messages m ON m.rowid = message_fts.rowid
         LEFT JOIN conversations c ON c.id = m.conversation
         WHERE message_fts MATCH ?1
         ORDER BY m.sent_at DESC, m.id DESC LIMIT ?4",
    )?;
    let rows = stmt.query_map(
        params![query, OPEN.to_string(), CLOSE.to_string(), count(limit)],
        |row| {
            let conversation: String = row.get(0)?;
            let name: String = row.get(3)?;
            let address: String = row.get(4)?;
            let shown = if name.is_empty() && address.is_empty() {
                conversation.clone()
            } else {
                title(&name, &address)
            };
            Ok(SearchHit {
                conversation: ConversationId(conversation),
                title: shown,
                message: Some((MessageId(row.get(1)?), from_micros(row.get(2)?))),
                snippet: split_snippet(&row.get::<_, String>(5)?),
            })
        },
    )?;
    rows.collect()
}

fn count(limit: usize) -> i64 {
    i64::try_from(limit).unwrap_or(i64::MAX)
}

fn title(name: &str, address: &str) -> String {
    sanitize_line(if name.trim().is_empty() {
        address
    } else {
        name
    })
}

/// Splits a snippet on the match markers into safe parts; `true` parts matched.
pub fn split_snippet(snippet: &str) -> Vec<(String, bool)> {
    let mut parts = Vec::new();
    let mut matched = false;
    let mut rest = snippet;
    loop {
        let marker = if matched { CLOSE } else { OPEN };
        let (text, next) = match rest.find(marker) {
            Some(at) => (&rest[..at], Some(&rest[at + marker.len_utf8()..])),
            None => (rest, None),
        };
        // Markers of the other kind (never produced by FTS5) are dropped with the rest.
        let clean = sanitize_line(&text.replace([OPEN, CLOSE], ""));
        if !clean.is_empty() {
            parts.push((clean, matched));
        }
        match next {
            Some(after) => {
                rest = after;
                matched = !matched;
            }
            None => return parts,
        }
    }
}
