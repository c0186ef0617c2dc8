//! A thread's cached stretch: what a page of messages is known to cover, how the stretch grows
//! with it, and the pages served from it.

use rusqlite::{Connection, OptionalExtension, params};

use super::{from_micros, micros, read_json};
use crate::api::{ConversationId, Cursor, Message, NextPage, Page, Timestamp};

/// What a page of messages is known to cover, so the cached stretch of the thread can grow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Span {
    /// The newest messages of the conversation (`end`: its first message is among them).
    Latest { end: bool },
    /// Every message at or before `at` down to the oldest given.
    Before { at: Timestamp, end: bool },
    /// Every message at or after `since` (a complete catch-up).
    Since { since: Timestamp },
    /// Not known to be complete: stored (and searchable) but never served as a page.
    Loose,
}

/// Every message of a conversation sent in `[lo, hi]` (microseconds) is cached; the instant `lo`
/// itself only when `at_beginning` (a page may split the messages sharing it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Range {
    pub lo: i64,
    pub hi: i64,
    pub at_beginning: bool,
}

/// How the cached stretch grows with a page covering `page` (its oldest and newest instants).
pub fn extend(old: Option<Range>, span: &Span, page: Option<(i64, i64)>) -> Option<Range> {
    match span {
        Span::Loose => old,
        Span::Latest { end } => {
            let Some((lo, hi)) = page else { return old };
            match old {
                Some(r) if r.hi >= lo => Some(Range {
                    lo: r.lo.min(lo),
                    hi: r.hi.max(hi),
                    at_beginning: r.at_beginning || *end,
                }),
                _ => Some(Range {
                    lo,
                    hi,
                    at_beginning: *end,
                }),
            }
        }
        Span::Before { at, end } => {
            let at = micros(*at);
            match old {
                Some(r) if r.lo <= at && at <= r.hi => Some(Range {
                    lo: page.map_or(r.lo, |(lo, _)| lo.min(r.lo)),
                    hi: r.hi,
                    at_beginning: r.at_beginning || *end,
                }),
                _ => page
                    .map(|(lo, hi)| Range {
                        lo,
                        hi,
                        at_beginning: *end,
                    })
                    .or(old),
            }
        }
        Span::Since { since } => {
            let since = micros(*since);
            match old {
                Some(r) if r.lo <= since && since <= r.hi => Some(Range {
                    hi: page.map_or(r.hi, |(_, hi)| hi.max(r.hi)),
                    ..r
                }),
                _ => old,
            }
        }
    }
}

pub(super) fn range(
    conn: &Connection,
    conversation: &ConversationId,
) -> rusqlite::Result<Option<Range>> {
    conn.prepare_cached("SELECT lo, hi, at_beginning FROM threads WHERE conversation = ?1")?
        .query_row([conversation.as_str()], |row| {
            Ok(Range {
                lo: row.get(0)?,
                hi: row.get(1)?,
                at_beginning: row.get(2)?,
            })
        })
        .optional()
}

/// Up to `limit` cached messages at or before `upper` inside `range`, oldest first, with the
/// cursor past them: further back in the cache, on to the server at the stretch's start, or the
/// end. `None` when nothing cached can be served (the server must answer).
pub(super) fn page_in(
    conn: &Connection,
    conversation: &ConversationId,
    range: Range,
    upper: i64,
    cursor: Option<(Timestamp, bool)>,
    limit: u32,
) -> rusqlite::Result<Option<Page<Message>>> {
    let lower = if range.at_beginning {
        range.lo
    } else {
        range.lo + 1
    };
    let mut items: Vec<Message> = read_json(
        conn,
        "SELECT json FROM messages WHERE conversation = ?1 AND sent_at BETWEEN ?2 AND ?3
         ORDER BY sent_at DESC, id DESC LIMIT ?4",
        params![conversation.as_str(), lower, upper, limit],
    )?;
    items.reverse();
    let full = items.len() >= usize::try_from(limit).unwrap_or(usize::MAX);
    let next = match items.first() {
        Some(oldest) if full => {
            let (at, inclusive) = crate::api::agentphone::step_back(oldest.sent_at, cursor);
            if !inclusive {
                // A page's worth share the instant: all of them, as the server gave them.
                items = at_instant(conn, conversation, micros(at), items)?;
            }
            NextPage::More(Cursor::Before { at, inclusive })
        }
        _ if range.at_beginning => NextPage::End,
        None => return Ok(None),
        Some(_) => NextPage::More(Cursor::Before {
            at: from_micros(range.lo),
            inclusive: true,
        }),
    };
    let gaps = gaps_among(conn, conversation, &items)?;
    Ok(Some(Page {
        items,
        next,
        total: None,
        gaps,
    }))
}

/// `items` with every cached message of the instant `at` (microseconds), in thread order.
fn at_instant(
    conn: &Connection,
    conversation: &ConversationId,
    at: i64,
    items: Vec<Message>,
) -> rusqlite::Result<Vec<Message>> {
    let crowd: Vec<Message> = read_json(
        conn,
        "SELECT json FROM messages WHERE conversation = ?1 AND sent_at = ?2",
        params![conversation.as_str(), at],
    )?;
    let mut all = [items, crowd].concat();
    all.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
    all.dedup_by(|a, b| a.id == b.id);
    Ok(all)
}

/// The gaps noted at the times of `items` (a gap may be a whole second: its messages are at
/// most a second after it).
fn gaps_among(
    conn: &Connection,
    conversation: &ConversationId,
    items: &[Message],
) -> rusqlite::Result<Vec<Timestamp>> {
    let (Some(first), Some(last)) = (items.first(), items.last()) else {
        return Ok(Vec::new());
    };
    let mut stmt = conn.prepare_cached(
        "SELECT at FROM gaps WHERE conversation = ?1 AND at BETWEEN ?2 AND ?3 ORDER BY at",
    )?;
    let rows = stmt.query_map(
        params![
            conversation.as_str(),
            micros(first.sent_at) - 999_999,
            micros(last.sent_at)
        ],
        |row| row.get::<_, i64>(0),
    )?;
    rows.map(|at| at.map(from_micros)).collect()
}
