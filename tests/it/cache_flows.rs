//! The local cache in use: two "runs" of the app (two headless instances on one cache file)
//! against one sandbox on 127.0.0.1, as a user restarting the app would see them.
#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use crate::common::quiet_settings;

use std::path::{Path, PathBuf};
use std::time::Duration;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use switchboard::api::{AgentPhone, ConversationId, MessageId};
use switchboard::app::action::{Action, Command};
use switchboard::app::headless::Headless;
use switchboard::app::state::{AppState, Overlay, SearchStatus, Thread};
use switchboard::cache::Cache;
use switchboard::sandbox::{self, FaultConfig, SandboxConfig, SandboxHandle};

const WAIT: Duration = Duration::from_secs(20);

fn cache_file(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "switchboard-cache-flow-{name}-{}-{}",
        std::process::id(),
        chrono::Utc::now().timestamp_micros()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("cache.sqlite3")
}

/// One run of the app on the cache at `path`; returns once the server's first page is in.
async fn run_app(handle: &SandboxHandle, path: &Path) -> (Headless, Cache) {
    let (cache, notice) = Cache::open(path);
    assert_eq!(notice, None);
    let client = AgentPhone::new(handle.http_config()).unwrap();
    let mut app =
        Headless::start_with_cache(client, quiet_settings(), (120, 40), Some(cache.clone()));
    let loaded = app
        .run_until(WAIT, |s| s.inbox.list.next.is_some() && s.work.cache_loaded)
        .await;
    assert!(loaded, "the list loads");
    (app, cache)
}

/// Ends a run: every write reaches the file, as on quit.
fn quit(app: Headless, cache: &Cache) {
    drop(app);
    assert!(cache.flush(WAIT), "the cache finishes writing");
}

fn longest(handle: &SandboxHandle) -> (ConversationId, usize) {
    handle.with_world(|w| {
        let conv = w
            .conversations
            .iter()
            .max_by_key(|c| c.messages.len())
            .unwrap();
        (ConversationId(conv.id.clone()), conv.messages.len())
    })
}

async fn open(app: &mut Headless, id: &ConversationId) {
    let at = app.state.inbox.list.items.iter().position(|c| &c.id == id);
    app.command(Command::Top);
    for _ in 0..at.unwrap() {
        app.command(Command::Down);
    }
    app.command(Command::Open);
    let loaded = app
        .run_until(WAIT, |s| {
            s.open_thread().is_some_and(|t| !t.messages.is_empty())
        })
        .await;
    assert!(loaded, "the thread loads");
}

async fn to_beginning(app: &mut Headless) {
    app.command(Command::Top);
    let done = app
        .run_until(WAIT, |s| s.open_thread().is_some_and(Thread::at_beginning))
        .await;
    assert!(done, "reached the beginning");
}

/// Message pages asked of the server (polls and peeks, which carry `after=`, excluded).
fn page_requests(handle: &SandboxHandle) -> usize {
    handle
        .requests()
        .iter()
        .filter(|r| {
            r.path.ends_with("/messages") && !r.query.as_deref().unwrap_or("").contains("after=")
        })
        .count()
}

#[tokio::test]
async fn a_restart_paints_from_the_cache_and_never_fetches_a_cached_page_again() {
    let handle = sandbox::spawn(SandboxConfig::quiet(5)).await.unwrap();
    let path = cache_file("restart");
    let (id, total) = longest(&handle);
    let (mut app, cache) = run_app(&handle, &path).await;
    open(&mut app, &id).await;
    to_beginning(&mut app).await;
    quit(app, &cache);

    // The next run, on a slow link: the list is on screen before the server answers.
    handle.set_faults(FaultConfig {
        latency: Duration::from_millis(800),
        ..FaultConfig::default()
    });
    handle.clear_requests();
    let (cache, _) = Cache::open(&path);
    let client = AgentPhone::new(handle.http_config()).unwrap();
    let mut app = Headless::start_with_cache(client, quiet_settings(), (120, 40), Some(cache));
    let painted = app
        .run_until(WAIT, |s| {
            s.inbox.list.from_cache && !s.inbox.list.items.is_empty()
        })
        .await;
    assert!(painted, "the cached list is shown");
    assert!(
        app.state.inbox.list.next.is_none(),
        "before the server's first page"
    );
    let screen = format!("{:?}", app.render());
    assert!(screen.contains("Conversations"), "{screen}");
    handle.clear_faults();
    assert!(app.run_until(WAIT, |s| s.inbox.list.next.is_some()).await);

    // The whole history comes from the cache: no page is asked of the server again.
    open(&mut app, &id).await;
    to_beginning(&mut app).await;
    let thread = app.state.open_thread().unwrap();
    assert_eq!(thread.messages.len(), total, "every message, once");
    assert!(
        thread
            .messages
            .windows(2)
            .all(|w| w[0].order_key() < w[1].order_key())
    );
    assert_eq!(page_requests(&handle), 0, "{:?}", handle.requests());
}

