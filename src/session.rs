//! Where to connect: the embedded sandbox, or an account from a profile or the environment.
//!
//! In order: `--demo`; `--profile NAME`; `AGENTPHONE_API_KEY` in the environment (an account at
//! the default host); the config's `default_profile` (the demo unless you change it).

use color_eyre::eyre::{Result, WrapErr, bail};
use secrecy::SecretString;
use url::Url;

use crate::api::{AgentPhone, Client, HttpConfig, Timestamp, agentphone, anyreach};
use crate::cache::Cache;
use crate::config::{Config, Profile};
use crate::sandbox::{self, SandboxConfig, SandboxHandle};

mod providers;

use self::providers::{
    ANYREACH_DEMO_KEY, CHATWOOT_DEMO_KEY, CHATWOOT_PUBLIC_DEMO_KEY, anyreach_base, anyreach_key,
    chatwoot_base, chatwoot_env,
};
pub use crate::provider::{API_KEY_ENV, Provider};

/// What the command line asks for.
#[derive(Clone, Debug, Default)]
pub struct Choice {
    pub demo: bool,
    pub profile: Option<String>,
    pub base_url: Option<Url>,
    pub read_only: bool,
    /// Run without the local cache (`--no-cache`).
    pub no_cache: bool,
    pub provider: Provider,
}

/// The demo sandbox keeps its history's anchor in the cache for this long; then the world is
/// made afresh (and the cache of the old one cleared).
const DEMO_ANCHOR_DAYS: i64 = 7;
const DEMO_ANCHOR_KEY: &str = "demo_anchor";
/// The demo's account key (drafts file, cache file).
const DEMO_KEY: &str = "agentphone-demo";

/// A connected provider, and the sandbox behind it when this is the demo.
#[derive(Debug)]
pub struct Session {
    pub client: Client,
    /// How the client was set up (for a second client with other pacing, as `sync` uses).
    pub http: HttpConfig,
    /// Where we are connected, for the status bar.
    pub label: String,
    pub demo: bool,
    /// Supervisor mode: nothing is written to the provider.
    pub read_only: bool,
    /// Names this account's file of saved drafts.
    pub store_key: String,
    /// Keeps the embedded sandbox alive for as long as the session.
    pub sandbox: Option<SandboxHandle>,
    /// The local cache; `None` when turned off.
    pub cache: Option<Cache>,
    /// Things to tell the user at start (the cache was damaged, locked, …).
    pub notices: Vec<String>,
}

impl Session {
    /// The key of the account the command line and configuration choose (names its drafts and
    /// cache files), without connecting.
    pub fn account_key(choice: &Choice, config: &Config) -> Result<String> {
        let for_profile = |p: &Profile| -> Result<String> {
            if p.demo {
                return Ok(DEMO_KEY.into());
            }
            let base = choice.base_url.clone().or_else(|| p.base_url.clone());
            let (kind, base) = match p.provider {
                Provider::AgentPhone => ("agentphone", base.map_or_else(default_url, Ok)?),
                Provider::Anyreach => ("anyreach", base.map_or_else(|| anyreach_base(choice), Ok)?),
                Provider::Chatwoot | Provider::ChatwootPublic => {
                    ("chatwoot", base.map_or_else(|| chatwoot_base(choice), Ok)?)
                }
            };
            Ok(format!(
                "{kind}-{}-{}",
                p.name,
                base.host_str().unwrap_or("")
            ))
        };
        if choice.provider == Provider::ChatwootPublic {
            return Ok(CHATWOOT_PUBLIC_DEMO_KEY.into());
        }
        if choice.provider == Provider::Chatwoot {
            return Ok(match chatwoot_env() {
                Some((_, account)) if !choice.demo => {
                    let base = chatwoot_base(choice)?;
                    format!("chatwoot-env-{}-{account}", base.host_str().unwrap_or(""))
                }
                _ => CHATWOOT_DEMO_KEY.into(),
            });
        }
        if choice.provider == Provider::Anyreach {
            return Ok(match anyreach_key() {
                Some(_) if !choice.demo => {
                    let base = anyreach_base(choice)?;
                    format!("anyreach-env-{}", base.host_str().unwrap_or(""))
                }
                _ => ANYREACH_DEMO_KEY.into(),
            });
        }
        let env_key = env_var(API_KEY_ENV).is_some();
        if choice.demo {
            Ok(DEMO_KEY.into())
        } else if let Some(name) = &choice.profile {
            let profile = config
                .profiles
                .get(name)
                .ok_or_else(|| color_eyre::eyre::eyre!("there is no profile \"{name}\""))?;
            for_profile(profile)
        } else if env_key {
            let base = choice.base_url.clone().map_or_else(default_url, Ok)?;
            Ok(format!("agentphone-env-{}", base.host_str().unwrap_or("")))
        } else {
            let profile = config
                .profiles
                .get(&config.default_profile)
                .ok_or_else(|| color_eyre::eyre::eyre!("the default profile is missing"))?;
            for_profile(profile)
        }
    }

