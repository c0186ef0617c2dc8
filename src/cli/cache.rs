//! `switchboard cache …` (where the cache is, what it holds, empty it) and `switchboard sync`
//! (fill it with everything the account has).

use std::io::Write;
use std::path::Path;

use clap::{Args, Subcommand};
use color_eyre::eyre::{Result, WrapErr, bail, eyre};

use crate::api::AgentPhone;
use crate::backfill;
use crate::cache::{Cache, Db};
use crate::session::{Choice, Session};

#[derive(Clone, Copy, Debug, Subcommand)]
pub enum CacheAction {
    /// Print the path of the account's cache file.
    Path,
    /// Print what the cache holds.
    Stats,
    /// Delete the account's cache (drafts are kept; they live in their own file).
    Clear {
        /// Delete the caches of every account.
        #[arg(long)]
        all: bool,
    },
}

#[derive(Clone, Debug, Args)]
pub struct SyncArgs {
    /// Threads fetched at the same time.
    #[arg(long, default_value_t = 8)]
    pub concurrency: usize,
    /// Requests per second at most (kept under the server's limit; 0 for no pacing).
    #[arg(long, default_value_t = 20.0)]
    pub rps: f64,
}

fn out(text: &str) -> Result<()> {
    writeln!(std::io::stdout().lock(), "{text}").wrap_err("cannot write to stdout")
}

pub fn cache_command(
    action: CacheAction,
    choice: &Choice,
    config_path: Option<&Path>,
) -> Result<()> {
    let config = crate::config::load(config_path)?;
    let key = Session::account_key(choice, &config)?;
    let path = Cache::path_for(&key).ok_or_else(|| eyre!("no data directory on this system"))?;
    match action {
        CacheAction::Path => out(&path.display().to_string()),
        CacheAction::Stats => {
            if !path.exists() {
                return out(&format!("No cache yet at {}", path.display()));
            }
            let (cache, notice) = Cache::open(&path);
            if let Some(notice) = notice {
                out(&notice)?;
            }
            let stats = cache.call_blocking(Db::stats)?;
            out(&format!(
                "{}\n{} conversations, {} messages, {} threads with a cached stretch, {:.1} MB",
                path.display(),
                stats.conversations,
                stats.messages,
                stats.threads,
                f64::from(u32::try_from(stats.bytes / 1_000).unwrap_or(u32::MAX)) / 1_000.0
            ))
        }
        CacheAction::Clear { all } => {
            let dir = path.parent().ok_or_else(|| eyre!("no data directory"))?;
            let stem = path.file_name().map(|n| n.to_string_lossy().into_owned());
            let mut removed = 0;
            for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                let ours = stem.as_ref().is_some_and(|s| name.starts_with(s.as_str()));
                let any_cache = name.starts_with("cache-") && name.contains(".sqlite3");
                if (all && any_cache) || ours {
                    std::fs::remove_file(entry.path())
                        .wrap_err_with(|| format!("cannot delete {}", entry.path().display()))?;
                    removed += 1;
                }
            }
            out(&if removed == 0 {
                "Nothing to clear".to_owned()
            } else {
                format!("Deleted {removed} cache file(s) in {}", dir.display())
            })
        }
    }
}

/// Fetches every conversation and message into the cache.
pub async fn sync(args: &SyncArgs, choice: &Choice, config_path: Option<&Path>) -> Result<()> {
    let config = crate::config::load(config_path)?;
    if !config.cache || choice.no_cache {
        bail!(
            "sync fills the local cache, which is turned off ([cache] enabled = false or --no-cache)"
        );
    }
    let session = Session::connect(choice, &config).await?;
    for notice in &session.notices {
        out(notice)?;
    }
    let cache = session
        .cache
        .as_ref()
        .ok_or_else(|| eyre!("no data directory on this system for the cache"))?;
    if !matches!(session.client, crate::api::Client::AgentPhone(_)) {
        bail!(
            "sync fetches AgentPhone accounts; {} transcripts are read whole when opened",
            session.client.name()
        );
    }
    let mut http = session.http.clone();
    http.max_rps = (args.rps > 0.0).then_some(args.rps);
    let client = AgentPhone::new(http).wrap_err("cannot set up the HTTP client")?;
    let options = backfill::Options {
        concurrency: args.concurrency.max(1),
        ..backfill::Options::default()
    };
    out(&format!(
        "Syncing {} into {} …",
        session.label,
        cache
            .path()
            .map_or_else(|| "memory".into(), |p| p.display().to_string())
    ))?;
    let report = backfill::run(&client, Some(cache), &options).await?;
    out(&format!("Synced: {report}"))?;
    for line in client.http().skips().report_lines() {
        out(&line)?;
    }
    Ok(())
}
