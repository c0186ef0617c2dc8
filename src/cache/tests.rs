use chrono::{TimeZone, Utc};

use super::db::{Range, extend, micros};
use super::*;
use crate::api::{
    Capabilities, Conversation, ConversationId, Counterparty, Cursor, Direction, Message, Metadata,
    NextPage, Participant, Timestamp,
};

fn t(secs: i64) -> Timestamp {
    Utc.timestamp_opt(1_700_000_000 + secs, 0).unwrap()
}

fn msg(id: &str, secs: i64, body: &str) -> Message {
    Message::new(id, Direction::Inbound, body, t(secs)).with_from("+15550001111")
}

fn conv(id: &str, name: &str, secs: i64) -> Conversation {
    Conversation {
        id: ConversationId(id.into()),
        counterparty: Counterparty::Person(Participant {
            address: "+15550001111".into(),
            name: Some(name.into()),
        }),
        our_number: None,
        our_number_id: None,
        agent_id: None,
        channel: None,
        last_activity_at: Some(t(secs)),
        preview: None,
        message_count: None,
        metadata: Metadata(serde_json::from_str(r#"{"status":"escalated","tier":2}"#).unwrap()),
        created_at: None,
        unread_count: None,
        session: None,
        desk: None,
        capabilities: Capabilities::default(),
    }
}

fn cid(id: &str) -> ConversationId {
    ConversationId(id.into())
}

/// Messages `from..to` (one a second), ids m{n}.
fn run(from: i64, to: i64) -> Vec<Message> {
    (from..to)
        .map(|n| msg(&format!("m{n:05}"), n, &format!("message number {n}")))
        .collect()
}

fn ids(page: &crate::api::Page<Message>) -> Vec<String> {
    page.items.iter().map(|m| m.id.to_string()).collect()
}

#[test]
fn conversations_and_read_positions_round_trip() {
    let mut db = Db::memory();
    db.save_conversations(&[conv("a", "Ann", 10), conv("b", "Bob", 20)])
        .unwrap();
    db.save_conversations(&[conv("a", "Ann", 30)]).unwrap();
    let list = db.conversations(10).unwrap();
    assert_eq!(
        list.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
        ["a", "b"]
    );
    assert_eq!(list[0], conv("a", "Ann", 30));
    db.save_seen(&[(cid("a"), t(30))]).unwrap();
    // A read position never moves back.
    db.save_seen(&[(cid("a"), t(5))]).unwrap();
    assert_eq!(db.seen().unwrap().get(&cid("a")), Some(&t(30)));
}

#[test]
fn the_latest_page_and_older_pages_are_served_within_the_cached_stretch() {
    let mut db = Db::memory();
    let a = cid("a");
    // The server's latest page (100..300) then one older page (0..100, the beginning).
    db.record(&a, &run(100, 300), &Span::Latest { end: false })
        .unwrap();
    assert!(
        db.page_before(&a, t(100), true, 200).unwrap().is_none(),
        "nothing older is cached yet: the server must answer"
    );
    db.record(
        &a,
        &run(0, 101),
        &Span::Before {
            at: t(100),
            end: true,
        },
    )
    .unwrap();
    let latest = db.latest_page(&a, 150).unwrap().unwrap();
    assert_eq!(latest.items.len(), 150);
    assert_eq!(latest.items.last().unwrap().id.as_str(), "m00299");
    let NextPage::More(Cursor::Before { at, inclusive }) = latest.next else {
        panic!("expected a cursor, got {:?}", latest.next)
    };
    assert_eq!((at, inclusive), (t(150), true));
    let older = db.page_before(&a, at, inclusive, 200).unwrap().unwrap();
    assert_eq!(ids(&older).first().map(String::as_str), Some("m00000"));
    assert_eq!(older.items.len(), 151, "0..=150, the boundary re-read");
    assert_eq!(older.next, NextPage::End);
}

#[test]
fn a_partial_cached_page_hands_over_to_the_server_at_the_stretch_start() {
    let mut db = Db::memory();
    let a = cid("a");
    db.record(&a, &run(100, 150), &Span::Latest { end: false })
        .unwrap();
    let latest = db.latest_page(&a, 200).unwrap().unwrap();
    // 100 itself may be one of several messages at that instant: it is left to the server.
    assert_eq!(latest.items.len(), 49);
    assert_eq!(
        latest.next,
        NextPage::More(Cursor::Before {
            at: t(100),
            inclusive: true
        })
    );
}

#[test]
fn a_complete_catch_up_extends_the_stretch_and_a_loose_one_does_not() {
    let mut db = Db::memory();
    let a = cid("a");
    db.record(&a, &run(0, 10), &Span::Latest { end: true })
        .unwrap();
    db.record(&a, &run(9, 20), &Span::Since { since: t(9) })
        .unwrap();
    db.record(&a, &run(30, 40), &Span::Loose).unwrap();
    let range = db.range(&a).unwrap().unwrap();
    assert_eq!((range.lo, range.hi), (micros(t(0)), micros(t(19))));
    let latest = db.latest_page(&a, 500).unwrap().unwrap();
    assert_eq!(latest.items.len(), 20, "the loose messages are past a gap");
    assert_eq!(latest.next, NextPage::End);
}

#[test]
fn extend_keeps_a_stretch_contiguous() {
    let r = |lo, hi, b| {
        Some(Range {
            lo,
            hi,
            at_beginning: b,
        })
    };
    // A latest page that does not reach the cached stretch replaces it (there is a gap).
    assert_eq!(
        extend(r(0, 10, true), &Span::Latest { end: false }, Some((20, 30))),
        r(20, 30, false)
    );
    assert_eq!(
        extend(r(0, 10, true), &Span::Latest { end: false }, Some((10, 30))),
        r(0, 30, true)
    );
    // A catch-up from outside the stretch says nothing about it.
    let since = Span::Since {
        since: super::db::from_micros(50),
    };
    assert_eq!(
        extend(r(0, 10, false), &since, Some((50, 60))),
        r(0, 10, false)
    );
    // An empty older page at the stretch's start means the beginning is cached.
    let before = Span::Before {
        at: super::db::from_micros(0),
        end: true,
    };
    assert_eq!(extend(r(0, 10, false), &before, None), r(0, 10, true));
}

#[test]
fn an_updated_message_is_replaced_and_reindexed() {
    let mut db = Db::memory();
    let a = cid("a");
    db.record(&a, &[msg("x", 1, "pineapple delivery")], &Span::Loose)
        .unwrap();
    db.record(&a, &[msg("x", 1, "banana delivery")], &Span::Loose)
        .unwrap();
    assert!(db.search("pineapple", 10).unwrap().is_empty());
    assert_eq!(db.search("banana", 10).unwrap().len(), 1);
    assert_eq!(db.stats().unwrap().messages, 1);
}

#[test]
fn search_finds_messages_by_prefix_and_conversations_by_metadata() {
    let mut db = Db::memory();
    db.save_conversations(&[conv("a", "Ann Lee", 10)]).unwrap();
    db.record(
        &cid("a"),
        &[
            msg("x", 1, "Where is my refund?"),
            msg("y", 2, "The refund was sent"),
            msg("z", 3, "thanks"),
        ],
        &Span::Loose,
    )
    .unwrap();
    let hits = db.search("refu", 10).unwrap();
    let found: Vec<_> = hits
        .iter()
        .map(|h| h.message.as_ref().unwrap().0.as_str())
        .collect();
    assert_eq!(found, ["y", "x"], "newest first");
    assert_eq!(hits[0].title, "Ann Lee");
    assert!(hits[0].snippet.contains(&("refund".into(), true)));
    let by_meta = db.search("escalat", 10).unwrap();
    assert_eq!(by_meta.len(), 1);
    assert_eq!(by_meta[0].message, None);
    assert!(
        db.search("refund thanks", 10).unwrap().is_empty(),
        "every word must match"
    );
}

#[test]
fn search_syntax_is_quoted_away() {
    assert_eq!(fts_query("  "), None);
    assert_eq!(fts_query("- *"), None);
    assert_eq!(
        fts_query("a\"b OR c*"),
        Some("\"a\"\"b\"* \"OR\"* \"c*\"*".into())
    );
    let mut db = Db::memory();
    db.record(&cid("a"), &[msg("x", 1, "NEAR AND OR")], &Span::Loose)
        .unwrap();
    for query in ["\"", "AND", "NEAR(", "a\"b", "*", "^x", "col:umn", "(x"] {
        assert!(
            db.search(query, 10).is_ok(),
            "{query:?} must not be an error"
        );
    }
}

#[test]
fn snippets_are_split_and_made_safe() {
    let parts = search::split_snippet("a \u{1b}[31m\u{E000}red\u{E001} b");
    assert_eq!(parts[1], ("red".into(), true));
    assert!(parts.iter().all(|(s, _)| !s.contains('\u{1b}')));
}

#[test]
fn a_damaged_file_is_moved_aside_and_a_fresh_cache_works() {
    let dir = tempdir("damaged");
    let path = dir.join("cache.sqlite3");
    std::fs::write(
        &path,
        b"this is not a database, just some text that fills a page ".repeat(100),
    )
    .unwrap();
    let (cache, notice) = Cache::open(&path);
    let notice = notice.expect("a notice");
    assert!(notice.contains("damaged"), "{notice}");
    assert_eq!(cache.path(), Some(path.as_path()));
    let aside: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains(".damaged-"))
        .collect();
    assert_eq!(aside.len(), 1, "the old file is kept");
    cache
        .call_blocking(|db| db.save_conversations(&[conv("a", "Ann", 1)]))
        .unwrap();
    let list = cache.call_blocking(|db| db.conversations(10)).unwrap();
    assert_eq!(list.len(), 1);
}

#[test]
fn a_locked_file_leaves_the_session_in_memory() {
    let dir = tempdir("locked");
    let path = dir.join("cache.sqlite3");
    drop(Cache::open(&path));
    let holder = rusqlite::Connection::open(&path).unwrap();
    holder
        .execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE;")
        .unwrap();
    let (cache, notice) = Cache::open(&path);
    assert!(notice.expect("a notice").contains("locked"));
    assert_eq!(cache.path(), None);
    cache
        .call_blocking(|db| db.save_conversations(&[conv("a", "Ann", 1)]))
        .unwrap();
    drop(holder);
    // The file itself was left alone.
    let (reopened, notice) = Cache::open(&path);
    assert_eq!(notice, None);
    assert_eq!(reopened.path(), Some(path.as_path()));
}

#[test]
fn a_cache_from_a_newer_version_is_kept_aside() {
    let dir = tempdir("newer");
    let path = dir.join("cache.sqlite3");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
    }
    let (_cache, notice) = Cache::open(&path);
    assert!(notice.unwrap().contains("newer switchboard"));
}