#[tokio::test]
async fn unread_state_survives_a_restart_with_a_divider_where_the_user_left_off() {
    let handle = sandbox::spawn(SandboxConfig::quiet(6)).await.unwrap();
    let path = cache_file("unread");
    let (app, cache) = run_app(&handle, &path).await;
    let other = app.state.inbox.list.items[4].id.clone();
    quit(app, &cache);

    // While the app is closed, the customer writes.
    let new_id = handle
        .inject_inbound(other.as_str(), "are you there?")
        .unwrap();
    let (mut app, cache) = run_app(&handle, &path).await;
    let marked = app
        .run_until(WAIT, |s| s.inbox.list.unread.get(&other) == Some(&1))
        .await;
    assert!(marked, "the conversation is unread after the restart");
    app.command(Command::Top);
    app.command(Command::NextUnread);
    assert_eq!(
        app.state.inbox.list.selected.as_ref(),
        Some(&other),
        "] selects it"
    );
    app.command(Command::Open);
    let divided = app
        .run_until(WAIT, |s| {
            s.open_thread()
                .is_some_and(|t| t.divider.as_ref() == Some(&MessageId(new_id.clone())))
        })
        .await;
    assert!(divided, "the divider sits above the new message");
    let screen = format!("{:?}", app.render());
    assert!(screen.contains("new messages"), "{screen}");
    quit(app, &cache);

    // Read now, and still read after another restart.
    let (mut app, _cache) = run_app(&handle, &path).await;
    app.run_until(Duration::from_millis(500), |_| false).await;
    assert!(!app.state.inbox.list.unread.contains_key(&other));
    app.command(Command::NextUnread);
    let notice = app.state.chrome.notice.as_ref().map(|n| n.text.clone());
    assert_eq!(notice.as_deref(), Some("No unread conversations"));
}

fn type_text(app: &mut Headless, text: &str) {
    for c in text.chars() {
        app.dispatch(Action::Key(KeyEvent::new(
            KeyCode::Char(c),
            KeyModifiers::NONE,
        )));
    }
}

fn search_done(state: &AppState) -> bool {
    matches!(&state.chrome.overlay, Some(Overlay::Search(p)) if p.status == SearchStatus::Done)
}

#[tokio::test]
async fn a_search_result_opens_its_thread_at_the_message_loading_the_pages_down_to_it() {
    let handle = sandbox::spawn(SandboxConfig::quiet(7)).await.unwrap();
    let path = cache_file("search");
    let (id, _) = longest(&handle);
    // An old message (about 2,000 messages back) says something nothing else says.
    let target = handle.with_world(|w| {
        let conv = w.conversations.iter_mut().find(|c| c.id == id.0).unwrap();
        let mut order: Vec<usize> = (0..conv.messages.len()).collect();
        order.sort_by_key(|&i| (conv.messages[i].at, conv.messages[i].id.clone()));
        let old = &mut conv.messages[order[150]];
        old.body = "the Zanzibar quartz shipment left the depot".into();
        MessageId(old.id.clone())
    });
    let (mut app, cache) = run_app(&handle, &path).await;
    open(&mut app, &id).await;
    to_beginning(&mut app).await;
    quit(app, &cache);

    let (mut app, _cache) = run_app(&handle, &path).await;
    handle.clear_requests();
    app.command(Command::Search);
    type_text(&mut app, "zanzib quar");
    assert!(app.run_until(WAIT, search_done).await, "results arrive");
    let Some(Overlay::Search(panel)) = &app.state.chrome.overlay else {
        panic!("the search box is open")
    };
    assert_eq!(panel.hits.len(), 1, "{:?}", panel.hits);
    assert_eq!(panel.hits[0].message.as_ref().map(|m| &m.0), Some(&target));
    assert!(
        panel.hits[0]
            .snippet
            .iter()
            .any(|(t, hit)| *hit && t == "Zanzibar")
    );
    let screen = format!("{:?}", app.render());
    assert!(screen.contains("1 result"), "{screen}");

    app.command(Command::Open);
    let shown = app
        .run_until(WAIT, |s| {
            s.open_thread()
                .is_some_and(|t| t.seek_to.is_none() && t.mark.as_ref() == Some(&target))
        })
        .await;
    assert!(shown, "the thread opens at the message");
    let thread = app.state.open_thread().unwrap();
    let top = match &thread.scroll {
        switchboard::app::state::Scroll::Anchor { id, .. } => id.clone(),
        other @ switchboard::app::state::Scroll::Bottom => {
            panic!("the view is anchored, not {other:?}")
        }
    };
    assert_eq!(top, target);
    assert_eq!(page_requests(&handle), 0, "every page came from the cache");
    let screen = format!("{:?}", app.render());
    assert!(screen.contains("Zanzibar quartz"), "{screen}");
}

#[tokio::test]
async fn sync_caches_every_message_in_parallel_without_tripping_the_rate_limit() {
    use switchboard::backfill;
    use switchboard::sandbox::Fault;
    let config = SandboxConfig {
        conversations: 40,
        long_thread: 900,
        faults: FaultConfig {
            latency: Duration::from_millis(10),
            max_rps: Some(150),
            ..FaultConfig::default()
        },
        ..SandboxConfig::quiet(8)
    };
    let handle = sandbox::spawn(config).await.unwrap();
    let (conversations, messages) = handle.with_world(|w| {
        (
            w.conversations.len(),
            w.conversations
                .iter()
                .map(|c| c.messages.len())
                .sum::<usize>(),
        )
    });
    let mut http = handle.http_config();
    http.max_rps = Some(120.0);
    let client = AgentPhone::new(http).unwrap();
    let cache = Cache::in_memory();
    let options = backfill::Options {
        concurrency: 8,
        ..backfill::Options::default()
    };
    let report = backfill::run(&client, Some(&cache), &options)
        .await
        .unwrap();
    assert_eq!(report.conversations, conversations);
    assert_eq!(report.messages, messages);
    let stats = cache.call(switchboard::cache::Db::stats).await.unwrap();
    assert_eq!(stats.messages, messages as u64);
    let limited = handle
        .requests()
        .iter()
        .filter(|r| matches!(r.fault, Some(Fault::RateLimit(_))))
        .count();
    assert_eq!(limited, 0, "paced under the server's limit");
    // A second sync only asks each thread for what is new.
    handle.clear_requests();
    let again = backfill::run(&client, Some(&cache), &options)
        .await
        .unwrap();
    assert_eq!(again.messages, messages);
    assert_eq!(page_requests(&handle), 0, "{:?}", handle.requests());
}
