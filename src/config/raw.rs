//! What one configuration file says: parsed with unknown keys rejected, each value checked,
//! every error pointing at its line. Files are then laid over one another.

use std::collections::BTreeMap;
use std::ops::Range;
use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;

use super::{ConfigError, Notifications, TimeFormat};
use crate::app::state::Settings;
use crate::ui::theme::ThemeName;

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    pub default_profile: Option<Spanned<String>>,
    pub profiles: Option<BTreeMap<String, RawProfile>>,
    pub sync: Option<RawSync>,
    pub pages: Option<RawPages>,
    pub display: Option<RawDisplay>,
    pub notifications: Option<RawNotifications>,
    pub cache: Option<RawCache>,
    pub log: Option<RawLog>,
    /// Mode name, then key, then command name.
    pub keys: Option<KeyTables>,
}

/// `[keys.MODE]` tables: mode name, then key, then command name (spans kept for errors).
pub type KeyTables = BTreeMap<Spanned<String>, BTreeMap<Spanned<String>, Spanned<String>>>;

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProfile {
    pub provider: Option<Spanned<String>>,
    pub base_url: Option<Spanned<String>>,
    pub api_key: Option<String>,
    pub api_key_env: Option<String>,
    pub demo: Option<bool>,
    pub read_only: Option<bool>,
    /// Chatwoot: the account the token works in.
    pub account_id: Option<u64>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(clippy::struct_field_names)] // the names are the file's keys
