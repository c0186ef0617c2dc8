//! Sessions with Anyreach and Chatwoot (application and public APIs): keys from the environment,
//! or the sandbox when there are none.

use color_eyre::eyre::{Result, WrapErr, bail};
use secrecy::SecretString;
use url::Url;

use super::{Choice, Session, env_var};
use crate::api::{HttpConfig, anyreach};
use crate::config::Config;
use crate::provider::{
    CHATWOOT_ACCOUNT_ENV, CHATWOOT_CONTACT_ENV, CHATWOOT_INBOX_ENV, CHATWOOT_TOKEN_ENV,
    CHATWOOT_URL_ENV,
};
use crate::sandbox::{self, SandboxConfig, SandboxHandle};

pub(super) const ANYREACH_DEMO_KEY: &str = "anyreach-demo";
pub(super) const CHATWOOT_DEMO_KEY: &str = "chatwoot-demo";
pub(super) const CHATWOOT_PUBLIC_DEMO_KEY: &str = "chatwoot-public";

/// The token and account id from the environment (account 1 when unset).
pub(super) fn chatwoot_env() -> Option<(String, u64)> {
    let token = env_var(CHATWOOT_TOKEN_ENV)?;
    let account = env_var(CHATWOOT_ACCOUNT_ENV)
        .and_then(|a| a.trim().parse().ok())
        .unwrap_or(1);
    Some((token, account))
}

pub(super) fn chatwoot_base(choice: &Choice) -> Result<Url> {
    match (&choice.base_url, env_var(CHATWOOT_URL_ENV)) {
        (Some(url), _) => Ok(url.clone()),
        (None, Some(url)) => {
            Url::parse(&url).wrap_err_with(|| format!("{CHATWOOT_URL_ENV} is not a URL"))
        }
        (None, None) => Url::parse("https://app.chatwoot.com").wrap_err("bad default Chatwoot URL"),
    }
}

pub(super) fn anyreach_key() -> Option<String> {
    env_var(anyreach::API_KEY_ENV)
}

pub(super) fn anyreach_base(choice: &Choice) -> Result<Url> {
    match &choice.base_url {
        Some(url) => Ok(url.clone()),
        None => Url::parse(anyreach::DEFAULT_BASE_URL).wrap_err("bad default Anyreach URL"),
    }
}

/// The embedded sandbox (it speaks every provider's API) and a client configuration for it
/// with `key` (`None`: no credential, as the public Chatwoot API).
async fn sandbox_with(key: Option<&str>) -> Result<(SandboxHandle, HttpConfig)> {
    let handle = sandbox::spawn(SandboxConfig::default())
        .await
        .wrap_err("cannot start the embedded sandbox on 127.0.0.1")?;
    let mut http = handle.http_config();
    http.api_key = key.map(|k| SecretString::from(k.to_owned()));
    Ok((handle, http))
}

/// A client configuration for an account: `base`, `key`, the configured timeout.
fn account_http(base: Url, key: Option<&str>, config: &Config) -> HttpConfig {
    let mut http = HttpConfig::new(base, key.map(|k| SecretString::from(k.to_owned())));
    http.request_timeout = config.request_timeout;
    http
}

fn host(url: &Url) -> String {
    url.host_str().unwrap_or("").to_owned()
}

impl Session {
    /// Chatwoot's public client API as one contact: `CHATWOOT_INBOX_IDENTIFIER` and
    /// `CHATWOOT_CONTACT_IDENTIFIER` (with `CHATWOOT_URL` or --base-url), or a sandbox contact.
    pub(super) async fn chatwoot_public(choice: &Choice, config: &Config) -> Result<Self> {
        let ids = env_var(CHATWOOT_INBOX_ENV).zip(env_var(CHATWOOT_CONTACT_ENV));
        let ids = ids.filter(|_| !choice.demo);
        let (http, inbox, contact, label, sandbox) = if let Some((inbox, contact)) = ids {
            let base = chatwoot_base(choice)?;
            let label = format!("Chatwoot contact @ {}", host(&base));
            let http = account_http(base, None, config);
            (http, inbox, contact, label, None)
        } else {
            let (handle, http) = sandbox_with(None).await?;
            let (inbox, contact) = handle
                .chatwoot_contact(5)
                .ok_or_else(|| color_eyre::eyre::eyre!("the sandbox has no contact"))?;
            let label = "Chatwoot contact (sandbox)".to_owned();
            (http, inbox, contact, label, Some(handle))
        };
        let client = crate::api::chatwoot::ChatwootPublic::new(http.clone(), &inbox, &contact)
            .wrap_err("cannot set up the HTTP client")?;
        let key = CHATWOOT_PUBLIC_DEMO_KEY.to_owned();
        Ok(Self::assemble(client, http, label, key, sandbox))
    }

