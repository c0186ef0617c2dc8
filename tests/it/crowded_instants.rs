//! Many messages at one instant, against the sandbox (issue 19). AgentPhone's message cursors are
//! times and it has no offset for messages (`providers.md` 1.3), so a page cannot get past an
//! instant that more messages share than it holds. The client then asks for that instant alone
//! with the largest page the API gives (200): a crowd up to that size is read whole whatever the
//! page size; a larger one cannot be, and its instant is reported as a gap (the thread marks it)
//! instead of being passed over in silence.

use std::collections::{BTreeMap, HashSet};

use chrono::TimeDelta;
use switchboard::api::{AgentPhone, ConversationId, Cursor, Message, NextPage, Timestamp};
use switchboard::sandbox::{self, SandboxConfig, SandboxHandle};

async fn start() -> (SandboxHandle, AgentPhone) {
    let handle = sandbox::spawn(SandboxConfig::quiet(11)).await.unwrap();
    let client = AgentPhone::new(handle.http_config()).unwrap();
    (handle, client)
}

/// The longest thread, with `count` of its messages from position `from` moved onto the instant
/// of the first of them (the thread stays in time order). Returns its id, every message id, and
/// the crowded instant.
fn crowd(
    handle: &SandboxHandle,
    from: usize,
    count: usize,
) -> (ConversationId, Vec<String>, Timestamp) {
    handle.with_world(|w| {
        let conv = (0..w.conversations.len())
            .max_by_key(|&i| w.conversations[i].messages.len())
            .unwrap();
        let msgs = &mut w.conversations[conv].messages;
        // Start where no earlier message shares the instant, so the crowd is exactly `count`.
        let mut from = from;
        while from > 0 && msgs[from - 1].at == msgs[from].at {
            from += 1;
        }
        let at = msgs[from].at;
        for m in &mut msgs[from..from + count] {
            m.at = at;
        }
        assert_eq!(msgs.iter().filter(|m| m.at == at).count(), count);
        let ids = msgs.iter().map(|m| m.id.clone()).collect();
        (ConversationId(w.conversations[conv].id.clone()), ids, at)
    })
}

/// Pages the thread back to its first message as the inbox does: each message, every gap the
/// pages reported, and the number of requests.
async fn page_to_start(
    (handle, client): (&SandboxHandle, &AgentPhone),
    id: &ConversationId,
    limit: u32,
) -> (Vec<Message>, Vec<Timestamp>, usize) {
    let mut merged: Vec<Message> = Vec::new();
    let mut seen = HashSet::new();
    let mut gaps = Vec::new();
    let mut cursor: Option<Cursor> = None;
    handle.clear_requests();
    for _ in 0..1_000 {
        let page = client
            .messages_page(id, cursor.as_ref(), limit)
            .await
            .unwrap();
        merged.extend(page.items.into_iter().filter(|m| seen.insert(m.id.clone())));
        gaps.extend(page.gaps);
        match page.next {
            NextPage::More(next) => cursor = Some(next),
            NextPage::End => return (merged, gaps, handle.requests().len()),
        }
    }
    panic!("paging did not stop")
}

#[tokio::test]
async fn more_than_the_api_gives_at_one_instant_is_marked_not_passed_over() {
    let (handle, client) = start().await;
    let total = handle.with_world(|w| w.conversations.iter().map(|c| c.messages.len()).max());
    let total = total.unwrap();
    // The newest 250 on one instant: 200 is the most one request returns.
    let (id, all, at) = crowd(&handle, total - 250, 250);
    let (merged, gaps, requests) = page_to_start((&handle, &client), &id, 200).await;
    assert_eq!(gaps, [at], "the instant is reported once");
    let got: HashSet<String> = merged.iter().map(|m| m.id.to_string()).collect();
    assert_eq!(got.len(), merged.len(), "no message twice");
    let missing: Vec<&String> = all.iter().filter(|i| !got.contains(*i)).collect();
    assert_eq!(
        missing.len(),
        50,
        "only what the API cannot give is missing"
    );
    let at_crowd = handle.with_world(|w| {
        let conv = w.conversation_index(id.as_str()).unwrap();
        w.conversations[conv]
            .messages
            .iter()
            .filter(|m| m.at == at)
            .map(|m| m.id.clone())
            .collect::<HashSet<_>>()
    });
    assert!(
        missing.iter().all(|i| at_crowd.contains(*i)),
        "missing only at the crowded instant"
    );
    assert!(requests <= total / 200 + 4, "{requests} requests");
}

#[tokio::test]
async fn a_crowd_the_api_can_give_is_read_whole_at_any_page_size() {
    let (handle, client) = start().await;
    // 150 messages on one instant in the middle of the thread, paged 50 at a time.
    let (id, all, _) = crowd(&handle, 1_000, 150);
    let (merged, gaps, _) = page_to_start((&handle, &client), &id, 50).await;
    assert!(gaps.is_empty(), "{gaps:?}");
    let got: HashSet<String> = merged.iter().map(|m| m.id.to_string()).collect();
    assert_eq!(got.len(), merged.len(), "no message twice");
    assert_eq!(got, all.into_iter().collect::<HashSet<_>>());
}