    /// Connects as the command line and the configuration say.
    pub async fn connect(choice: &Choice, config: &Config) -> Result<Self> {
        let env_key = env_var(API_KEY_ENV);
        let use_cache = config.cache && !choice.no_cache;
        let mut session = if choice.provider == Provider::ChatwootPublic {
            Self::chatwoot_public(choice, config).await?
        } else if choice.provider == Provider::Chatwoot {
            Self::chatwoot(choice, config).await?
        } else if choice.provider == Provider::Anyreach {
            Self::anyreach(choice, config).await?
        } else if choice.demo {
            Self::demo(use_cache).await?
        } else if let Some(name) = &choice.profile {
            let Some(profile) = config.profiles.get(name) else {
                let known: Vec<&str> = config.profiles.keys().map(String::as_str).collect();
                bail!(
                    "there is no profile \"{name}\"; profiles: {}",
                    known.join(", ")
                );
            };
            Self::profile(profile, choice, config).await?
        } else if let Some(key) = env_key {
            let base = choice.base_url.clone().map_or_else(default_url, Ok)?;
            Self::account(base, &key, "env", config)?
        } else if choice.base_url.is_some() {
            bail!(
                "{API_KEY_ENV} is not set. Set it to use --base-url, or drop --base-url for the demo."
            );
        } else {
            let profile = config
                .profiles
                .get(&config.default_profile)
                .ok_or_else(|| color_eyre::eyre::eyre!("the default profile is missing"))?;
            Self::profile(profile, choice, config).await?
        };
        session.read_only |= choice.read_only;
        if use_cache && session.cache.is_none() {
            let (cache, notice) = open_cache(&session.store_key);
            session.cache = cache;
            session.notices.extend(notice);
        }
        Ok(session)
    }

    async fn profile(profile: &Profile, choice: &Choice, config: &Config) -> Result<Self> {
        if profile.demo {
            let use_cache = config.cache && !choice.no_cache;
            let mut session = match profile.provider {
                Provider::Anyreach => Self::anyreach_demo().await?,
                Provider::Chatwoot | Provider::ChatwootPublic => {
                    let demo = Choice {
                        demo: true,
                        ..choice.clone()
                    };
                    Self::chatwoot(&demo, config).await?
                }
                Provider::AgentPhone => Self::demo(use_cache).await?,
            };
            session.read_only = profile.read_only;
            return Ok(session);
        }
        let key = profile_key(profile)?;
        let base = choice.base_url.clone().or_else(|| profile.base_url.clone());
        let mut session = if profile.provider == Provider::Anyreach {
            let base = match base {
                Some(url) => url,
                None => Url::parse(anyreach::DEFAULT_BASE_URL)?,
            };
            Self::anyreach_account(base, &key, &profile.name, config)?
        } else if matches!(
            profile.provider,
            Provider::Chatwoot | Provider::ChatwootPublic
        ) {
            let base = base.map_or_else(|| chatwoot_base(choice), Ok)?;
            let account = profile.account_id.unwrap_or(1);
            Self::chatwoot_account(base, &key, account, &profile.name, config)?
        } else {
            Self::account(
                base.map_or_else(default_url, Ok)?,
                &key,
                &profile.name,
                config,
            )?
        };
        session.read_only = profile.read_only;
        Ok(session)
    }