    /// Chatwoot: `CHATWOOT_API_TOKEN` (and `CHATWOOT_ACCOUNT_ID`, `CHATWOOT_URL` or --base-url),
    /// or the sandbox's Chatwoot API when there is no token or with `--demo`.
    pub(super) async fn chatwoot(choice: &Choice, config: &Config) -> Result<Self> {
        if let Some((token, account)) = chatwoot_env().filter(|_| !choice.demo) {
            let base = chatwoot_base(choice)?;
            return Self::chatwoot_account(base, &token, account, "env", config);
        }
        let (handle, http) = sandbox_with(Some(sandbox::CHATWOOT_TOKEN)).await?;
        let client = crate::api::chatwoot::Chatwoot::new(http.clone(), 1)
            .wrap_err("cannot set up the HTTP client")?;
        let (label, key) = ("Chatwoot sandbox".to_owned(), CHATWOOT_DEMO_KEY.to_owned());
        Ok(Self::assemble(client, http, label, key, Some(handle)))
    }

    /// A Chatwoot account at `base` with an agent's `token` (from a profile or the environment).
    pub(super) fn chatwoot_account(
        base: Url,
        token: &str,
        account: u64,
        profile: &str,
        config: &Config,
    ) -> Result<Self> {
        let host = host(&base);
        let http = account_http(base, Some(token), config);
        let client = crate::api::chatwoot::Chatwoot::new(http.clone(), account)
            .wrap_err("cannot set up the HTTP client")?;
        let label = format!("Chatwoot {host} #{account}");
        let key = format!("chatwoot-{profile}-{host}-{account}");
        Ok(Self::assemble(client, http, label, key, None))
    }

    /// Anyreach: the key from `ANYREACH_API_KEY` (a personal token also needs `ANYREACH_ORG`),
    /// or the sandbox's Anyreach API when there is no key or with `--demo`.
    pub(super) async fn anyreach(choice: &Choice, config: &Config) -> Result<Self> {
        let Some(key) = anyreach_key().filter(|_| !choice.demo) else {
            return Self::anyreach_demo().await;
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
        let host = host(&base);
        let mut http = account_http(base, Some(key), config);
        match env_var(anyreach::ORG_ENV) {
            Some(org) => http.extra_headers.push((anyreach::ORG_HEADER.into(), org)),
            None if key.starts_with("pat_") => bail!(
                "a personal access token (pat_…) needs its organisation: set {}",
                anyreach::ORG_ENV
            ),
            None => {}
        }
        let client =
            anyreach::Anyreach::new(http.clone()).wrap_err("cannot set up the HTTP client")?;
        let (label, key) = (
            format!("Anyreach {host}"),
            format!("anyreach-{profile}-{host}"),
        );
        Ok(Self::assemble(client, http, label, key, None))
    }

    pub(super) async fn anyreach_demo() -> Result<Self> {
        let (handle, http) = sandbox_with(Some(sandbox::ANYREACH_KEY)).await?;
        let client =
            anyreach::Anyreach::new(http.clone()).wrap_err("cannot set up the HTTP client")?;
        let (label, key) = ("Anyreach sandbox".to_owned(), ANYREACH_DEMO_KEY.to_owned());
        Ok(Self::assemble(client, http, label, key, Some(handle)))
    }
}
