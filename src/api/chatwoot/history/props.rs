//! Property tests of the Chatwoot walk back in time against a model of `before_timestamp`
//! (`providers.md` 3.3: the 20 latest created before a whole second, by `created_at`, ties in the
//! server's own order, oldest first): every message once, ties and fractions of seconds included,
//! whatever the ids (they need not follow time).

use std::collections::{BTreeMap, BTreeSet, HashSet};

use proptest::prelude::*;

use super::{MESSAGES, fallback, page, query};
use crate::api::model::{Cursor, Message, NextPage};
use crate::app::paging::props::{message, shuffle};
use crate::rng::Rng;

/// Messages with distinct numeric ids over a few seconds, some with a fraction of a second, in
/// the server's order (time, then an order of its own).
fn history() -> impl Strategy<Value = Vec<Message>> {
    let picked = prop::collection::btree_map(1u64..5_000, (0i64..8, 0i64..4), 1..120);
    (picked, any::<u64>()).prop_map(|(picked, seed)| {
        let mut all: Vec<Message> = picked
            .into_iter()
            .map(|(id, (secs, quarter))| message(&id.to_string(), secs, quarter * 250))
            .collect();
        shuffle(&mut all, &mut Rng::seeded(seed));
        all.sort_by_key(|m| m.sent_at);
        all
    })
}

/// What a server with `before_timestamp` answers to `query`, oldest first.
fn serve(history: &[Message], query: &[(&str, String)]) -> Vec<Message> {
    let bound = query
        .iter()
        .find(|(k, _)| *k == "before_timestamp")
        .and_then(|(_, v)| v.parse::<i64>().ok());
    let older: Vec<&Message> = history
        .iter()
        .filter(|m| bound.is_none_or(|ts| m.sent_at.timestamp() < ts))
        .collect();
    older[older.len().saturating_sub(MESSAGES)..]
        .iter()
        .map(|m| (*m).clone())
        .collect()
}

/// Walks from the latest page to the end as the client does: every page's messages in order,
/// and the seconds the pages marked as gaps.
fn walk(history: &[Message]) -> (Vec<Message>, BTreeSet<i64>) {
    let mut cursor: Option<Cursor> = None;
    let mut got = Vec::new();
    let mut gaps = BTreeSet::new();
    for _ in 0..=history.len() + 2 {
        let mut items = serve(history, &query(cursor.as_ref()));
        assert!(
            fallback(cursor.as_ref(), &items).is_none(),
            "a server that knows before_timestamp is never paged by id"
        );
        // The client reads a reply in time order, then id (`wire::messages`).
        items.sort_by_key(|m| (m.sent_at, super::numeric(&m.id)));
        let rows = items.len();
        let page = page(cursor.as_ref(), items, rows);
        got.extend(page.items);
        gaps.extend(page.gaps.iter().map(chrono::DateTime::timestamp));
        match page.next {
            NextPage::More(next) => cursor = Some(next),
            NextPage::End => return (got, gaps),
        }
    }
    panic!("the walk did not end")
}

/// Per whole second, how many messages it holds.
fn per_second(history: &[Message]) -> BTreeMap<i64, usize> {
    let mut counts = BTreeMap::new();
    for m in history {
        *counts.entry(m.sent_at.timestamp()).or_insert(0) += 1;
    }
    counts
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// With at most a page of messages in any one second, the walk returns each message exactly
    /// once.
    #[test]
    fn the_walk_back_returns_every_message_once(history in history()) {
        let crowded = per_second(&history);
        let history: Vec<Message> = {
            let mut taken = BTreeMap::new();
            history
                .into_iter()
                .filter(|m| {
                    let n = taken.entry(m.sent_at.timestamp()).or_insert(0);
                    *n += 1;
                    *n <= MESSAGES
                })
                .collect()
        };
        prop_assume!(crowded.values().any(|n| *n > 1));
        let (got, gaps) = walk(&history);
        // A second holding exactly a page is marked (the reply cannot tell it from more).
        let full = per_second(&history);
        prop_assert!(gaps.iter().all(|s| full[s] == MESSAGES), "gaps {gaps:?} in {full:?}");
        let ids: Vec<&str> = got.iter().map(|m| m.id.as_str()).collect();
        let unique: HashSet<&str> = ids.iter().copied().collect();
        prop_assert_eq!(unique.len(), ids.len(), "a message came twice");
        let want: HashSet<&str> = history.iter().map(|m| m.id.as_str()).collect();
        prop_assert_eq!(unique, want);
    }

    /// With more than a page in one second the walk still ends, never repeats a message, misses
    /// messages only in such crowded seconds, and marks each of them as a gap.
    #[test]
    fn a_crowded_second_ends_the_walk_and_costs_only_its_own_messages(
        history in history(),
    ) {
        let (got, gaps) = walk(&history);
        let ids: HashSet<&str> = got.iter().map(|m| m.id.as_str()).collect();
        prop_assert_eq!(ids.len(), got.len(), "a message came twice");
        let crowded = per_second(&history);
        for m in &history {
            if !ids.contains(m.id.as_str()) {
                let second = m.sent_at.timestamp();
                prop_assert!(crowded[&second] > MESSAGES, "{} at {} missed", m.id, m.sent_at);
                prop_assert!(gaps.contains(&second), "{} missed at an unmarked second", m.id);
            }
        }
        prop_assert!(gaps.iter().all(|s| crowded[s] >= MESSAGES), "gaps {gaps:?}");
    }
}
