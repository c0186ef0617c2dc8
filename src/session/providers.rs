//! Sessions with Anyreach and Chatwoot (application and public APIs): keys from the environment,
//! or the sandbox when there are none.

use color_eyre::eyre::{Result, WrapErr, bail};
use secrecy::SecretString;
use url::Url;

use super::{Choice, Session, open_cache};
use crate::api::{HttpConfig, anyreach};
use crate::config::Config;
use crate::sandbox::{self, SandboxConfig};

pub(super) const ANYREACH_DEMO_KEY: &str = "anyreach-demo";
pub(super) const CHATWOOT_DEMO_KEY: &str = "chatwoot-demo";
pub(super) const CHATWOOT_PUBLIC_DEMO_KEY: &str = "chatwoot-public";
/// The public client API: the API inbox's identifier and the contact's source id.
pub const CHATWOOT_INBOX_ENV: &str = "CHATWOOT_INBOX_IDENTIFIER";
pub const CHATWOOT_CONTACT_ENV: &str = "CHATWOOT_CONTACT_IDENTIFIER";
/// Chatwoot: the agent's access token, the account, and the instance.
pub const CHATWOOT_TOKEN_ENV: &str = "CHATWOOT_API_TOKEN";
pub const CHATWOOT_ACCOUNT_ENV: &str = "CHATWOOT_ACCOUNT_ID";
pub const CHATWOOT_URL_ENV: &str = "CHATWOOT_URL";

/// The token and account id from the environment (account 1 when unset).
pub(super) fn chatwoot_env() -> Option<(String, u64)> {
    let token = std::env::var(CHATWOOT_TOKEN_ENV)
        .ok()
        .filter(|k| !k.trim().is_empty())?;
    let account = std::env::var(CHATWOOT_ACCOUNT_ENV)
        .ok()
        .and_then(|a| a.trim().parse().ok())
        .unwrap_or(1);
    Some((token, account))
}

pub(super) fn chatwoot_base(choice: &Choice) -> Result<Url> {
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
    pub(super) async fn chatwoot_public(choice: &Choice, config: &Config) -> Result<Self> {
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
    pub(super) async fn chatwoot(
        choice: &Choice,
        config: &Config,
        use_cache: bool,
    ) -> Result<Self> {
        if let Some((token, account)) = chatwoot_env().filter(|_| !choice.demo) {
            let base = chatwoot_base(choice)?;
            return Self::chatwoot_account(base, &token, account, "env", config);
        }
        let handle = sandbox::spawn(SandboxConfig::default())
            .await
            .wrap_err("cannot start the embedded sandbox on 127.0.0.1")?;
        let mut http = handle.http_config();
        http.api_key = Some(SecretString::from(sandbox::CHATWOOT_TOKEN.to_owned()));
        let client = crate::api::chatwoot::Chatwoot::new(http.clone(), 1)
            .wrap_err("cannot set up the HTTP client")?;
        let (cache, notice) = if use_cache {
            open_cache(CHATWOOT_DEMO_KEY)
        } else {
            (None, None)
        };
        Ok(Self {
            client: client.into(),
            http,
            label: "Chatwoot sandbox".into(),
            demo: true,
            read_only: false,
            store_key: CHATWOOT_DEMO_KEY.into(),
            sandbox: Some(handle),
            cache,
            notices: notice.into_iter().collect(),
        })
    }

    /// A Chatwoot account at `base` with an agent's `token` (from a profile or the environment).
    pub(super) fn chatwoot_account(
        base: Url,
        token: &str,
        account: u64,
        profile: &str,
        config: &Config,
    ) -> Result<Self> {
        let host = base.host_str().unwrap_or("").to_owned();
        let mut http = HttpConfig::new(base, Some(SecretString::from(token.to_owned())));
        http.request_timeout = config.request_timeout;
        let client = crate::api::chatwoot::Chatwoot::new(http.clone(), account)
            .wrap_err("cannot set up the HTTP client")?;
        Ok(Self {
            client: client.into(),
            http,
            label: format!("Chatwoot {host} #{account}"),
            demo: false,
            read_only: false,
            store_key: format!("chatwoot-{profile}-{host}-{account}"),
            sandbox: None,
            cache: None,
            notices: Vec::new(),
        })
    }
}

pub(super) fn anyreach_key() -> Option<String> {
    std::env::var(anyreach::API_KEY_ENV)
        .ok()
        .filter(|k| !k.trim().is_empty())
}

pub(super) fn anyreach_base(choice: &Choice) -> Result<Url> {
    match &choice.base_url {
        Some(url) => Ok(url.clone()),
        None => Url::parse(anyreach::DEFAULT_BASE_URL).wrap_err("bad default Anyreach URL"),
    }
}

impl Session {
    /// Anyreach: the key from `ANYREACH_API_KEY` (a personal token also needs `ANYREACH_ORG`),
    /// or the sandbox's Anyreach API when there is no key or with `--demo`.
    pub(super) async fn anyreach(
        choice: &Choice,
        config: &Config,
        use_cache: bool,
    ) -> Result<Self> {
        let Some(key) = anyreach_key().filter(|_| !choice.demo) else {
            return Self::anyreach_demo(use_cache).await;
        };
        let base = anyreach_base(choice)?;
        Self::anyreach_account(base, &key, "env", config)
    }

    /// An Anyreach account at `base` with `key` (and `ANYREACH_ORG` for a personal token).
    pub(super) fn anyreach_account(
        base: Url,
        key: &str,
        profile: &str,
        config: &Config,
    ) -> Result<Self> {
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

    pub(super) async fn anyreach_demo(use_cache: bool) -> Result<Self> {
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
