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

/// The environment variable that holds the AgentPhone API key.
pub const API_KEY_ENV: &str = "AGENTPHONE_API_KEY";

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

/// Which provider a session talks to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Provider {
    #[default]
    AgentPhone,
    Anyreach,
    Chatwoot,
    ChatwootPublic,
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
        let env_key = std::env::var(API_KEY_ENV).is_ok_and(|k| !k.trim().is_empty());
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
        let env_key = std::env::var(API_KEY_ENV)
            .ok()
            .filter(|k| !k.trim().is_empty());
        let use_cache = config.cache && !choice.no_cache;
        let mut session = if choice.provider == Provider::ChatwootPublic {
            Self::chatwoot_public(choice, config).await?
        } else if choice.provider == Provider::Chatwoot {
            Self::chatwoot(choice, config, use_cache).await?
        } else if choice.provider == Provider::Anyreach {
            Self::anyreach(choice, config, use_cache).await?
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
            let mut session = if profile.provider == Provider::Anyreach {
                Self::anyreach_demo(use_cache).await?
            } else {
                Self::demo(use_cache).await?
            };
            session.read_only = profile.read_only;
            return Ok(session);
        }
        let key = match &profile.api_key {
            Some(key) => secrecy::ExposeSecret::expose_secret(key).to_owned(),
            None => std::env::var(&profile.api_key_env)
                .ok()
                .filter(|k| !k.trim().is_empty())
                .ok_or_else(|| {
                    color_eyre::eyre::eyre!(
                        "profile \"{}\" needs an API key: set {} or api_key in the config",
                        profile.name,
                        profile.api_key_env
                    )
                })?,
        };
        let base = choice.base_url.clone().or_else(|| profile.base_url.clone());
        let mut session = if profile.provider == Provider::Anyreach {
            let base = match base {
                Some(url) => url,
                None => Url::parse(anyreach::DEFAULT_BASE_URL)?,
            };
            Self::anyreach_account(base, &key, &profile.name, config)?
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
        Ok(Self {
            client: client.into(),
            http,
            label: format!("AgentPhone {host}"),
            demo: false,
            read_only: false,
            store_key: format!("agentphone-{profile}-{host}"),
            sandbox: None,
            cache: None,
            notices: Vec::new(),
        })
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
        Ok(Self {
            client: client.into(),
            http: config,
            label: "AgentPhone sandbox".into(),
            demo: true,
            read_only: false,
            store_key: DEMO_KEY.into(),
            sandbox: Some(handle),
            cache,
            notices: notice.into_iter().collect(),
        })
    }
}

/// Opens the cache of an account (`None` without a data directory).
const ANYREACH_DEMO_KEY: &str = "anyreach-demo";
const CHATWOOT_DEMO_KEY: &str = "chatwoot-demo";
const CHATWOOT_PUBLIC_DEMO_KEY: &str = "chatwoot-public";
/// The public client API: the API inbox's identifier and the contact's source id.
pub const CHATWOOT_INBOX_ENV: &str = "CHATWOOT_INBOX_IDENTIFIER";
pub const CHATWOOT_CONTACT_ENV: &str = "CHATWOOT_CONTACT_IDENTIFIER";
/// Chatwoot: the agent's access token, the account, and the instance.
pub const CHATWOOT_TOKEN_ENV: &str = "CHATWOOT_API_TOKEN";
pub const CHATWOOT_ACCOUNT_ENV: &str = "CHATWOOT_ACCOUNT_ID";
pub const CHATWOOT_URL_ENV: &str = "CHATWOOT_URL";

/// The token and account id from the environment (account 1 when unset).
fn chatwoot_env() -> Option<(String, u64)> {
    let token = std::env::var(CHATWOOT_TOKEN_ENV)
        .ok()
        .filter(|k| !k.trim().is_empty())?;
    let account = std::env::var(CHATWOOT_ACCOUNT_ENV)
        .ok()
        .and_then(|a| a.trim().parse().ok())
        .unwrap_or(1);
    Some((token, account))
}

fn chatwoot_base(choice: &Choice) -> Result<Url> {
    let from_env = std::env::var(CHATWOOT_URL_ENV)
        .ok()
        .filter(|u| !u.trim().is_empty());
    match (&choice.base_url, from_env) {
        (Some(url), _) => Ok(url.clone()),
        (None, Some(url)) => {
            Url::parse(&url).wrap_err_with(|| format!("{CHATWOOT_URL_ENV} is not a URL"))
        }
        (None, None) => Url::parse("https://app.chatwoot.com").wrap_err("bad default Chatwoot URL"),
    }
}