pub struct RawSync {
    pub list_poll_seconds: Option<Spanned<u64>>,
    pub list_poll_max_seconds: Option<Spanned<u64>>,
    pub thread_poll_seconds: Option<Spanned<u64>>,
    pub thread_poll_max_seconds: Option<Spanned<u64>>,
    pub offline_max_seconds: Option<Spanned<u64>>,
    pub request_timeout_seconds: Option<Spanned<u64>>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPages {
    pub conversations: Option<Spanned<u64>>,
    pub messages: Option<Spanned<u64>>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDisplay {
    pub time_format: Option<Spanned<String>>,
    pub theme: Option<Spanned<String>>,
    pub mouse: Option<bool>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCache {
    pub enabled: Option<bool>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNotifications {
    pub enabled: Option<bool>,
    pub bell: Option<bool>,
    pub desktop: Option<bool>,
    pub show_text: Option<bool>,
    pub text_in_read_only: Option<bool>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLog {
    pub level: Option<Spanned<String>>,
}

/// The 1-based line of a byte offset in `text`.
pub fn line_at(text: &str, offset: usize) -> usize {
    text.get(..offset.min(text.len()))
        .map_or(1, |before| before.matches('\n').count() + 1)
}

/// The key named by the line a span starts on (`key = …` or `[section]`).
fn key_on_line(text: &str, span: &Range<usize>) -> Option<String> {
    let line_start = text[..span.start.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let line = text[line_start..].lines().next()?.trim();
    if let Some(section) = line.strip_prefix('[') {
        return Some(section.trim_end_matches(']').trim().to_owned());
    }
    let key = line.split('=').next()?.trim().trim_matches('"');
    (!key.is_empty()).then(|| key.to_owned())
}

/// A checker bound to one file's text, for errors with lines.
pub struct Checker<'a> {
    pub text: &'a str,
    pub file: &'a str,
}

impl Checker<'_> {
    /// An error at `span` about `key`.
    pub fn error(&self, span: &Range<usize>, key: &str, message: impl Into<String>) -> ConfigError {
        ConfigError {
            file: self.file.to_owned(),
            line: Some(line_at(self.text, span.start)),
            key: Some(key.to_owned()),
            message: message.into(),
        }
    }

    fn range(
        &self,
        value: Option<&Spanned<u64>>,
        key: &str,
        bounds: (u64, u64),
    ) -> Result<(), ConfigError> {
        match value {
            Some(v) if !(bounds.0..=bounds.1).contains(v.get_ref()) => Err(self.error(
                &v.span(),
                key,
                format!(
                    "{} is out of range: use {} to {}",
                    v.get_ref(),
                    bounds.0,
                    bounds.1
                ),
            )),
            _ => Ok(()),
        }
    }

    fn one_of(
        &self,
        value: Option<&Spanned<String>>,
        key: &str,
        allowed: &[&str],
    ) -> Result<(), ConfigError> {
        match value {
            Some(v) if !allowed.contains(&v.get_ref().as_str()) => Err(self.error(
                &v.span(),
                key,
                format!("\"{}\" is not one of: {}", v.get_ref(), allowed.join(", ")),
            )),
            _ => Ok(()),
        }
    }
}

/// Parses and checks one file.
pub fn parse(text: &str, file: &str) -> Result<RawConfig, ConfigError> {
    let raw: RawConfig = toml::from_str(text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        let message = e.message().trim().replace('\n', " ");
        let named = message
            .split('`')
            .nth(1)
            .filter(|_| message.starts_with("unknown field"));
        ConfigError {
            file: file.to_owned(),
            line: Some(line_at(text, span.start)),
            key: named
                .map(str::to_owned)
                .or_else(|| key_on_line(text, &span)),
            message: match named {
                // The key is named already; say what is allowed instead.
                Some(key) => {
                    message.replacen(&format!("unknown field `{key}`, "), "unknown key; ", 1)
                }
                None => message,
            },
        }
    })?;
    check(&raw, &Checker { text, file })?;
    Ok(raw)
}

fn check(raw: &RawConfig, c: &Checker) -> Result<(), ConfigError> {
    if let Some(sync) = &raw.sync {
        let hour = (1, 86_400);
        c.range(sync.list_poll_seconds.as_ref(), "list_poll_seconds", hour)?;
        c.range(
            sync.list_poll_max_seconds.as_ref(),
            "list_poll_max_seconds",
            hour,
        )?;
        c.range(
            sync.thread_poll_seconds.as_ref(),
            "thread_poll_seconds",
            hour,
        )?;
        c.range(
            sync.thread_poll_max_seconds.as_ref(),
            "thread_poll_max_seconds",
            hour,
        )?;
        c.range(
            sync.offline_max_seconds.as_ref(),
            "offline_max_seconds",
            hour,
        )?;
        c.range(
            sync.request_timeout_seconds.as_ref(),
            "request_timeout_seconds",
            (1, 600),
        )?;
    }
    if let Some(pages) = &raw.pages {
        c.range(pages.conversations.as_ref(), "conversations", (1, 100))?;
        c.range(pages.messages.as_ref(), "messages", (1, 200))?;
    }
    if let Some(display) = &raw.display {
        c.one_of(display.time_format.as_ref(), "time_format", &["24h", "12h"])?;
        c.one_of(display.theme.as_ref(), "theme", &["dark", "light", "basic"])?;
    }
    if let Some(log) = &raw.log {
        c.one_of(
            log.level.as_ref(),
            "level",
            &["error", "warn", "info", "debug", "trace"],
        )?;
    }
    for (name, profile) in raw.profiles.iter().flatten() {
        c.one_of(
            profile.provider.as_ref(),
            &format!("profiles.{name}.provider"),
            &["agentphone", "anyreach", "chatwoot"],
        )?;
        if let Some(url) = &profile.base_url
            && let Err(e) = url::Url::parse(url.get_ref())
        {
            let key = format!("profiles.{name}.base_url");
            return Err(c.error(
                &url.span(),
                &key,
                format!("\"{}\" is not a URL: {e}", url.get_ref()),
            ));
        }
    }
    Ok(())
}

/// Lays `top` over `base`: every value `top` sets wins; profiles and key tables merge by name.
pub fn overlay(base: RawConfig, top: RawConfig) -> RawConfig {
    let mut profiles = base.profiles.unwrap_or_default();
    profiles.extend(top.profiles.unwrap_or_default());
    RawConfig {
        default_profile: top.default_profile.or(base.default_profile),
        profiles: Some(profiles),
        sync: Some(merge_sync(
            base.sync.unwrap_or_default(),
            top.sync.unwrap_or_default(),
        )),
        pages: Some(RawPages {
            conversations: top
                .pages
                .as_ref()
                .and_then(|p| p.conversations.clone())
                .or(base.pages.as_ref().and_then(|p| p.conversations.clone())),
            messages: top
                .pages
                .as_ref()
                .and_then(|p| p.messages.clone())
                .or(base.pages.as_ref().and_then(|p| p.messages.clone())),
        }),
        display: Some(RawDisplay {
            time_format: top
                .display
                .as_ref()
                .and_then(|d| d.time_format.clone())
                .or(base.display.as_ref().and_then(|d| d.time_format.clone())),
            theme: top
                .display
                .as_ref()
                .and_then(|d| d.theme.clone())
                .or(base.display.as_ref().and_then(|d| d.theme.clone())),
            mouse: top
                .display
                .as_ref()
                .and_then(|d| d.mouse)
                .or(base.display.as_ref().and_then(|d| d.mouse)),
        }),
        notifications: Some(merge_notifications(
            &base.notifications.unwrap_or_default(),
            &top.notifications.unwrap_or_default(),
        )),
        cache: Some(RawCache {
            enabled: top
                .cache
                .and_then(|c| c.enabled)
                .or(base.cache.and_then(|c| c.enabled)),
        }),
        log: Some(RawLog {
            level: top
                .log
                .and_then(|l| l.level)
                .or(base.log.and_then(|l| l.level)),
        }),
        // Key tables were resolved into the keymap already.
        keys: None,
    }
}

fn merge_sync(base: RawSync, top: RawSync) -> RawSync {
    RawSync {
        list_poll_seconds: top.list_poll_seconds.or(base.list_poll_seconds),
        list_poll_max_seconds: top.list_poll_max_seconds.or(base.list_poll_max_seconds),
        thread_poll_seconds: top.thread_poll_seconds.or(base.thread_poll_seconds),
        thread_poll_max_seconds: top.thread_poll_max_seconds.or(base.thread_poll_max_seconds),
        offline_max_seconds: top.offline_max_seconds.or(base.offline_max_seconds),
        request_timeout_seconds: top.request_timeout_seconds.or(base.request_timeout_seconds),
    }
}

fn merge_notifications(base: &RawNotifications, top: &RawNotifications) -> RawNotifications {
    RawNotifications {
        enabled: top.enabled.or(base.enabled),
        bell: top.bell.or(base.bell),
        desktop: top.desktop.or(base.desktop),
        show_text: top.show_text.or(base.show_text),
        text_in_read_only: top.text_in_read_only.or(base.text_in_read_only),
    }
}

/// The plain values of a merged configuration (defaults fill every gap).
pub struct Values {
    pub default_profile: String,
    pub settings: Settings,
    pub request_timeout: Duration,
    pub time_format: TimeFormat,
    pub theme: ThemeName,
    pub mouse: bool,
    pub notifications: Notifications,
    pub cache: bool,
    pub log_level: String,
}

fn seconds(value: Option<&Spanned<u64>>, default: Duration) -> Duration {
    value.map_or(default, |v| Duration::from_secs(*v.get_ref()))
}

impl From<&RawConfig> for Values {
    fn from(raw: &RawConfig) -> Self {
        let defaults = Settings::default();
        let sync = raw.sync.clone().unwrap_or_default();
        let pages = raw.pages.clone().unwrap_or_default();
        let display = raw.display.clone().unwrap_or_default();
        let notify = raw.notifications.clone().unwrap_or_default();
        let count = |v: Option<Spanned<u64>>, d: u32| {
            v.map_or(d, |v| u32::try_from(*v.get_ref()).unwrap_or(d))
        };
        let settings = Settings {
            page_size: count(pages.conversations, defaults.page_size),
            thread_page: count(pages.messages, defaults.thread_page),
            list_poll: seconds(sync.list_poll_seconds.as_ref(), defaults.list_poll),
            list_poll_max: seconds(sync.list_poll_max_seconds.as_ref(), defaults.list_poll_max),
            thread_poll: seconds(sync.thread_poll_seconds.as_ref(), defaults.thread_poll),
            thread_poll_max: seconds(
                sync.thread_poll_max_seconds.as_ref(),
                defaults.thread_poll_max,
            ),
            offline_max: seconds(sync.offline_max_seconds.as_ref(), defaults.offline_max),
            ..defaults
        };
        let text = |v: Option<Spanned<String>>, d: &str| {
            v.map_or_else(|| d.to_owned(), Spanned::into_inner)
        };
        Self {
            default_profile: text(raw.default_profile.clone(), "demo"),
            settings,
            request_timeout: seconds(
                sync.request_timeout_seconds.as_ref(),
                Duration::from_secs(20),
            ),
            time_format: if text(display.time_format, "24h") == "12h" {
                TimeFormat::H12
            } else {
                TimeFormat::H24
            },
            theme: ThemeName::parse(&text(display.theme, "dark")).unwrap_or_default(),
            mouse: display.mouse.unwrap_or(false),
            notifications: Notifications {
                enabled: notify.enabled.unwrap_or(true),
                bell: notify.bell.unwrap_or(true),
                desktop: notify.desktop.unwrap_or(true),
                show_text: notify.show_text.unwrap_or(true),
                text_in_read_only: notify.text_in_read_only.unwrap_or(false),
            },
            cache: raw.cache.as_ref().and_then(|c| c.enabled).unwrap_or(true),
            log_level: text(raw.log.clone().and_then(|l| l.level), "info"),
        }
    }
}
