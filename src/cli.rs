//! Command-line interface: arguments, where to connect, and the subcommands.
//!
//! With no API key (or with `--demo`) the inbox runs against the embedded sandbox, started
//! in-process on loopback. `switchboard sandbox` runs that server alone for manual testing.

use std::io::Write;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};
use color_eyre::eyre::{Result, WrapErr, bail};
use secrecy::SecretString;
use url::Url;

use crate::api::{AgentPhone, HttpConfig, agentphone};
use crate::sandbox::{self, FaultConfig, RetryAfter, SandboxConfig, SandboxHandle};
use crate::text::sanitize_line;

/// The environment variable that holds the AgentPhone API key.
pub const API_KEY_ENV: &str = "AGENTPHONE_API_KEY";

const EXAMPLES: &str = "\
Examples:
  switchboard                         open the inbox (the demo sandbox when no key is set)
  AGENTPHONE_API_KEY=sk_… switchboard  open your AgentPhone inbox
  switchboard --demo                  force the demo sandbox
  switchboard check                   print a plain-text connection check
  switchboard sandbox --port 8787     run the sandbox server alone";

#[derive(Debug, Parser)]
#[command(name = "switchboard", version, about, after_help = EXAMPLES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Which provider to talk to.
    #[arg(long, value_enum, default_value_t = ProviderKind::Agentphone)]
    pub provider: ProviderKind,
    /// API base URL (default: the provider's production host).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<Url>,
    /// Use the embedded sandbox even when an API key is set.
    #[arg(long)]
    pub demo: bool,
    /// Review only: no replies, reactions, typing indicators or metadata saves.
    #[arg(long)]
    pub read_only: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ProviderKind {
    /// AgentPhone (SMS, MMS, iMessage threads and calls); key from `AGENTPHONE_API_KEY`.
    Agentphone,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print a plain-text connection check: conversations found, the newest message.
    Check,
    /// Run the embedded sandbox server alone and print its URL and key.
    Sandbox(SandboxArgs),
    /// Run the app headless against the sandbox with every fault on, and report.
    Soak(SoakArgs),
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
    /// Average gap between simulated inbound messages in ms (0 turns live traffic off).
    #[arg(long, default_value_t = 4_000)]
    pub traffic_ms: u64,
    /// Fill the world with hostile text (escape sequences, bidi overrides, wide characters).
    #[arg(long)]
    pub hostile: bool,
    /// The bearer key the sandbox accepts.
    #[arg(long, default_value = sandbox::DEFAULT_API_KEY)]
    pub key: String,
}

impl SandboxArgs {
    fn config(&self) -> SandboxConfig {
        SandboxConfig {
            seed: self.seed,
            api_key: self.key.clone(),
            traffic: (self.traffic_ms > 0).then(|| Duration::from_millis(self.traffic_ms)),
            hostile: self.hostile,
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
            },
            ..SandboxConfig::default()
        }
    }
}

/// A connected provider, and the sandbox behind it when this is the demo.
#[derive(Debug)]
pub struct Session {
    pub client: AgentPhone,
    /// Where we are connected, for the status bar.
    pub label: String,
    pub demo: bool,
    /// Supervisor mode: nothing is written to the provider.
    pub read_only: bool,
    /// Names this account's file of saved drafts.
    pub store_key: String,
    /// Keeps the embedded sandbox alive for as long as the session.
    pub sandbox: Option<SandboxHandle>,
}

impl Session {
    /// Connects per the arguments: the account when a key is set, else the embedded sandbox.
    pub async fn connect(cli: &Cli) -> Result<Self> {
        let key = std::env::var(API_KEY_ENV)
            .ok()
            .filter(|k| !k.trim().is_empty());
        match key {
            Some(key) if !cli.demo => Self::account(cli, key),
            None if cli.base_url.is_some() && !cli.demo => bail!(
                "{API_KEY_ENV} is not set. Set it to use --base-url, or drop --base-url for the demo."
            ),
            _ => {
                let mut session = Self::demo().await?;
                session.read_only = cli.read_only;
                Ok(session)
            }
        }
    }

