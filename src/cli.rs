//! Command-line interface: arguments, where to connect, and the subcommands.
//!
//! With no API key (or with `--demo`) the inbox runs against the embedded sandbox, started
//! in-process on loopback. `switchboard sandbox` runs that server alone for manual testing.

use std::io::Write;
use std::time::Duration;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, CommandFactory, Parser, Subcommand};
use color_eyre::eyre::{Result, WrapErr, bail};
use url::Url;

use crate::sandbox::{self, FaultConfig, RetryAfter, SandboxConfig};
use crate::ui::theme::{ColorDepth, Theme};

pub use crate::provider::{API_KEY_ENV, Provider};
pub use crate::session::{Choice, Session};

mod cache;
mod check;
pub use self::cache::{CacheAction, SyncArgs};

const EXAMPLES: &str = "\
Examples:
  switchboard                         open the inbox (the demo sandbox when no key is set)
  AGENTPHONE_API_KEY=sk_… switchboard  open your AgentPhone inbox
  switchboard --profile work          open the account of profile \"work\" in your config
  switchboard --read-only             review only: nothing is sent or saved
  switchboard check                   print a plain-text connection check
  switchboard sync                    cache every conversation and message (for search)
  switchboard cache clear             empty the local cache (--no-cache runs without it)
  switchboard config check            check your configuration file
  switchboard sandbox --port 8787     run the sandbox server alone
  switchboard soak --seconds 60       the reliability run, every fault on
  switchboard completions zsh         shell completions
  switchboard man > switchboard.1     the manual page";

/// The version and the commit it was built from: `0.1.0 (1a2b3c4d5e6f)`.
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (",
    env!("SWITCHBOARD_COMMIT"),
    ")"
);

#[derive(Debug, Parser)]
#[command(name = "switchboard", version = VERSION, about, after_help = EXAMPLES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Which provider to talk to (with `sandbox`: which API's keys to print; it serves both).
    #[arg(long, value_enum, default_value_t = Provider::AgentPhone, global = true)]
    pub provider: Provider,
    /// The profile (account) from the configuration file to use.
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// The configuration file (default: see `switchboard config path`).
    #[arg(long, value_name = "PATH", global = true)]
    pub config: Option<PathBuf>,
    /// API base URL (default: the profile's, or the provider's production host).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<Url>,
    /// Use the embedded sandbox even when an API key is set.
    #[arg(long)]
    pub demo: bool,
    /// Review only: no replies, reactions, typing indicators or metadata saves.
    #[arg(long)]
    pub read_only: bool,
    /// Run without the local cache: nothing is read from or written to it (no search).
    #[arg(long)]
    pub no_cache: bool,
    /// Log level for the log file: error, warn, info, debug, trace.
    #[arg(long, value_name = "LEVEL")]
    pub log_level: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print a plain-text connection check: conversations found, the newest message.
    Check,
    /// Run the embedded sandbox server alone and print its URL and key.
    Sandbox(SandboxArgs),
    /// Run the app headless against the sandbox with every fault on, and report.
    Soak(SoakArgs),
    /// The configuration file: where it is, what is in effect, whether it is valid.
    Config {
        #[command(subcommand)]
        action: ConfigAction,
    },
    /// Fetch every conversation and message into the local cache (search covers it all).
    Sync(SyncArgs),
    /// The local cache: where it is, what it holds; clear it.
    Cache {
        #[command(subcommand)]
        action: CacheAction,
    },
    /// Print shell completions.
    Completions { shell: clap_complete::Shell },
    /// Print the manual page (roff), generated from these options.
    Man,
}

#[derive(Clone, Copy, Debug, Subcommand)]
pub enum ConfigAction {
    /// Print the path of the configuration file.
    Path,
    /// Print the configuration in effect (defaults overlaid by your file; keys hidden).
    Show,
    /// Check the configuration file and report the first problem.
    Check,
}

#[derive(Debug, Args)]
pub struct SoakArgs {
    /// How long to run, in seconds.
    #[arg(long, default_value_t = 60)]
    pub seconds: u64,
    /// Seed of the world, the faults and the scripted user.
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
}

