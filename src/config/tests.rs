use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::app::action::Command;
use crate::keymap::Mode;

fn file(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("switchboard-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::File::create(&path)
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    path
}

#[test]
fn the_defaults_load_and_need_no_file() {
    let config = load(Some(&file("empty.toml", ""))).unwrap();
    assert_eq!(config.default_profile, "demo");
    assert!(config.profiles["demo"].demo);
    assert_eq!(config.settings.page_size, 50);
    assert_eq!(config.settings.thread_poll, Duration::from_secs(3));
    assert_eq!(config.theme, ThemeName::Dark);
    assert!(
        !config.settings.notifications.text_in_read_only,
        "read-only notifications carry no text by default"
    );
    assert!(config.warnings.is_empty());
}

#[test]
fn a_users_values_are_laid_over_the_defaults() {
    let text = r#"
default_profile = "work"
[profiles.work]
base_url = "https://api.agentphone.to"
api_key_env = "WORK_KEY"
read_only = true
[sync]
list_poll_seconds = 9
[pages]
messages = 100
[display]
theme = "light"
time_format = "12h"
mouse = true
[notifications]
show_text = false
text_in_read_only = true
"#;
    let config = load(Some(&file("over.toml", text))).unwrap();
    assert_eq!(config.default_profile, "work");
    let work = &config.profiles["work"];
    assert_eq!(
        work.base_url.as_ref().unwrap().as_str(),
        "https://api.agentphone.to/"
    );
    assert_eq!(work.api_key_env, "WORK_KEY");
    assert!(work.read_only);
    assert!(
        config.profiles.contains_key("demo"),
        "the default profile is still there"
    );
    assert_eq!(config.settings.list_poll, Duration::from_secs(9));
    assert_eq!(
        config.settings.thread_poll,
        Duration::from_secs(3),
        "untouched values keep their default"
    );
    assert_eq!(config.settings.thread_page, 100);
    assert_eq!(config.theme, ThemeName::Light);
    assert_eq!(config.settings.time_format, TimeFormat::H12);
    assert!(config.settings.mouse);
    assert!(!config.settings.notifications.show_text);
    assert!(config.settings.notifications.text_in_read_only);
    assert!(config.settings.notifications.bell);
}

#[test]
fn key_tables_rebind_add_and_remove() {
    let text = r#"
[keys.global]
"ctrl-l" = "refresh"
[keys.thread]
"space" = "page-down"
"G" = "none"
[keys.compose]
"ctrl-s" = "send"
"#;
    let config = load(Some(&file("keys.toml", text))).unwrap();
    let map = &config.keymap;
    let key = |c: char, m: KeyModifiers| KeyEvent::new(KeyCode::Char(c), m);
    assert_eq!(
        map.resolve(Mode::List, &key('l', KeyModifiers::CONTROL)),
        Some(Command::Refresh)
    );
    assert_eq!(
        map.resolve(Mode::Thread, &key(' ', KeyModifiers::NONE)),
        Some(Command::PageDown)
    );
    assert_eq!(
        map.resolve(Mode::Thread, &key('G', KeyModifiers::SHIFT)),
        None,
        "unbound"
    );
    assert_eq!(
        map.resolve(
            Mode::Thread,
            &KeyEvent::new(KeyCode::End, KeyModifiers::NONE)
        ),
        Some(Command::Bottom)
    );
    assert_eq!(
        map.resolve(Mode::Compose, &key('s', KeyModifiers::CONTROL)),
        Some(Command::Send)
    );
    assert_eq!(
        map.resolve(
            Mode::Compose,
            &KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)
        ),
        Some(Command::Send)
    );
    // Help follows the table.
    assert!(
        map.help(Mode::Thread)
            .iter()
            .any(|(keys, _)| keys.contains("space"))
    );
}

#[test]
fn a_key_in_a_file_others_can_read_is_warned_about() {
    let path = file("secret.toml", "[profiles.work]\napi_key = \"sk_live_x\"\n");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let config = load(Some(&path)).unwrap();
    assert_eq!(config.warnings.len(), 1);
    assert!(
        config.warnings[0].contains("chmod 600"),
        "{}",
        config.warnings[0]
    );
    assert!(
        !config.warnings[0].contains("sk_live_x"),
        "the key itself never appears"
    );
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    assert!(load(Some(&path)).unwrap().warnings.is_empty());
}

#[test]
fn show_prints_a_file_that_loads_back_to_the_same_keys() {
    let config = load(Some(&file(
        "show.toml",
        "[keys.thread]\n\"space\" = \"page-down\"\n",
    )))
    .unwrap();
    let shown = show(&config);
    assert!(!shown.contains("sk_live"));
    let again = load(Some(&file("shown.toml", &shown))).unwrap();
    for mode in crate::keymap::HELP_MODES {
        let sorted = |map: &Keymap| {
            let mut b: Vec<(String, Command)> = map
                .bindings(mode)
                .map(|b| (b.key.to_string(), b.command))
                .collect();
            b.sort_by(|x, y| x.0.cmp(&y.0));
            b
        };
        assert_eq!(sorted(&again.keymap), sorted(&config.keymap), "{mode:?}");
    }
}