    fn account(cli: &Cli, key: String) -> Result<Self> {
        let base = match &cli.base_url {
            Some(url) => url.clone(),
            None => Url::parse(agentphone::DEFAULT_BASE_URL).wrap_err("default base URL")?,
        };
        let config = HttpConfig::new(base.clone(), Some(SecretString::from(key)));
        let client = AgentPhone::new(config).wrap_err("cannot set up the HTTP client")?;
        Ok(Self {
            client,
            label: format!("AgentPhone {}", base.host_str().unwrap_or("")),
            demo: false,
            read_only: cli.read_only,
            store_key: format!("agentphone-{}", base.host_str().unwrap_or("unknown")),
            sandbox: None,
        })
    }

    /// Starts the embedded sandbox on loopback and connects to it.
    pub async fn demo() -> Result<Self> {
        let handle = sandbox::spawn(SandboxConfig::default())
            .await
            .wrap_err("cannot start the embedded sandbox on 127.0.0.1")?;
        let config = HttpConfig::new(
            handle.url().clone(),
            Some(SecretString::from(handle.api_key().to_owned())),
        );
        let client = AgentPhone::new(config).wrap_err("cannot set up the HTTP client")?;
        Ok(Self {
            client,
            label: "AgentPhone sandbox".into(),
            demo: true,
            read_only: false,
            store_key: "agentphone-demo".into(),
            sandbox: Some(handle),
        })
    }
}

/// Parses the arguments and runs the chosen command.
pub fn main() -> Result<()> {
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .wrap_err("cannot start the async runtime")?;
    runtime.block_on(run(cli))
}

async fn run(cli: Cli) -> Result<()> {
    match &cli.command {
        Some(Command::Sandbox(args)) => run_sandbox(args).await,
        Some(Command::Soak(args)) => run_soak(args).await,
        Some(Command::Check) => {
            let session = Session::connect(&cli).await?;
            check(&session).await
        }
        None => {
            let session = Session::connect(&cli).await?;
            crate::app::run(session).await
        }
    }
}

async fn run_sandbox(args: &SandboxArgs) -> Result<()> {
    let handle = sandbox::spawn_on(args.config(), args.port)
        .await
        .wrap_err_with(|| format!("cannot listen on 127.0.0.1:{}", args.port))?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "switchboard sandbox listening on {}", handle.url())?;
    writeln!(out, "API key: {}", handle.api_key())?;
    writeln!(
        out,
        "Try: {API_KEY_ENV}={} switchboard --base-url {}",
        handle.api_key(),
        handle.url()
    )?;
    writeln!(out, "Press Ctrl-C to stop.")?;
    drop(out);
    tokio::signal::ctrl_c()
        .await
        .wrap_err("cannot wait for Ctrl-C")?;
    handle.shutdown().await;
    Ok(())
}

async fn run_soak(args: &SoakArgs) -> Result<()> {
    let options = crate::soak::SoakOptions {
        duration: Duration::from_secs(args.seconds),
        seed: args.seed,
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

/// The plain-text check: how many conversations, and the newest message of the newest one.
async fn check(session: &Session) -> Result<()> {
    let client = &session.client;
    let page = client
        .list_conversations(0, 1)
        .await
        .wrap_err_with(|| format!("cannot list conversations at {}", client.http().base_url()))?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "Connected to {} ({})",
        session.label,
        client.http().base_url()
    )?;
    writeln!(
        out,
        "Conversations: {}",
        page.total.map_or("?".into(), |t| t.to_string())
    )?;
    let Some(newest) = page.items.first() else {
        writeln!(out, "No conversations yet.")?;
        return Ok(());
    };
    let detail = client.get_conversation(&newest.id, 1).await?;
    let who = sanitize_line(newest.counterparty.reply_address());
    writeln!(out, "Newest conversation: {who}")?;
    if let Some(message) = detail.messages.last() {
        let body: String = sanitize_line(&message.body).chars().take(120).collect();
        writeln!(
            out,
            "Newest message ({:?}, {}): {body}",
            message.direction, message.sent_at
        )?;
    }
    Ok(())
}