#[tokio::test]
async fn exactly_the_api_page_at_one_instant_is_whole_and_no_gap() {
    let (handle, client) = start().await;
    let (id, all, _) = crowd(&handle, 600, 200);
    let (merged, gaps, _) = page_to_start((&handle, &client), &id, 200).await;
    assert!(gaps.is_empty(), "{gaps:?}");
    assert_eq!(merged.len(), all.len());
}

#[tokio::test]
async fn a_catch_up_reads_a_crowd_whole_or_marks_it() {
    let (handle, client) = start().await;
    let id = handle.with_world(|w| {
        let longest = w.conversations.iter().max_by_key(|c| c.messages.len());
        ConversationId(longest.unwrap().id.clone())
    });
    let latest = client.messages_page(&id, None, 50).await.unwrap();
    let newest = latest.items.last().unwrap().sent_at;
    let burst = |n: usize, at: Timestamp| -> Vec<String> {
        handle.with_world(|w| {
            let conv = w.conversation_index(id.as_str()).unwrap();
            (0..n)
                .map(|i| w.add_simple(conv, true, &format!("burst {i}"), at))
                .collect()
        })
    };
    // 120 new messages on one instant, caught up 50 at a time: all of them, no gap.
    let first = newest + TimeDelta::seconds(5);
    let injected = burst(120, first);
    let caught = client.messages_since(&id, newest, 50).await.unwrap();
    let ids: HashSet<String> = caught.messages.iter().map(|m| m.id.to_string()).collect();
    assert!(injected.iter().all(|i| ids.contains(i)));
    assert!(caught.gaps.is_empty(), "{:?}", caught.gaps);
    // 300 more on one instant: 200 is all the API gives of them, and the instant is a gap.
    let second = first + TimeDelta::seconds(5);
    let flood = burst(300, second);
    let flooded = client.messages_since(&id, first, 200).await.unwrap();
    let ids: HashSet<String> = flooded.messages.iter().map(|m| m.id.to_string()).collect();
    assert_eq!(flood.iter().filter(|i| ids.contains(*i)).count(), 200);
    assert_eq!(flooded.gaps, [second]);
}

/// Moves `size` messages from `from` onto the instant of the first of them (joining any crowd
/// already there); the thread stays in time order.
fn pile_up(handle: &SandboxHandle, id: &ConversationId, from: usize, size: usize) {
    handle.with_world(|w| {
        let conv = w.conversation_index(id.as_str()).unwrap();
        let msgs = &mut w.conversations[conv].messages;
        let from = from.min(msgs.len() - 1);
        let to = (from + size).min(msgs.len());
        let at = msgs[from].at;
        for m in &mut msgs[from..to] {
            m.at = at;
        }
    });
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]

    /// Random crowds (up to past the API's page) anywhere in the long thread, paged back at a
    /// random page size: each message once; every message of an instant the API can give whole
    /// is there, at least 200 of one it cannot; the gaps are exactly the instants it cannot.
    #[test]
    fn crowds_are_read_whole_or_marked(
        crowds in proptest::collection::vec((0usize..2_400, 2usize..260), 1..4),
        limit in 50u32..=200,
    ) {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime.block_on(async {
            let (handle, client) = start().await;
            let id = handle.with_world(|w| {
                let longest = w.conversations.iter().max_by_key(|c| c.messages.len());
                ConversationId(longest.unwrap().id.clone())
            });
            for (from, size) in crowds {
                pile_up(&handle, &id, from, size);
            }
            let by_instant = handle.with_world(|w| {
                let conv = w.conversation_index(id.as_str()).unwrap();
                let mut by: BTreeMap<Timestamp, Vec<String>> = BTreeMap::new();
                for m in &w.conversations[conv].messages {
                    by.entry(m.at).or_default().push(m.id.clone());
                }
                by
            });
            let (merged, mut gaps, _) = page_to_start((&handle, &client), &id, limit).await;
            gaps.sort();
            let got: HashSet<String> = merged.iter().map(|m| m.id.to_string()).collect();
            assert_eq!(got.len(), merged.len(), "no message twice");
            for (at, ids) in &by_instant {
                let present = ids.iter().filter(|i| got.contains(*i)).count();
                if ids.len() <= 200 {
                    assert_eq!(present, ids.len(), "{} at {at} (limit {limit})", ids.len());
                } else {
                    assert!(present >= 200, "{present} of {} at {at}", ids.len());
                }
            }
            let crowded: Vec<Timestamp> =
                by_instant.iter().filter(|(_, ids)| ids.len() > 200).map(|(at, _)| *at).collect();
            assert_eq!(gaps, crowded, "limit {limit}");
        });
    }
}
