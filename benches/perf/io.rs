//! Figures that involve the cache file or the sandbox on 127.0.0.1: start to first useful frame,
//! request counts, sync throughput.

use std::time::{Duration, Instant};

use switchboard::api::{AgentPhone, ConversationId};
use switchboard::app::action::{Action, Command};
use switchboard::app::headless::Headless;
use switchboard::app::state::{Account, AppState, Settings, Thread};
use switchboard::app::update::update;
use switchboard::backfill;
use switchboard::cache::{Cache, Db};
use switchboard::sandbox::{self, Fault, FaultConfig, SandboxConfig, SandboxHandle};

use super::fixtures;
use super::frames::Screen;
use super::stats::{Samples, ms};

const WAIT: Duration = Duration::from_secs(60);

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("switchboard-bench-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn settings() -> Settings {
    Settings {
        list_poll: Duration::from_secs(3600),
        thread_poll: Duration::from_secs(3600),
        list_poll_max: Duration::from_secs(3600),
        thread_poll_max: Duration::from_secs(3600),
        ..Settings::default()
    }
}

/// The app's start until the list is on screen: open the cache, read it, build the state, draw.
async fn start_from_cache(path: &std::path::Path) -> (Duration, usize) {
    let started = Instant::now();
    let (cache, _) = Cache::open(path);
    let opened = started.elapsed();
    let snapshot = cache.call(Db::snapshot).await.map_err(|e| e.to_string());
    let read = started.elapsed();
    let account = Account {
        label: "bench".into(),
        demo: false,
    };
    let mut state = AppState::new(
        account,
        chrono::Utc::now(),
        switchboard::ui::time::Zone::utc(),
        settings(),
    );
    update(
        &mut state,
        Action::Resize {
            width: 160,
            height: 48,
        },
    );
    let _effects = update(&mut state, Action::Start);
    update(&mut state, Action::CacheLoaded { result: snapshot });
    let built = started.elapsed();
    let mut screen = Screen::new(&state);
    screen.draw(&state);
    if std::env::var_os("BENCH_VERBOSE").is_some() {
        println!(
            "    open {opened:?} read {read:?} state {built:?} drawn {:?}",
            started.elapsed()
        );
    }
    (started.elapsed(), state.inbox.list.items.len())
}

