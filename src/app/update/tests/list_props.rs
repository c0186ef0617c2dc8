//! Property tests of the conversation list merge: random overlapping pages, merged in any order,
//! give the de-duplicated union sorted by activity (newest first, then id), the id index agrees
//! with the rows, and the selection stays on its conversation wherever the rows move.

use std::collections::{HashMap, HashSet};

use proptest::prelude::*;

use super::super::conversations::merge;
use super::*;
use crate::app::paging::props::{overlapping_pages, shuffle};
use crate::rng::Rng;

/// Distinct conversations whose activity is one of a few minutes (so many share one), now and
/// then unknown; ids of different lengths.
fn universe() -> impl Strategy<Value = Vec<Conversation>> {
    prop::collection::btree_map(0u16..500, prop::option::weighted(0.9, 0i64..5), 1..50).prop_map(
        |picked| {
            picked
                .into_iter()
                .map(|(n, minutes)| {
                    let mut c = conv(&format!("c{n}"), minutes.unwrap_or(0));
                    if minutes.is_none() {
                        c.last_activity_at = None;
                    }
                    c
                })
                .collect()
        },
    )
}

/// The list order the app promises: newest activity first, then id (descending), unknown last.
fn list_order(mut rows: Vec<Conversation>) -> Vec<Conversation> {
    rows.sort_by(|a, b| {
        b.last_activity_at
            .cmp(&a.last_activity_at)
            .then_with(|| b.id.cmp(&a.id))
    });
    rows
}

/// The server's order: newest activity first, ties in an order of its own.
fn server_order(universe: &[Conversation], rng: &mut Rng) -> Vec<Conversation> {
    let mut order = universe.to_vec();
    shuffle(&mut order, rng);
    order.sort_by_key(|c| std::cmp::Reverse(c.last_activity_at));
    order
}

/// The rows, the id index and the selection agree with `union` (the last copy of each row).
fn check(
    s: &AppState,
    union: &HashMap<ConversationId, Conversation>,
    selected: Option<&ConversationId>,
) -> Result<(), TestCaseError> {
    let want = list_order(union.values().cloned().collect());
    prop_assert_eq!(&s.inbox.list.items, &want);
    for (i, c) in s.inbox.list.items.iter().enumerate() {
        prop_assert_eq!(
            s.inbox.list.positions.get(&c.id),
            Some(&i),
            "index of {}",
            c.id
        );
    }
    prop_assert_eq!(s.inbox.list.positions.len(), s.inbox.list.items.len());
    prop_assert_eq!(s.inbox.list.selected.as_ref(), selected);
    if let Some(id) = selected {
        prop_assert_eq!(s.conversation(id), union.get(id));
    }
    Ok(())
}

/// Selects a random row of the first page through the reducer (Down from the top).
fn select_some_row(s: &mut AppState, rng: &mut Rng) -> Option<ConversationId> {
    s.inbox.list.selected = s.inbox.list.items.first().map(|c| c.id.clone());
    for _ in 0..rng.index(s.inbox.list.items.len()) {
        cmd(s, Command::Down);
    }
    s.inbox.list.selected.clone()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Identical copies in overlapping pages, in any order: the union, each row once, sorted;
    /// a merge reports as changed exactly the rows that were new to the list.
    #[test]
    fn overlapping_pages_merge_to_the_sorted_union(universe in universe(), seed in any::<u64>()) {
        let mut rng = Rng::seeded(seed);
        let mut s = state();
        let mut union = HashMap::new();
        let mut selected = None;
        for (k, page) in overlapping_pages(&server_order(&universe, &mut rng), &mut rng)
            .into_iter()
            .enumerate()
        {
            let new: HashSet<ConversationId> =
                page.iter().filter(|c| !union.contains_key(&c.id)).map(|c| c.id.clone()).collect();
            union.extend(page.iter().map(|c| (c.id.clone(), c.clone())));
            let changed: HashSet<ConversationId> = merge(&mut s, page).into_iter().collect();
            prop_assert_eq!(changed, new);
            if k == 0 {
                selected = select_some_row(&mut s, &mut rng);
            }
            check(&s, &union, selected.as_ref())?;
        }
        prop_assert_eq!(s.inbox.list.items.len(), universe.len());
    }

    /// Copies with newer activity (polls of the top, rows that moved): each row is its last
    /// copy, re-sorted, the selection still on its conversation; the rows reported changed are
    /// the new ones and those whose activity moved on.
    #[test]
    fn rows_with_new_activity_move_and_the_selection_follows(
        universe in universe(),
        seed in any::<u64>(),
    ) {
        let mut rng = Rng::seeded(seed);
        let mut s = state();
        let mut union: HashMap<ConversationId, Conversation> = HashMap::new();
        let mut selected = None;
        let pages = overlapping_pages(&server_order(&universe, &mut rng), &mut rng);
        for (k, mut page) in pages.into_iter().enumerate() {
            let mut once = HashSet::new();
            page.retain(|c| once.insert(c.id.clone()));
            let mut moved = HashSet::new();
            for c in &mut page {
                if let Some(known) = union.get(&c.id) {
                    *c = known.clone();
                    if rng.chance(300) {
                        let minutes = i64::try_from(rng.range(1, 30)).unwrap_or(1);
                        c.last_activity_at = Some(t0() + TimeDelta::minutes(minutes));
                        c.preview = Some(format!("news {k}"));
                        moved.extend(
                            (c.last_activity_at > known.last_activity_at).then(|| c.id.clone()),
                        );
                    }
                } else {
                    moved.insert(c.id.clone());
                }
            }
            union.extend(page.iter().map(|c| (c.id.clone(), c.clone())));
            let changed: HashSet<ConversationId> = merge(&mut s, page).into_iter().collect();
            prop_assert_eq!(changed, moved);
            if k == 0 {
                selected = select_some_row(&mut s, &mut rng);
            }
            check(&s, &union, selected.as_ref())?;
        }
    }
}