#[tokio::test]
async fn an_overtaken_search_is_skipped() {
    let cache = Cache::in_memory();
    cache
        .call(|db| db.record(&cid("a"), &[msg("x", 1, "hello world")], &Span::Loose))
        .await
        .unwrap();
    // Hold the cache thread so both searches queue; only the newer one runs.
    let (release, wait) = std::sync::mpsc::channel::<()>();
    cache.write(move |_| {
        let _ = wait.recv();
        Ok(())
    });
    let first = cache.search("hel".into(), 10);
    let second = cache.search("wor".into(), 10);
    release.send(()).unwrap();
    assert_eq!(first.await.unwrap(), None);
    assert_eq!(second.await.unwrap().unwrap().len(), 1);
}

fn tempdir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "switchboard-cache-{name}-{}-{}",
        std::process::id(),
        Utc::now().timestamp_nanos_opt().unwrap_or_default()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The cache holds customer text: a new cache file (and its write-ahead log) is the owner's only
/// from the start, in a folder that is the owner's only.
#[test]
fn a_new_cache_file_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempdir("private").join("cache");
    let path = dir.join("cache.sqlite3");
    let (cache, notice) = Cache::open(&path);
    assert_eq!(notice, None);
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(&dir), 0o700);
    drop(cache);
    for entry in std::fs::read_dir(&dir).unwrap().flatten() {
        assert_eq!(mode(&entry.path()), 0o600, "{}", entry.path().display());
    }
}