#[derive(Debug, Args)]
pub struct SandboxArgs {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 8787)]
    pub port: u16,
    /// Seed of the generated world.
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
    /// Added to every answer, in milliseconds.
    #[arg(long, default_value_t = 0)]
    pub latency_ms: u64,
    /// Share of requests answered with a 5xx (0.0 to 1.0).
    #[arg(long, default_value_t = 0.0)]
    pub fail_rate: f64,
    /// Answer every N-th request with 429.
    #[arg(long, value_name = "N")]
    pub rate_limit_every: Option<u64>,
    /// The `Retry-After` of those 429s, in seconds.
    #[arg(long, default_value_t = 2)]
    pub retry_after_secs: u64,
    /// Share of 200s with a malformed body.
    #[arg(long, default_value_t = 0.0)]
    pub malformed_rate: f64,
    /// Share of answers cut in half.
    #[arg(long, default_value_t = 0.0)]
    pub truncate_rate: f64,
    /// Share of connections dropped mid-answer.
    #[arg(long, default_value_t = 0.0)]
    pub drop_rate: f64,
    /// Share of answers that stall for `--stall-ms`.
    #[arg(long, default_value_t = 0.0)]
    pub stall_rate: f64,
    #[arg(long, default_value_t = 30_000)]
    pub stall_ms: u64,
    /// Answer 429 to requests beyond this many per second (a fixed one-second window).
    #[arg(long, value_name = "N")]
    pub max_rps: Option<u32>,
    /// Average gap between simulated inbound messages in ms (0 turns live traffic off).
    #[arg(long, default_value_t = 4_000)]
    pub traffic_ms: u64,
    /// Fill the world with hostile text (escape sequences, bidi overrides, wide characters).
    #[arg(long)]
    pub hostile: bool,
    /// The bearer key the sandbox accepts.
    #[arg(long, default_value = sandbox::DEFAULT_API_KEY)]
    pub key: String,
    /// Serve records as servers we did not write do: unknown keys, legacy key names beside the
    /// current ones, numbers as strings, booleans as 0/1, other time formats.
    #[arg(long)]
    pub odd_records: bool,
    /// Serve the record with this id unreadable (repeatable): a message without its time,
    /// anything else without a usable id.
    #[arg(long = "unreadable", value_name = "ID")]
    pub unreadable: Vec<String>,
    /// Chatwoot conversations per list page (a self-hosted instance's
    /// `CONVERSATION_RESULTS_PER_PAGE`).
    #[arg(long, default_value_t = sandbox::CHATWOOT_PAGE_SIZE, value_name = "N")]
    pub chatwoot_page_size: usize,
}

impl SandboxArgs {
    fn config(&self) -> SandboxConfig {
        SandboxConfig {
            seed: self.seed,
            api_key: self.key.clone(),
            traffic: (self.traffic_ms > 0).then(|| Duration::from_millis(self.traffic_ms)),
            hostile: self.hostile,
            chatwoot_page_size: self.chatwoot_page_size.max(1),
            faults: FaultConfig {
                latency: Duration::from_millis(self.latency_ms),
                error_rate: self.fail_rate.clamp(0.0, 1.0),
                rate_limit_every: self.rate_limit_every,
                retry_after: RetryAfter::Seconds(self.retry_after_secs),
                malformed_rate: self.malformed_rate.clamp(0.0, 1.0),
                truncate_rate: self.truncate_rate.clamp(0.0, 1.0),
                drop_rate: self.drop_rate.clamp(0.0, 1.0),
                stall_rate: self.stall_rate.clamp(0.0, 1.0),
                stall: Duration::from_millis(self.stall_ms),
                max_rps: self.max_rps,
                odd_records: self.odd_records,
                unreadable_ids: self.unreadable.clone(),
            },
            ..SandboxConfig::default()
        }
    }
}