    fn account(base: Url, key: &str, profile: &str, config: &Config) -> Result<Self> {
        let host = base.host_str().unwrap_or("").to_owned();
        let mut http = HttpConfig::new(base, Some(SecretString::from(key.to_owned())));
        http.request_timeout = config.request_timeout;
        let client = AgentPhone::new(http.clone()).wrap_err("cannot set up the HTTP client")?;
        let label = format!("AgentPhone {host}");
        let store_key = format!("agentphone-{profile}-{host}");
        Ok(Self::assemble(client, http, label, store_key, None))
    }

    /// A session without its cache yet (`connect` opens it by `store_key`); a demo when it
    /// runs on `sandbox`.
    fn assemble(
        client: impl Into<Client>,
        http: HttpConfig,
        label: String,
        store_key: String,
        sandbox: Option<SandboxHandle>,
    ) -> Self {
        Self {
            client: client.into(),
            http,
            label,
            demo: sandbox.is_some(),
            read_only: false,
            store_key,
            sandbox,
            cache: None,
            notices: Vec::new(),
        }
    }

    /// Starts the embedded sandbox on loopback and connects to it. With the cache, the
    /// sandbox's history keeps its place in time across runs (so cached threads and read
    /// positions stay true), and live traffic differs from run to run.
    pub async fn demo(use_cache: bool) -> Result<Self> {
        let (cache, notice) = if use_cache {
            open_cache(DEMO_KEY)
        } else {
            (None, None)
        };
        let mut config = SandboxConfig::default();
        if let Some(cache) = &cache {
            config.now = Some(demo_anchor(cache, chrono::Utc::now()));
            config.live_seed = Some(chrono::Utc::now().timestamp_micros().unsigned_abs());
        }
        let handle = sandbox::spawn(config)
            .await
            .wrap_err("cannot start the embedded sandbox on 127.0.0.1")?;
        let config = HttpConfig::new(
            handle.url().clone(),
            Some(SecretString::from(handle.api_key().to_owned())),
        );
        let client = AgentPhone::new(config.clone()).wrap_err("cannot set up the HTTP client")?;
        let label = "AgentPhone sandbox".to_owned();
        let mut session = Self::assemble(client, config, label, DEMO_KEY.into(), Some(handle));
        // Opened early: the demo's anchor in time is kept in it.
        session.cache = cache;
        session.notices.extend(notice);
        Ok(session)
    }
}

/// An environment variable that is set to something other than blanks.
fn env_var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// A profile's key: from the file, else from the environment variable it names.
fn profile_key(profile: &Profile) -> Result<String> {
    if let Some(key) = &profile.api_key {
        return Ok(secrecy::ExposeSecret::expose_secret(key).to_owned());
    }
    env_var(&profile.api_key_env).ok_or_else(|| {
        color_eyre::eyre::eyre!(
            "profile \"{}\" needs an API key: set {} or api_key in the config",
            profile.name,
            profile.api_key_env
        )
    })
}

/// Opens the cache of an account (`None` without a data directory).
fn open_cache(account: &str) -> (Option<Cache>, Option<String>) {
    match Cache::path_for(account) {
        Some(path) => {
            let (cache, notice) = Cache::open(&path);
            (Some(cache), notice)
        }
        None => (None, None),
    }
}

/// The demo history's anchor: the one kept in the cache while it is recent, else `now` (and
/// the cache, which describes the old world, starts empty).
fn demo_anchor(cache: &Cache, now: Timestamp) -> Timestamp {
    let kept = cache
        .call_blocking(|db| db.meta(DEMO_ANCHOR_KEY))
        .ok()
        .flatten()
        .and_then(|text| chrono::DateTime::parse_from_rfc3339(&text).ok())
        .map(|t| t.with_timezone(&chrono::Utc))
        .filter(|t| *t <= now && now - *t < chrono::TimeDelta::days(DEMO_ANCHOR_DAYS));
    if let Some(anchor) = kept {
        return anchor;
    }
    let stamp = now.to_rfc3339();
    let reset = cache.call_blocking(move |db| {
        db.clear()?;
        db.set_meta(DEMO_ANCHOR_KEY, &stamp)
    });
    if let Err(error) = reset {
        tracing::warn!("cannot reset the demo cache: {error}");
    }
    now
}

fn default_url() -> Result<Url> {
    Url::parse(agentphone::DEFAULT_BASE_URL).wrap_err("default base URL")
}