impl Session {
    /// Chatwoot's public client API as one contact: `CHATWOOT_INBOX_IDENTIFIER` and
    /// `CHATWOOT_CONTACT_IDENTIFIER` (with `CHATWOOT_URL` or --base-url), or a sandbox contact.
    /// Nothing is cached: a contact's view is small and read whole.
    async fn chatwoot_public(choice: &Choice, config: &Config) -> Result<Self> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let ids = var(CHATWOOT_INBOX_ENV).zip(var(CHATWOOT_CONTACT_ENV));
        let ids = ids.filter(|_| !choice.demo);
        let (http, inbox, contact, label, sandbox) = if let Some((inbox, contact)) = ids {
            let base = chatwoot_base(choice)?;
            let label = format!("Chatwoot contact @ {}", base.host_str().unwrap_or(""));
            let mut http = HttpConfig::new(base, None);
            http.request_timeout = config.request_timeout;
            (http, inbox, contact, label, None)
        } else {
            let handle = sandbox::spawn(SandboxConfig::default())
                .await
                .wrap_err("cannot start the embedded sandbox on 127.0.0.1")?;
            let (inbox, contact) = handle
                .chatwoot_contact(5)
                .ok_or_else(|| color_eyre::eyre::eyre!("the sandbox has no contact"))?;
            let mut http = handle.http_config();
            http.api_key = None;
            let label = "Chatwoot contact (sandbox)".to_owned();
            (http, inbox, contact, label, Some(handle))
        };
        let client = crate::api::chatwoot::ChatwootPublic::new(http.clone(), &inbox, &contact)
            .wrap_err("cannot set up the HTTP client")?;
        Ok(Self {
            client: client.into(),
            http,
            label,
            demo: sandbox.is_some(),
            read_only: false,
            store_key: CHATWOOT_PUBLIC_DEMO_KEY.into(),
            sandbox,
            cache: None,
            notices: Vec::new(),
        })
    }

    /// Chatwoot: `CHATWOOT_API_TOKEN` (and `CHATWOOT_ACCOUNT_ID`, `CHATWOOT_URL` or --base-url),
    /// or the sandbox's Chatwoot API when there is no token or with `--demo`.
    async fn chatwoot(choice: &Choice, config: &Config, use_cache: bool) -> Result<Self> {
        let env = chatwoot_env().filter(|_| !choice.demo);
        let (http, account, label, store_key, sandbox) = if let Some((token, account)) = env {
            let base = chatwoot_base(choice)?;
            let host = base.host_str().unwrap_or("").to_owned();
            let mut http = HttpConfig::new(base, Some(SecretString::from(token)));
            http.request_timeout = config.request_timeout;
            let label = format!("Chatwoot {host} #{account}");
            (
                http,
                account,
                label,
                format!("chatwoot-env-{host}-{account}"),
                None,
            )
        } else {
            let handle = sandbox::spawn(SandboxConfig::default())
                .await
                .wrap_err("cannot start the embedded sandbox on 127.0.0.1")?;
            let mut http = handle.http_config();
            http.api_key = Some(SecretString::from(sandbox::CHATWOOT_TOKEN.to_owned()));
            let key = CHATWOOT_DEMO_KEY.to_owned();
            (http, 1, "Chatwoot sandbox".to_owned(), key, Some(handle))
        };
        let client = crate::api::chatwoot::Chatwoot::new(http.clone(), account)
            .wrap_err("cannot set up the HTTP client")?;
        let demo = sandbox.is_some();
        let (cache, notice) = if use_cache && demo {
            open_cache(&store_key)
        } else {
            (None, None)
        };
        Ok(Self {
            client: client.into(),
            http,
            label,
            demo,
            read_only: false,
            store_key,
            sandbox,
            cache,
            notices: notice.into_iter().collect(),
        })
    }
}

fn anyreach_key() -> Option<String> {
    std::env::var(anyreach::API_KEY_ENV)
        .ok()
        .filter(|k| !k.trim().is_empty())
}

fn anyreach_base(choice: &Choice) -> Result<Url> {
    match &choice.base_url {
        Some(url) => Ok(url.clone()),
        None => Url::parse(anyreach::DEFAULT_BASE_URL).wrap_err("bad default Anyreach URL"),
    }
}

impl Session {
    /// Anyreach: the key from `ANYREACH_API_KEY` (a personal token also needs `ANYREACH_ORG`),
    /// or the sandbox's Anyreach API when there is no key or with `--demo`.
    async fn anyreach(choice: &Choice, config: &Config, use_cache: bool) -> Result<Self> {
        let Some(key) = anyreach_key().filter(|_| !choice.demo) else {
            return Self::anyreach_demo(use_cache).await;
        };
        let base = anyreach_base(choice)?;
        Self::anyreach_account(base, &key, "env", config)
    }

    /// An Anyreach account at `base` with `key` (and `ANYREACH_ORG` for a personal token).
    fn anyreach_account(base: Url, key: &str, profile: &str, config: &Config) -> Result<Self> {
        let host = base.host_str().unwrap_or("").to_owned();
        let mut http = HttpConfig::new(base, Some(SecretString::from(key.to_owned())));
        http.request_timeout = config.request_timeout;
        let org = std::env::var(anyreach::ORG_ENV)
            .ok()
            .filter(|o| !o.trim().is_empty());
        match org {
            Some(org) => http.extra_headers.push((anyreach::ORG_HEADER.into(), org)),
            None if key.starts_with("pat_") => bail!(
                "a personal access token (pat_…) needs its organisation: set {}",
                anyreach::ORG_ENV
            ),
            None => {}
        }
        let client =
            anyreach::Anyreach::new(http.clone()).wrap_err("cannot set up the HTTP client")?;
        Ok(Self {
            client: client.into(),
            http,
            label: format!("Anyreach {host}"),
            demo: false,
            read_only: false,
            store_key: format!("anyreach-{profile}-{host}"),
            sandbox: None,
            cache: None,
            notices: Vec::new(),
        })
    }

    async fn anyreach_demo(use_cache: bool) -> Result<Self> {
        let handle = sandbox::spawn(SandboxConfig::default())
            .await
            .wrap_err("cannot start the embedded sandbox on 127.0.0.1")?;
        let mut http = handle.http_config();
        http.api_key = Some(SecretString::from(sandbox::ANYREACH_KEY.to_owned()));
        let client =
            anyreach::Anyreach::new(http.clone()).wrap_err("cannot set up the HTTP client")?;
        let (cache, notice) = if use_cache {
            open_cache(ANYREACH_DEMO_KEY)
        } else {
            (None, None)
        };
        Ok(Self {
            client: client.into(),
            http,
            label: "Anyreach sandbox".into(),
            demo: true,
            read_only: false,
            store_key: ANYREACH_DEMO_KEY.into(),
            sandbox: Some(handle),
            cache,
            notices: notice.into_iter().collect(),
        })
    }
}

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
