//! Paging a Chatwoot thread back in time (`providers.md` 3.3). The server orders messages by
//! `created_at`, but `before=<id>` selects by id: where ids do not follow time (imported or
//! migrated history) a walk by the smallest id seen never reaches older messages that carry
//! higher ids. So the walk goes by time with `before_timestamp` (whole seconds, exclusive),
//! re-reading the boundary second and dropping the ids already returned there. A server that
//! ignores `before_timestamp` (older versions answer with the latest page) is paged by id.

use crate::api::model::{Cursor, Message, NextPage, Page, Timestamp};

use super::wire::numeric;

/// Messages per latest, `before` and `before_timestamp` page.
pub const MESSAGES: usize = 20;

/// The whole second of a message's time: `before_timestamp` works in whole seconds, so every
/// comparison with a bound does too (a time with a fraction stays in its second).
fn second(t: Timestamp) -> Timestamp {
    chrono::DurationRound::duration_trunc(t, chrono::TimeDelta::seconds(1)).unwrap_or(t)
}

/// The query of the page a cursor points at (none: the latest page).
pub fn query(cursor: Option<&Cursor>) -> Vec<(&'static str, String)> {
    match cursor {
        Some(Cursor::BeforeSecond { at, .. }) => {
            vec![("before_timestamp", (at.timestamp() + 1).to_string())]
        }
        Some(Cursor::BeforeId(before)) => vec![("before", before.to_string())],
        _ => Vec::new(),
    }
}

/// The id cursor to ask again with when the server answered a `before_timestamp` request with
/// a message after the bound: it does not know the parameter.
pub fn fallback(cursor: Option<&Cursor>, items: &[Message]) -> Option<Cursor> {
    let Some(Cursor::BeforeSecond { at, id, .. }) = cursor else {
        return None;
    };
    items
        .iter()
        .any(|m| second(m.sent_at) > *at)
        .then_some(Cursor::BeforeId(*id))
}

/// The page a request for `cursor` answered with `items`: the boundary second's messages an
/// earlier page returned are dropped, and the next cursor points before this page's oldest
/// second (or its smallest id, when paging by id). A reply of fewer than 20 records (`rows`,
/// readable or not) is the last page.
pub fn page(cursor: Option<&Cursor>, items: Vec<Message>, rows: usize) -> Page<Message> {
    let (before, seen) = match cursor {
        Some(Cursor::BeforeSecond { at, seen, .. }) => (Some(*at), seen.as_slice()),
        _ => (None, &[][..]),
    };
    let again = |m: &Message| {
        Some(second(m.sent_at)) == before && numeric(&m.id).is_some_and(|i| seen.contains(&i))
    };
    let oldest = items.iter().map(|m| second(m.sent_at)).min();
    let smallest = items.iter().filter_map(|m| numeric(&m.id)).min();
    let full = rows >= MESSAGES;
    let mut gaps = Vec::new();
    let next = match (oldest, smallest) {
        _ if !full => NextPage::End,
        (Some(_), Some(smallest)) if matches!(cursor, Some(Cursor::BeforeId(_))) => {
            NextPage::More(Cursor::BeforeId(smallest))
        }
        (Some(oldest), Some(smallest)) => {
            let stuck = items.iter().all(again);
            if stuck {
                // The second's messages beyond this page cannot be asked for by time.
                gaps.push(oldest);
            }
            NextPage::More(step_back(&items, oldest, before, seen, stuck, smallest))
        }
        _ => NextPage::End,
    };
    Page {
        items: items.into_iter().filter(|m| !again(m)).collect(),
        next,
        total: None,
        gaps,
    }
}

/// The cursor before a full page whose oldest second is `oldest`: that second again, less the
/// ids seen there; or, when the whole page was the boundary second again (a page of messages or
/// more in one second), the second before it; that second is then a gap of the page, since
/// `before_timestamp` cannot split it (exactly a page in one second is marked too: the reply
/// cannot tell it from more).
fn step_back(
    items: &[Message],
    oldest: Timestamp,
    before: Option<Timestamp>,
    seen: &[u64],
    stuck: bool,
    smallest: u64,
) -> Cursor {
    if stuck {
        return Cursor::BeforeSecond {
            at: oldest - chrono::TimeDelta::seconds(1),
            seen: Vec::new(),
            id: smallest,
        };
    }
    let mut at_oldest: Vec<u64> = items
        .iter()
        .filter(|m| second(m.sent_at) == oldest)
        .filter_map(|m| numeric(&m.id))
        .collect();
    if before == Some(oldest) {
        at_oldest.extend_from_slice(seen);
    }
    at_oldest.sort_unstable();
    at_oldest.dedup();
    Cursor::BeforeSecond {
        at: oldest,
        seen: at_oldest,
        id: smallest,
    }
}

