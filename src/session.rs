//! Where to connect: the embedded sandbox, or an account from a profile or the environment.
//!
//! In order: `--demo`; `--profile NAME`; `AGENTPHONE_API_KEY` in the environment (an account at
//! the default host); the config's `default_profile` (the demo unless you change it).

use color_eyre::eyre::{Result, WrapErr, bail};
use secrecy::SecretString;
use url::Url;

use crate::api::{AgentPhone, HttpConfig, agentphone};
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
    /// Connects as the command line and the configuration say.
    pub async fn connect(choice: &Choice, config: &Config) -> Result<Self> {
        let env_key = std::env::var(API_KEY_ENV)
            .ok()
            .filter(|k| !k.trim().is_empty());
        let mut session = if choice.demo {
            Self::demo().await?
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
        Ok(session)
    }

    async fn profile(profile: &Profile, choice: &Choice, config: &Config) -> Result<Self> {
        if profile.demo {
            let mut session = Self::demo().await?;
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
        let base = match choice.base_url.clone().or_else(|| profile.base_url.clone()) {
            Some(url) => url,
            None => default_url()?,
        };
        let mut session = Self::account(base, &key, &profile.name, config)?;
        session.read_only = profile.read_only;
        Ok(session)
    }

    fn account(base: Url, key: &str, profile: &str, config: &Config) -> Result<Self> {
        let host = base.host_str().unwrap_or("").to_owned();
        let mut http = HttpConfig::new(base, Some(SecretString::from(key.to_owned())));
        http.request_timeout = config.request_timeout;
        let client = AgentPhone::new(http).wrap_err("cannot set up the HTTP client")?;
        Ok(Self {
            client,
            label: format!("AgentPhone {host}"),
            demo: false,
            read_only: false,
            store_key: format!("agentphone-{profile}-{host}"),
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

fn default_url() -> Result<Url> {
    Url::parse(agentphone::DEFAULT_BASE_URL).wrap_err("default base URL")
}