/// A page's worth of messages or more at one instant (issue 19): a cached page that cannot get
/// past the instant serves every cached message of it, as the server's pages did, and the pages
/// of the thread carry the instant's gap so a thread read back from the cache marks it too.
#[test]
fn a_crowded_instant_is_served_whole_with_its_gap() {
    let mut db = Db::memory();
    let a = cid("a");
    let mut messages = run(0, 50);
    messages.extend((0..120).map(|n| msg(&format!("x{n:03}"), 50, "one of a crowd")));
    messages.extend(run(51, 60));
    db.record(&a, &messages, &Span::Latest { end: true })
        .unwrap();
    db.record_gaps(&a, &[t(50)]).unwrap();
    let mut page = db.latest_page(&a, 50).unwrap().unwrap();
    let mut got: Vec<String> = Vec::new();
    let mut gaps = Vec::new();
    for _ in 0..20 {
        got.extend(ids(&page));
        gaps.extend(page.gaps.clone());
        let NextPage::More(Cursor::Before { at, inclusive }) = page.next else {
            break;
        };
        page = db.page_before(&a, at, inclusive, 50).unwrap().unwrap();
    }
    got.sort();
    got.dedup();
    assert_eq!(got.len(), messages.len(), "every cached message once");
    assert!(gaps.contains(&t(50)), "{gaps:?}");
    assert!(gaps.iter().all(|g| *g == t(50)), "{gaps:?}");
}