#[cfg(test)]
mod props;

#[cfg(test)]
mod tests {
    use chrono::DateTime;
    use serde_json::json;

    use super::*;
    use crate::api::chatwoot::wire;

    fn t(secs: i64) -> Timestamp {
        DateTime::from_timestamp(1_700_000_000 + secs, 0).expect("a valid time")
    }

    /// Messages `(id, second)`, as the server lists them.
    fn messages(rows: &[(u64, i64)]) -> Vec<Message> {
        let one = |&(id, at): &(u64, i64)| {
            wire::message(&json!({"id": id, "content": "x", "message_type": 0,
                                  "created_at": t(at).timestamp()}))
            .expect("a message")
        };
        rows.iter().map(one).collect()
    }

    fn ids(page: &Page<Message>) -> Vec<u64> {
        page.items.iter().filter_map(|m| numeric(&m.id)).collect()
    }

    #[test]
    fn the_boundary_second_is_read_again_and_what_it_held_is_not_repeated() {
        // The latest 20: the oldest second holds two, and ids run against time.
        let mut rows: Vec<(u64, i64)> = (0..18)
            .map(|i| (100 - i, 20 + i64::try_from(i).unwrap()))
            .collect();
        rows.splice(0..0, [(120, 10), (121, 10)]);
        let latest = page(None, messages(&rows), rows.len());
        let NextPage::More(cursor) = latest.next.clone() else {
            panic!("a full page has more");
        };
        assert_eq!(
            cursor,
            Cursor::BeforeSecond {
                at: t(10),
                seen: vec![120, 121],
                id: 83
            }
        );
        assert_eq!(
            query(Some(&cursor)),
            [("before_timestamp", (t(10).timestamp() + 1).to_string())]
        );
        // The next answer re-reads second 10: one more message there, and older ones.
        let older = page(
            Some(&cursor),
            messages(&[(7, 5), (130, 10), (120, 10), (121, 10)]),
            4,
        );
        assert_eq!(ids(&older), [7, 130]);
        assert_eq!(older.next, NextPage::End, "a short page is the last");
    }

    #[test]
    fn more_than_a_page_in_one_second_steps_past_that_second() {
        let rows: Vec<(u64, i64)> = (1..=20).map(|i| (i, 50)).collect();
        let seen: Vec<u64> = (1..=20).collect();
        let cursor = Cursor::BeforeSecond {
            at: t(50),
            seen,
            id: 1,
        };
        let stuck = page(Some(&cursor), messages(&rows), rows.len());
        assert!(stuck.items.is_empty());
        assert_eq!(stuck.gaps, [t(50)], "the second is marked");
        assert_eq!(
            stuck.next,
            NextPage::More(Cursor::BeforeSecond {
                at: t(49),
                seen: Vec::new(),
                id: 1
            })
        );
    }

    #[test]
    fn a_server_without_before_timestamp_is_paged_by_id() {
        let cursor = Cursor::BeforeSecond {
            at: t(100),
            seen: vec![9],
            id: 9,
        };
        // An older server answers with the latest page again: messages after the bound.
        let latest = messages(&[(9, 100), (10, 200)]);
        assert_eq!(fallback(Some(&cursor), &latest), Some(Cursor::BeforeId(9)));
        assert_eq!(
            fallback(Some(&cursor), &messages(&[(8, 90), (9, 100)])),
            None
        );
        assert_eq!(fallback(None, &latest), None);
        let rows: Vec<(u64, i64)> = (1..=20)
            .map(|i| (i + 20, i64::try_from(i).unwrap()))
            .collect();
        let by_id = page(Some(&Cursor::BeforeId(41)), messages(&rows), rows.len());
        assert_eq!(by_id.next, NextPage::More(Cursor::BeforeId(21)));
        assert_eq!(
            query(Some(&Cursor::BeforeId(21))),
            [("before", "21".to_owned())]
        );
    }

    #[test]
    fn a_time_with_a_fraction_stays_in_its_second() {
        // The boundary second again, its messages sent with a fraction (as ISO strings do): not
        // "after the bound", so no fall back to paging by id, and the ids seen there drop out.
        let at = t(10);
        let cursor = Cursor::BeforeSecond {
            at,
            seen: vec![120],
            id: 100,
        };
        let fractional = |id: u64| {
            let when = (at + chrono::TimeDelta::milliseconds(500)).to_rfc3339();
            wire::message(&json!({"id": id, "content": "x", "message_type": 0, "created_at": when}))
                .expect("a message")
        };
        let items = vec![fractional(120), fractional(121)];
        assert!(fallback(Some(&cursor), &items).is_none());
        let page = page(Some(&cursor), items, 2);
        assert_eq!(ids(&page), [121]);
    }
}