/// Parses the arguments and runs the chosen command. Errors are printed plainly, with a
/// non-zero exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run_cli(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            let _ = writeln!(std::io::stderr().lock(), "switchboard: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run_cli(cli: Cli) -> Result<()> {
    if let Some(Command::Completions { shell }) = &cli.command {
        let mut command = Cli::command();
        clap_complete::generate(*shell, &mut command, "switchboard", &mut std::io::stdout());
        return Ok(());
    }
    if let Some(Command::Man) = &cli.command {
        return match man(&mut std::io::stdout()) {
            // `switchboard man | head` closes the pipe early: not an error.
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                Err(e).wrap_err("cannot write the manual page")
            }
            _ => Ok(()),
        };
    }
    if let Some(Command::Config { action }) = &cli.command {
        return config_command(*action, cli.config.as_deref());
    }
    if let Some(Command::Cache { action }) = &cli.command {
        return cache::cache_command(*action, &choice(&cli), cli.config.as_deref());
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .wrap_err("cannot start the async runtime")?;
    runtime.block_on(run(cli))
}

async fn run(cli: Cli) -> Result<()> {
    match &cli.command {
        Some(Command::Sandbox(args)) => run_sandbox(args, cli.provider).await,
        Some(Command::Soak(args)) => run_soak(args).await,
        Some(Command::Sync(args)) => cache::sync(args, &choice(&cli), cli.config.as_deref()).await,
        Some(Command::Check) => {
            let config = crate::config::load(cli.config.as_deref())?;
            let session = Session::connect(&choice(&cli), &config).await?;
            check::check(&session).await
        }
        None => inbox(&cli).await,
        Some(
            Command::Config { .. }
            | Command::Cache { .. }
            | Command::Completions { .. }
            | Command::Man,
        ) => Ok(()),
    }
}

fn choice(cli: &Cli) -> Choice {
    Choice {
        demo: cli.demo,
        profile: cli.profile.clone(),
        base_url: cli.base_url.clone(),
        read_only: cli.read_only,
        no_cache: cli.no_cache,
        provider: cli.provider,
    }
}

/// The inbox: configuration, logging, the connection, then the TUI.
async fn inbox(cli: &Cli) -> Result<()> {
    let config = crate::config::load(cli.config.as_deref())?;
    let level = cli
        .log_level
        .clone()
        .unwrap_or_else(|| config.log_level.clone());
    let (log_path, _log_guard) = crate::logging::init(&level)?;
    let session = Session::connect(&choice(cli), &config).await?;
    let settings = crate::app::state::Settings {
        read_only: session.read_only,
        ..config.settings.clone()
    };
    // NO_COLOR, COLORTERM and TERM say how many colours the terminal shows; the theme is
    // mapped down to them.
    let depth = ColorDepth::detect(|name| std::env::var(name).ok());
    let repaired = crate::private::repair_notice(&repair_private_dirs(&session));
    let launch = crate::app::Launch {
        settings,
        theme: Theme::named(config.theme, depth == ColorDepth::None).for_depth(depth),
        notices: config
            .warnings
            .iter()
            .chain(&session.notices)
            .chain(&repaired)
            .cloned()
            .collect(),
        log_path: log_path.map(|p| p.display().to_string()),
    };
    crate::app::run(session, launch).await
}

/// Narrows the folders that hold this account's customer text (logs, drafts, cache) and the
/// files in them to the owner, where an older version left them readable by others.
fn repair_private_dirs(session: &Session) -> Vec<String> {
    let parent = |p: &Path| p.parent().map(Path::to_owned);
    let store = crate::store::Store::for_account(&session.store_key);
    let dirs: std::collections::BTreeSet<PathBuf> = [
        crate::logging::log_dir(),
        store.as_ref().and_then(|s| parent(s.path())),
        session
            .cache
            .as_ref()
            .and_then(|c| c.path())
            .and_then(parent),
    ]
    .into_iter()
    .flatten()
    .collect();
    dirs.iter()
        .flat_map(|d| crate::private::repair(d))
        .collect()
}

/// Writes the manual page: clap's own generator over the CLI definition, so it never drifts.
pub fn man(out: &mut impl std::io::Write) -> std::io::Result<()> {
    clap_mangen::Man::new(Cli::command()).render(out)
}

