//! The seeded world: its shape, determinism and the hostile corpus.

use super::*;
use chrono::TimeZone;
use chrono::Utc;

fn options() -> SeedOptions {
    SeedOptions {
        seed: 42,
        now: Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap(),
        conversations: 240,
        long_thread: 2_400,
        calls: 40,
    }
}

#[test]
fn the_embedded_assets_parse() {
    assert!(SEED_DATA.topics.len() >= 6);
    assert!(HOSTILE.len() >= 50);
}

#[test]
fn the_same_seed_gives_the_same_world() {
    let a = generate(&options());
    let b = generate(&options());
    let ids = |w: &World| -> Vec<String> {
        w.conversations
            .iter()
            .flat_map(|c| c.messages.iter().map(|m| m.id.clone()))
            .collect()
    };
    assert_eq!(ids(&a), ids(&b));
    let mut other = options();
    other.seed = 43;
    assert_ne!(ids(&a), ids(&generate(&other)));
}

#[test]
fn the_world_has_what_the_issue_asks_for() {
    let w = generate(&options());
    assert!(w.conversations.len() >= 200);
    let long = &w.conversations[w.conversations_by_activity()[LONG_THREAD]];
    assert!(long.messages.len() >= 2_000);
    assert!(w.conversations.iter().filter(|c| c.group.is_some()).count() >= 3);
    let all: Vec<&MsgRec> = w.conversations.iter().flat_map(|c| &c.messages).collect();
    assert!(all.iter().any(|m| !m.media.is_empty()));
    assert!(all.iter().any(|m| !m.reactions.is_empty()));
    assert!(all.iter().any(|m| m.failure.is_some()));
    assert!(all.iter().any(|m| m.body.len() >= 10 * 1024));
    assert!(all.iter().any(|m| m.body.contains('\x1b')));
    assert!(w.conversations.iter().any(|c| c.preview().is_none()));
    assert!(w.conversations.iter().any(|c| {
        c.metadata
            .as_ref()
            .is_some_and(|m| m.values().any(Value::is_object))
    }));
    assert!(long.messages.windows(2).any(|p| p[0].at == p[1].at));
    let web: Vec<&CallRec> = w.calls.iter().filter(|c| c.kind == WEB_CALL).collect();
    assert!(!web.is_empty() && web.len() < w.calls.len());
    assert!(web.iter().all(|c| c.inbound), "a browser calls in");
    // Thread order holds everywhere.
    for c in &w.conversations {
        assert!(
            c.messages
                .windows(2)
                .all(|p| (p[0].at, p[0].seq) <= (p[1].at, p[1].seq))
        );
    }
}
