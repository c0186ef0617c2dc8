//! Configuration: the embedded defaults (`assets/default-config.toml`) overlaid by the user's
//! `config.toml` (or `--config PATH`).
//!
//! Two stages, as in ripgrep: `RawConfig` is what a file says (serde with unknown keys
//! rejected, spans kept so errors name the line), [`Config`] is what the app uses. The user's
//! file is checked on its own before the overlay, so every error points into that file.

mod keys;
mod raw;
mod show;

pub use self::show::show;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use secrecy::SecretString;
use url::Url;

use crate::provider::Provider;

use self::raw::{RawConfig, RawProfile};
pub use crate::app::state::{Notifications, Settings};
use crate::keymap::Keymap;
use crate::ui::theme::ThemeName;
pub use crate::ui::time::TimeFormat;

/// The built-in defaults, which are also the documentation of every option.
pub const DEFAULT_CONFIG: &str = include_str!("../assets/default-config.toml");

/// A configuration file that cannot be used, with where and why.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.render())]
pub struct ConfigError {
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// The key (or section) at fault, when known.
    pub key: Option<String>,
    pub message: String,
}

impl ConfigError {
    fn render(&self) -> String {
        let at = self.line.map(|l| format!(":{l}")).unwrap_or_default();
        let key = self
            .key
            .as_deref()
            .map(|k| format!(" `{k}`:"))
            .unwrap_or_default();
        format!("{}{at}:{key} {}", self.file, self.message)
    }

    /// An error about the whole file (no line).
    pub fn file(file: &Path, message: impl Into<String>) -> Self {
        Self {
            file: file.display().to_string(),
            line: None,
            key: None,
            message: message.into(),
        }
    }
}

/// An account to connect to.
#[derive(Clone, Debug)]
pub struct Profile {
    pub name: String,
    /// AgentPhone or Anyreach.
    pub provider: Provider,
    pub demo: bool,
    pub base_url: Option<Url>,
    pub api_key: Option<SecretString>,
    /// The environment variable holding the key.
    pub api_key_env: String,
    pub read_only: bool,
    /// Chatwoot: the account id (1 when unset).
    pub account_id: Option<u64>,
}

/// The resolved configuration.
#[derive(Clone, Debug)]
pub struct Config {
    pub default_profile: String,
    pub profiles: BTreeMap<String, Profile>,
    /// App settings, including notifications, time format and mouse.
    pub settings: Settings,
    pub request_timeout: Duration,
    pub theme: ThemeName,
    /// Keep a local cache (off: every start loads from the server, and there is no search).
    pub cache: bool,
    pub log_level: String,
    pub keymap: Keymap,
    /// The user's file, when one was read.
    pub source: Option<PathBuf>,
    /// Things to tell the user that do not stop the app (a key in a world-readable file).
    pub warnings: Vec<String>,
}

/// Where the user's file lives by default.
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "switchboard")
        .map(|d| d.config_dir().join("config.toml"))
}

/// Loads the defaults overlaid by `path` (an explicit `--config`, which must exist) or by the
/// default file (which may be missing).
pub fn load(path: Option<&Path>) -> Result<Config, ConfigError> {
    let defaults = raw::parse(DEFAULT_CONFIG, "built-in defaults")?;
    let source = match path {
        Some(path) => Some(path.to_owned()),
        None => default_path().filter(|p| p.exists()),
    };
    let user = source.as_deref().map(read).transpose()?;
    let file = source.as_ref().map_or_else(
        || "built-in defaults".to_owned(),
        |p| p.display().to_string(),
    );
    let keymap = keys::build(
        &defaults,
        user.as_ref().map(|(text, raw)| (raw, text.as_str())),
        &file,
    )?;
    let mut warnings = Vec::new();
    if let (Some((text, raw)), Some(path)) = (&user, &source) {
        check_default_profile(&defaults, raw, &raw::Checker { text, file: &file })?;
        warnings.extend(key_permission_warning(path, raw));
    }
    let merged = match user {
        Some((_, raw)) => raw::overlay(defaults, raw),
        None => defaults,
    };
    Ok(resolve(merged, keymap, source, warnings))
}

/// Reads and checks a user file on its own (so errors point into it).
fn read(path: &Path) -> Result<(String, RawConfig), ConfigError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| ConfigError::file(path, format!("cannot read the file: {e}")))?;
    let raw = raw::parse(&text, &path.display().to_string())?;
    Ok((text, raw))
}

/// `default_profile` in the user's file must name a profile of either file.
fn check_default_profile(
    defaults: &RawConfig,
    user: &RawConfig,
    c: &raw::Checker,
) -> Result<(), ConfigError> {
    let Some(name) = &user.default_profile else {
        return Ok(());
    };
    let known = |raw: &RawConfig| {
        raw.profiles
            .as_ref()
            .is_some_and(|p| p.contains_key(name.get_ref()))
    };
    if known(defaults) || known(user) {
        return Ok(());
    }
    let message = format!("there is no profile named \"{}\"", name.get_ref());
    Err(c.error(&name.span(), "default_profile", message))
}

/// A file that holds an API key should not be readable by others.
fn key_permission_warning(path: &Path, raw: &RawConfig) -> Option<String> {
    use std::os::unix::fs::PermissionsExt;
    let holds_key = raw.profiles.as_ref()?.values().any(|p| p.api_key.is_some());
    let mode = std::fs::metadata(path).ok()?.permissions().mode();
    (holds_key && mode & 0o077 != 0).then(|| {
        format!(
            "{} holds an API key and is readable by others (mode {:o}); run: chmod 600 {}",
            path.display(),
            mode & 0o777,
            path.display()
        )
    })
}

fn resolve(
    raw: RawConfig,
    keymap: Keymap,
    source: Option<PathBuf>,
    warnings: Vec<String>,
) -> Config {
    let values = raw::Values::from(&raw);
    let profiles = raw
        .profiles
        .unwrap_or_default()
        .into_iter()
        .map(|(name, p)| (name.clone(), profile(name, p)))
        .collect();
    Config {
        default_profile: values.default_profile,
        profiles,
        settings: Settings {
            notifications: values.notifications,
            time_format: values.time_format,
            mouse: values.mouse,
            ..values.settings
        },
        request_timeout: values.request_timeout,
        theme: values.theme,
        cache: values.cache,
        log_level: values.log_level,
        keymap,
        source,
        warnings,
    }
}

/// A profile whose values were checked when its file was parsed.
fn profile(name: String, raw: RawProfile) -> Profile {
    let provider = raw
        .provider
        .as_ref()
        .and_then(|p| Provider::from_name(p.get_ref()))
        .unwrap_or_default();
    let key_env = provider.key_env();
    Profile {
        name,
        provider,
        demo: raw.demo.unwrap_or(false),
        base_url: raw.base_url.and_then(|u| Url::parse(u.get_ref()).ok()),
        api_key: raw.api_key.map(SecretString::from),
        api_key_env: raw.api_key_env.unwrap_or_else(|| key_env.to_owned()),
        read_only: raw.read_only.unwrap_or(false),
        account_id: raw.account_id,
    }
}

#[cfg(test)]
mod tests;
