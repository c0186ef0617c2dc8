//! Resident memory, measured in a fresh child process (this binary again, told which probe to
//! run) so nothing from the other figures is counted.

use std::process::Command;

use switchboard::app::action::{Action, Command as AppCommand};
use switchboard::app::state::AppState;
use switchboard::app::update::update;
use switchboard::cache::{Cache, Db};

use super::fixtures;
use super::frames::{Screen, big_inbox, resident};
use super::stats::rss_mb;

pub const PROBE_ENV: &str = "SWITCHBOARD_BENCH_PROBE";
const CACHE_ENV: &str = "SWITCHBOARD_BENCH_CACHE";
/// Conversations opened in the "account" probe (each reads its newest page from the cache).
const OPENED: usize = 300;

/// The app on an account of 10,000 conversations and 200,000 messages, all in its cache: the
/// list from the cache, then `OPENED` threads opened one after another.
fn account(path: &str) -> AppState {
    let (cache, _) = Cache::open(std::path::Path::new(path));
    let snapshot = cache.call_blocking(Db::snapshot).map_err(|e| e.to_string());
    let (mut state, _) = fixtures::fresh(160, 48);
    update(&mut state, Action::CacheLoaded { result: snapshot });
    for _ in 0..OPENED {
        let effects = update(&mut state, Action::Command(AppCommand::Open));
        for effect in effects {
            if let switchboard::app::effect::Effect::LoadThread {
                request,
                conversation,
                limit,
                ..
            } = effect
            {
                let id = conversation.clone();
                let page = cache
                    .call_blocking(move |db| db.latest_page(&id, limit))
                    .unwrap();
                update(
                    &mut state,
                    Action::ThreadLoaded {
                        request,
                        conversation,
                        result: Ok(page.unwrap()),
                        cached: true,
                    },
                );
            }
        }
        update(&mut state, Action::Command(AppCommand::Back));
        update(&mut state, Action::Command(AppCommand::Down));
    }
    state
}

/// Runs in the child: builds the state, draws, prints `RSS <MB> <messages in memory>`.
pub fn probe(which: &str) {
    let state = match which {
        "resident" => Some(big_inbox()),
        "list" => Some(fixtures::inbox(10_000, 160, 48)),
        "account" => std::env::var(CACHE_ENV).ok().map(|p| account(&p)),
        _ => None,
    };
    if let Some(state) = &state {
        let mut screen = Screen::new(state);
        screen.draw(state);
    }
    let messages = state.as_ref().map_or(0, resident);
    println!("RSS {:.1} {messages}", rss_mb().unwrap_or(f64::NAN));
}

fn child(which: &str, cache: Option<&std::path::Path>) -> Option<(f64, usize)> {
    let exe = std::env::current_exe().ok()?;
    let mut command = Command::new(exe);
    command.env(PROBE_ENV, which);
    if let Some(path) = cache {
        command.env(CACHE_ENV, path);
    }
    let output = command.output().ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    let line = text.lines().find_map(|l| l.strip_prefix("RSS "))?;
    let mut parts = line.split_whitespace();
    Some((parts.next()?.parse().ok()?, parts.next()?.parse().ok()?))
}

pub fn run() {
    println!("\n## Memory (resident set of a fresh process)");
    let dir = std::env::temp_dir().join(format!("switchboard-bench-memory-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join("cache.sqlite3");
    fixtures::fill_cache(&path);
    let figures = [
        ("no inbox", child("empty", None)),
        ("10,000 conversations in the list", child("list", None)),
        (
            "account of 10,000 conversations and 200,000 messages",
            child("account", Some(&path)),
        ),
        (
            "200,000 messages through the app, 100,000 read from the top",
            child("resident", None),
        ),
    ];
    for (what, figure) in &figures {
        match figure {
            Some((mb, messages)) => {
                println!("  {what}: {mb:.1} MB ({messages} messages in memory)");
            }
            None => println!("  {what}: could not measure"),
        }
    }
    if let Some((mb, _)) = figures[2].1 {
        let verdict = if mb <= 60.0 { "met" } else { "MISSED" };
        println!("  target at most 60 MB for the account: {verdict}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