fn config_command(action: ConfigAction, path: Option<&Path>) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match action {
        ConfigAction::Path => {
            let path = path
                .map(Path::to_owned)
                .or_else(crate::config::default_path);
            let path = path.ok_or_else(|| {
                color_eyre::eyre::eyre!("no configuration directory on this system")
            })?;
            let state = if path.exists() {
                ""
            } else {
                " (not created yet: the defaults apply)"
            };
            writeln!(out, "{}{state}", path.display())?;
        }
        ConfigAction::Show => {
            let config = crate::config::load(path)?;
            write!(out, "{}", crate::config::show(&config))?;
        }
        ConfigAction::Check => {
            let config = crate::config::load(path)?;
            for warning in &config.warnings {
                writeln!(out, "warning: {warning}")?;
            }
            let source = config.source.map_or_else(
                || "no file: the built-in defaults".to_owned(),
                |p| p.display().to_string(),
            );
            writeln!(out, "ok: {source}")?;
        }
    }
    Ok(())
}

async fn run_sandbox(args: &SandboxArgs, provider: Provider) -> Result<()> {
    let handle = sandbox::spawn_on(args.config(), args.port)
        .await
        .wrap_err_with(|| format!("cannot listen on 127.0.0.1:{}", args.port))?;
    // One write, and its failure ignored: a reader that closed stdout (a script that took the
    // URL) must not stop the server.
    let banner = match provider {
        Provider::AgentPhone => format!(
            "switchboard sandbox listening on {url}\nAPI key: {key}\nTry: {API_KEY_ENV}={key} switchboard --base-url {url}\nPress Ctrl-C to stop.\n",
            url = handle.url(),
            key = handle.api_key()
        ),
        Provider::Chatwoot | Provider::ChatwootPublic => chatwoot_banner(&handle),
        Provider::Anyreach => format!(
            "switchboard sandbox listening on {url} (Anyreach API under /core)\nOrganisation key: {key}\nRead-only personal token: {pat} (with X-Anyreach-Org: {org})\nTry: {env}={key} switchboard --provider anyreach --base-url {url}\nPress Ctrl-C to stop.\n",
            url = handle.url(),
            key = sandbox::ANYREACH_KEY,
            pat = sandbox::ANYREACH_READ_ONLY_TOKEN,
            org = sandbox::ANYREACH_ORG_ID,
            env = crate::api::anyreach::API_KEY_ENV,
        ),
    };
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(banner.as_bytes()).and_then(|()| out.flush());
    drop(out);
    tokio::signal::ctrl_c()
        .await
        .wrap_err("cannot wait for Ctrl-C")?;
    handle.shutdown().await;
    Ok(())
}

/// What a Chatwoot client needs: the application API's token and account, and the public
/// API's identifiers of one contact (the inbox and the contact's source id) with a path to try.
fn chatwoot_banner(handle: &sandbox::SandboxHandle) -> String {
    let url = handle.url();
    let public = handle.chatwoot_contact(1).map(|(inbox, contact)| format!(
        "Public API: inbox identifier: {inbox}, contact identifier: {contact}\n  e.g. GET {url}public/api/v1/inboxes/{inbox}/contacts/{contact}/conversations\n  or: {inbox_env}={inbox} {contact_env}={contact} switchboard --provider chatwoot-public --base-url {url}\n",
        inbox_env = crate::provider::CHATWOOT_INBOX_ENV,
        contact_env = crate::provider::CHATWOOT_CONTACT_ENV,
    ));
    format!(
        "switchboard sandbox listening on {url} (Chatwoot APIs under /api/v1 and /public/api/v1)\nAccess token: {token} (account 1)\nTry: {env}={token} switchboard --provider chatwoot --base-url {url}\n{public}Press Ctrl-C to stop.\n",
        token = sandbox::CHATWOOT_TOKEN,
        env = crate::provider::CHATWOOT_TOKEN_ENV,
        public = public.unwrap_or_default(),
    )
}

async fn run_soak(args: &SoakArgs) -> Result<()> {
    let options = crate::soak::SoakOptions {
        duration: Duration::from_secs(args.seconds),
        seed: args.seed,
        breakage: None,
    };
    let report = crate::soak::run(options)
        .await
        .wrap_err("cannot start the soak")?;
    writeln!(std::io::stdout().lock(), "{report}")?;
    if !report.passed() {
        bail!("the soak found broken guarantees (see above)");
    }
    Ok(())
}

#[cfg(test)]
mod tests;
