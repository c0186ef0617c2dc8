//! Property tests of the message merge: random overlapping pages, merged in any order, give the
//! sorted, de-duplicated union, ties (messages sharing a timestamp) included, in thread order
//! (time, then id). Pages are cut the way servers cut them: windows of the server's own order
//! (ties in an order of its own), meeting or overlapping, each page in any order, a record now
//! and then twice, and a few stray windows besides.

use std::collections::{HashMap, HashSet};

use chrono::{TimeDelta, TimeZone, Utc};
use proptest::prelude::*;

use super::merge_messages;
use crate::api::{Direction, Message, MessageId};
use crate::rng::Rng;

/// A plain message at `secs` (and `millis`) past a fixed instant.
pub fn message(id: &str, secs: i64, millis: i64) -> Message {
    Message {
        id: MessageId(id.into()),
        direction: Direction::Inbound,
        channel: None,
        body: id.into(),
        from: None,
        to: None,
        sender: None,
        media: Vec::new(),
        reactions: Vec::new(),
        reply_to: None,
        delivery: None,
        sent_at: Utc
            .timestamp_opt(1_767_225_600, 0)
            .single()
            .expect("a valid instant")
            + TimeDelta::seconds(secs)
            + TimeDelta::milliseconds(millis),
        private: false,
        turn: None,
    }
}

/// Fisher-Yates with the crate's own generator (a seed from proptest makes it reproducible).
pub fn shuffle<T>(items: &mut [T], rng: &mut Rng) {
    for i in (1..items.len()).rev() {
        items.swap(i, rng.index(i + 1));
    }
}

/// Pages of `server_order` as a server sends them: consecutive windows that meet or overlap
/// (so their union is everything), a few stray windows besides, each page in any order and now
/// and then holding one record twice; the pages themselves in any order.
pub fn overlapping_pages<T: Clone>(server_order: &[T], rng: &mut Rng) -> Vec<Vec<T>> {
    let n = server_order.len();
    let size = 1 + rng.index(8);
    let overlap = rng.index(size);
    let mut windows = Vec::new();
    let mut start = 0;
    while start < n {
        let end = (start + size).min(n);
        windows.push(start..end);
        if end == n {
            break;
        }
        start = (end - overlap).max(start + 1);
    }
    for _ in 0..rng.index(4) {
        let from = rng.index(n);
        windows.push(from..(from + 1 + rng.index(size)).min(n));
    }
    let mut pages: Vec<Vec<T>> = windows
        .into_iter()
        .map(|w| {
            let mut page = server_order[w].to_vec();
            if rng.chance(200) {
                let twice = page[rng.index(page.len())].clone();
                page.push(twice);
            }
            shuffle(&mut page, rng);
            page
        })
        .collect();
    shuffle(&mut pages, rng);
    pages
}

/// Distinct messages over a few seconds (so many share one), ids of different lengths (so their
/// text order is not their number order), some with a fraction of a second.
fn universe() -> impl Strategy<Value = Vec<Message>> {
    prop::collection::btree_map(0u16..600, (0i64..6, prop::bool::weighted(0.2)), 1..60).prop_map(
        |picked| {
            picked
                .into_iter()
                .map(|(n, (secs, fraction))| {
                    message(&format!("m{n}"), secs, if fraction { 250 } else { 0 })
                })
                .collect()
        },
    )
}

/// The server's order: by time, messages sharing one in an order of its own.
fn server_order(universe: &[Message], rng: &mut Rng) -> Vec<Message> {
    let mut order = universe.to_vec();
    shuffle(&mut order, rng);
    order.sort_by_key(|m| m.sent_at);
    order
}

fn thread_order(mut messages: Vec<Message>) -> Vec<Message> {
    messages.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
    messages
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The union of the pages, each message once and in thread order, whatever the order the
    /// pages came in; each id is reported added exactly once and none as updated.
    #[test]
    fn overlapping_pages_merge_to_the_sorted_union(universe in universe(), seed in any::<u64>()) {
        let mut rng = Rng::seeded(seed);
        let pages = overlapping_pages(&server_order(&universe, &mut rng), &mut rng);
        let (mut thread, mut ids, mut added) = (Vec::new(), HashSet::new(), Vec::new());
        for page in pages {
            let merged = merge_messages(&mut thread, &mut ids, page);
            prop_assert!(merged.updated.is_empty(), "identical copies updated {:?}", merged.updated);
            added.extend(merged.added);
        }
        let want = thread_order(universe);
        prop_assert_eq!(&thread, &want);
        let want_ids: HashSet<MessageId> = want.iter().map(|m| m.id.clone()).collect();
        prop_assert_eq!(&ids, &want_ids);
        added.sort();
        let mut each_once: Vec<MessageId> = want_ids.into_iter().collect();
        each_once.sort();
        prop_assert_eq!(added, each_once);
    }

    /// Pages whose copies of a message differ (a delivery status moved on, our provisional copy
    /// of a sent message replaced by the server's at another time): the thread holds the last
    /// copy of each message that arrived, in thread order, each once.
    #[test]
    fn the_last_copy_of_each_message_wins_and_moves_to_its_place(
        universe in universe(),
        seed in any::<u64>(),
    ) {
        let mut rng = Rng::seeded(seed);
        let mut pages = overlapping_pages(&server_order(&universe, &mut rng), &mut rng);
        let mut last: HashMap<MessageId, Message> = HashMap::new();
        let (mut thread, mut ids) = (Vec::new(), HashSet::new());
        for (k, page) in pages.iter_mut().enumerate() {
            let mut once = HashSet::new();
            page.retain(|m| once.insert(m.id.clone()));
            for m in page.iter_mut() {
                m.body = format!("{} as of page {k}", m.id);
                if rng.chance(150) {
                    m.sent_at += TimeDelta::seconds(i64::try_from(rng.range(1, 3)).unwrap_or(1));
                }
                last.insert(m.id.clone(), m.clone());
            }
            merge_messages(&mut thread, &mut ids, page.clone());
        }
        let want = thread_order(last.into_values().collect());
        prop_assert_eq!(ids.len(), want.len());
        prop_assert_eq!(thread, want);
    }
}
