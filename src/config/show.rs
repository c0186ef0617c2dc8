//! `switchboard config show`: the configuration in effect, as TOML, with keys hidden.

use std::fmt::Write as _;

use super::Config;
use crate::keymap::{HELP_MODES, Mode};
use crate::ui::theme::ThemeName;
use crate::ui::time::TimeFormat;

fn mode_name(mode: Mode) -> &'static str {
    match mode {
        Mode::Global => "global",
        Mode::List => "list",
        Mode::Thread => "thread",
        Mode::Compose => "compose",
        Mode::Editor => "editor",
        Mode::Filter => "filter",
        Mode::Confirm => "confirm",
        Mode::Diff => "diff",
        Mode::Help => "help",
        Mode::Links => "links",
        Mode::Search => "search",
        Mode::Calls => "calls",
        Mode::Transcript => "transcript",
        Mode::Find => "find",
        Mode::Side => "side",
    }
}

/// The `[profiles.NAME]` tables, keys hidden.
fn show_profiles(out: &mut String, config: &Config) {
    for (name, p) in &config.profiles {
        let _ = writeln!(
            out,
            "[profiles.{name}]\nprovider = {:?}\ndemo = {}",
            p.provider.name(),
            p.demo
        );
        if let Some(url) = &p.base_url {
            let _ = writeln!(out, "base_url = {:?}", url.as_str());
        }
        let _ = writeln!(out, "api_key_env = {:?}", p.api_key_env);
        if p.api_key.is_some() {
            let _ = writeln!(out, "api_key = \"(hidden)\"");
        }
        if let Some(account) = p.account_id {
            let _ = writeln!(out, "account_id = {account}");
        }
        let _ = writeln!(out, "read_only = {}\n", p.read_only);
    }
}

/// The effective configuration as a TOML document.
pub fn show(config: &Config) -> String {
    let mut out = String::new();
    let source = config.source.as_ref().map_or_else(
        || "the built-in defaults (no file)".to_owned(),
        |p| format!("the built-in defaults overlaid by {}", p.display()),
    );
    let _ = writeln!(out, "# In effect: {source}\n");
    let _ = writeln!(out, "default_profile = {:?}\n", config.default_profile);
    show_profiles(&mut out, config);
    let s = &config.settings;
    let _ = writeln!(
        out,
        "[sync]\nlist_poll_seconds = {}\nlist_poll_max_seconds = {}\nthread_poll_seconds = {}\nthread_poll_max_seconds = {}\noffline_max_seconds = {}\nrequest_timeout_seconds = {}\n",
        s.list_poll.as_secs(),
        s.list_poll_max.as_secs(),
        s.thread_poll.as_secs(),
        s.thread_poll_max.as_secs(),
        s.offline_max.as_secs(),
        config.request_timeout.as_secs()
    );
    let _ = writeln!(
        out,
        "[pages]\nconversations = {}\nmessages = {}\n",
        s.page_size, s.thread_page
    );
    let time = if s.time_format == TimeFormat::H12 {
        "12h"
    } else {
        "24h"
    };
    let theme = match config.theme {
        ThemeName::Dark => "dark",
        ThemeName::Light => "light",
        ThemeName::Basic => "basic",
    };
    let _ = writeln!(
        out,
        "[display]\ntime_format = {time:?}\ntheme = {theme:?}\nmouse = {}\n",
        s.mouse
    );
    let n = &s.notifications;
    let _ = writeln!(
        out,
        "[notifications]\nenabled = {}\nbell = {}\ndesktop = {}\nshow_text = {}\ntext_in_read_only = {}\n",
        n.enabled, n.bell, n.desktop, n.show_text, n.text_in_read_only
    );
    let _ = writeln!(out, "[cache]\nenabled = {}\n", config.cache);
    let _ = writeln!(out, "[log]\nlevel = {:?}", config.log_level);
    for mode in HELP_MODES {
        let _ = writeln!(out, "\n[keys.{}]", mode_name(mode));
        for binding in config.keymap.bindings(mode) {
            let _ = writeln!(
                out,
                "{:?} = {:?}",
                binding.key.config_name(),
                binding.command.name()
            );
        }
    }
    out
}