pub async fn start() {
    println!("\n## Start to first useful frame (list on screen, 160x48)");
    let dir = temp_dir("start");
    let path = dir.join("cache.sqlite3");
    fixtures::fill_cache(&path);
    let mut warm = Samples::default();
    let mut rows = 0;
    for _ in 0..7 {
        let (took, n) = start_from_cache(&path).await;
        warm.push(took);
        rows = n;
    }
    let verdict = if warm.median() < Duration::from_millis(100) {
        "met"
    } else {
        "MISSED"
    };
    println!(
        "  from a warm cache ({rows} conversations, 200,000 messages on disk): median {} (target under 100 ms: {verdict})",
        ms(warm.median())
    );
    let handle = sandbox::spawn(SandboxConfig::quiet(5)).await.unwrap();
    let mut network = Samples::default();
    for _ in 0..7 {
        let client = AgentPhone::new(handle.http_config()).unwrap();
        let started = Instant::now();
        let mut app = Headless::start(client, settings(), 160, 48);
        assert!(
            app.run_until(WAIT, |s| !s.inbox.list.items.is_empty())
                .await
        );
        let _ = app.render();
        network.push(started.elapsed());
    }
    println!(
        "  from the network (sandbox on 127.0.0.1, no cache): median {}",
        ms(network.median())
    );
    let _ = std::fs::remove_dir_all(&dir);
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

fn count(handle: &SandboxHandle, pick: impl Fn(&str, &str) -> bool) -> usize {
    handle
        .requests()
        .iter()
        .filter(|r| pick(&r.path, r.query.as_deref().unwrap_or("")))
        .count()
}

fn is_page(path: &str, query: &str) -> bool {
    path.ends_with("/messages") && !query.contains("after=")
}

fn is_list(path: &str, _: &str) -> bool {
    path == "/v1/conversations"
}

fn is_poll(path: &str, query: &str) -> bool {
    path.ends_with("/messages") && query.contains("after=")
}

async fn open(app: &mut Headless, id: &ConversationId) {
    let at = app
        .state
        .inbox
        .list
        .items
        .iter()
        .position(|c| &c.id == id)
        .unwrap();
    app.command(Command::Top);
    for _ in 0..at {
        app.command(Command::Down);
    }
    app.command(Command::Open);
    assert!(
        app.run_until(WAIT, |s| s
            .open_thread()
            .is_some_and(|t| !t.messages.is_empty()))
            .await
    );
}

pub async fn requests() {
    println!("\n## Requests");
    let handle = sandbox::spawn(SandboxConfig::quiet(5)).await.unwrap();
    let client = AgentPhone::new(handle.http_config()).unwrap();
    let mut app = Headless::start(client, settings(), 120, 40);
    assert!(
        app.run_until(WAIT, |s| !s.inbox.list.items.is_empty())
            .await
    );
    let (id, n) = longest(&handle);
    handle.clear_requests();
    open(&mut app, &id).await;
    app.command(Command::Top);
    assert!(
        app.run_until(WAIT, |s| s.open_thread().is_some_and(Thread::at_beginning))
            .await
    );
    let pages = count(&handle, is_page);
    println!(
        "  scrolling a thread of {n} messages to its beginning: {pages} message requests (ceil(N/200) = {})",
        n.div_ceil(200)
    );
    in_flight(&handle, &mut app).await;
    idle().await;
}

/// Refresh pressed ten times while the list request is slow: still one request.
async fn in_flight(handle: &SandboxHandle, app: &mut Headless) {
    handle.set_faults(FaultConfig {
        latency: Duration::from_millis(400),
        ..FaultConfig::default()
    });
    app.run_until(Duration::from_millis(300), |_| false).await;
    handle.clear_requests();
    for _ in 0..10 {
        app.command(Command::Refresh);
        app.run_until(Duration::from_millis(20), |_| false).await;
    }
    app.run_until(Duration::from_millis(800), |_| false).await;
    println!(
        "  refresh pressed 10 times within 0.2 s, answers taking 0.4 s: {} list and {} thread requests",
        count(handle, is_list),
        count(handle, is_poll)
    );
    handle.clear_faults();
}

/// An idle inbox (no traffic) polling every second at first, backing off to 8 s.
async fn idle() {
    let handle = sandbox::spawn(SandboxConfig::quiet(5)).await.unwrap();
    let client = AgentPhone::new(handle.http_config()).unwrap();
    let quick = Settings {
        list_poll: Duration::from_secs(1),
        list_poll_max: Duration::from_secs(8),
        thread_poll: Duration::from_secs(1),
        thread_poll_max: Duration::from_secs(8),
        ..Settings::default()
    };
    let mut app = Headless::start(client, quick, 120, 40);
    assert!(
        app.run_until(WAIT, |s| !s.inbox.list.items.is_empty())
            .await
    );
    let first = app.state.inbox.list.items[0].id.clone();
    open(&mut app, &first).await;
    app.run_until(Duration::from_millis(500), |_| false).await;
    handle.clear_requests();
    let (mut lists, mut polls) = (Vec::new(), Vec::new());
    let (mut seen_list, mut seen_poll) = (0, 0);
    for _ in 0..30 {
        app.run_until(Duration::from_secs(1), |_| false).await;
        let (l, p) = (count(&handle, is_list), count(&handle, is_poll));
        lists.push(l - seen_list);
        polls.push(p - seen_poll);
        (seen_list, seen_poll) = (l, p);
    }
    let show = |v: &[usize]| {
        v.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" ")
    };
    println!("  idle for 30 s (poll interval 1 s, backing off to 8 s), requests per second:");
    println!("    list:   {}  (total {})", show(&lists), seen_list);
    println!("    thread: {}  (total {})", show(&polls), seen_poll);
    let worst = lists.iter().chain(&polls).max().copied().unwrap_or(0);
    let verdict = if worst <= 1 { "met" } else { "MISSED" };
    println!(
        "    at most {worst} of each per second (target at most one list and one thread request per interval: {verdict})"
    );
}

fn sync_world() -> SandboxConfig {
    SandboxConfig {
        conversations: 120,
        long_thread: 1_200,
        faults: FaultConfig {
            latency: Duration::from_millis(40),
            max_rps: Some(200),
            ..FaultConfig::default()
        },
        ..SandboxConfig::quiet(11)
    }
}

async fn one_sync(concurrency: usize, pace: Option<f64>) -> (backfill::Report, usize) {
    let handle = sandbox::spawn(sync_world()).await.unwrap();
    let mut http = handle.http_config();
    http.max_rps = pace;
    let client = AgentPhone::new(http).unwrap();
    let options = backfill::Options {
        concurrency,
        ..backfill::Options::default()
    };
    let report = backfill::run(&client, None, &options).await.unwrap();
    let limited = handle
        .requests()
        .iter()
        .filter(|r| matches!(r.fault, Some(Fault::RateLimit(_))))
        .count();
    (report, limited)
}

pub async fn sync() {
    println!("\n## Sync throughput (sandbox: 40 ms per answer, 429 beyond 200 requests/s)");
    let (plain, plain_429) = one_sync(1, None).await;
    let (fast, fast_429) = one_sync(8, Some(160.0)).await;
    println!("  sequential paging:            {plain}; {plain_429} answered 429");
    println!("  8 at a time, paced at 160/s:  {fast}; {fast_429} answered 429");
    let ratio = plain.elapsed.as_secs_f64() / fast.elapsed.as_secs_f64();
    let verdict = if ratio >= 5.0 && fast_429 == 0 {
        "met"
    } else {
        "MISSED"
    };
    println!("  speed-up {ratio:.1}x (target at least 5x without a 429: {verdict})");
}
