//! `[keys.MODE]` tables: "key" = "command" (or "none"), laid over the default keymap.
//!
//! Rejected at load, with the line: an unknown mode, key or command; a command that does nothing
//! in that mode; the same key twice in one mode (`G` and `shift-g`); a plain character bound in
//! a text box (it could no longer be typed).

use std::collections::HashMap;

use ratatui::crossterm::event::{KeyCode, KeyModifiers};

use super::ConfigError;
use super::raw::{Checker, RawConfig};
use crate::keymap::{Binding, KeyCombo, Keymap, Mode};
use crate::keymap::{COMMAND_NAMES, Command};

/// Modes by their name in the config file.
const MODE_NAMES: &[(&str, Mode)] = &[
    ("global", Mode::Global),
    ("list", Mode::List),
    ("thread", Mode::Thread),
    ("compose", Mode::Compose),
    ("editor", Mode::Editor),
    ("filter", Mode::Filter),
    ("confirm", Mode::Confirm),
    ("diff", Mode::Diff),
    ("help", Mode::Help),
    ("links", Mode::Links),
    ("search", Mode::Search),
    ("calls", Mode::Calls),
    ("transcript", Mode::Transcript),
    ("find", Mode::Find),
    ("side", Mode::Side),
];

/// Commands that make sense everywhere outside text entry.
const GLOBAL_COMMANDS: &[Command] = &[
    Command::Quit,
    Command::Suspend,
    Command::Help,
    Command::FocusNext,
    Command::FocusPrev,
    Command::FocusList,
    Command::FocusThread,
    Command::FocusSide,
    Command::Refresh,
    Command::MuteAll,
    Command::Search,
    Command::NextUnread,
    Command::PrevUnread,
    Command::Calls,
];

/// The commands that do something in `mode`.
fn allowed(defaults: &Keymap, mode: Mode) -> Vec<Command> {
    let mut commands: Vec<Command> = defaults.bindings(mode).map(|b| b.command).collect();
    if matches!(
        mode,
        Mode::Global | Mode::List | Mode::Thread | Mode::Calls | Mode::Transcript | Mode::Side
    ) {
        commands.extend_from_slice(GLOBAL_COMMANDS);
    }
    commands
}

/// The default keymap with the `[keys]` tables of the defaults and the user's file applied.
pub fn build(
    defaults: &RawConfig,
    user: Option<(&RawConfig, &str)>,
    file: &str,
) -> Result<Keymap, ConfigError> {
    let base = Keymap::default();
    let mut bindings: Vec<Binding> = base.all().to_vec();
    let builtin = Checker {
        text: super::DEFAULT_CONFIG,
        file: "built-in defaults",
    };
    apply(defaults, &builtin, &base, &mut bindings)?;
    if let Some((raw, text)) = user {
        apply(raw, &Checker { text, file }, &base, &mut bindings)?;
    }
    Ok(Keymap::from_bindings(bindings))
}

fn apply(
    raw: &RawConfig,
    c: &Checker,
    base: &Keymap,
    bindings: &mut Vec<Binding>,
) -> Result<(), ConfigError> {
    for (mode_name, table) in raw.keys.iter().flatten() {
        let Some(mode) = MODE_NAMES
            .iter()
            .find(|(n, _)| n == mode_name.get_ref())
            .map(|(_, m)| *m)
        else {
            let names: Vec<&str> = MODE_NAMES.iter().map(|(n, _)| *n).collect();
            let message = format!(
                "unknown mode \"{}\"; modes are: {}",
                mode_name.get_ref(),
                names.join(", ")
            );
            return Err(c.error(
                &mode_name.span(),
                &format!("keys.{}", mode_name.get_ref()),
                message,
            ));
        };
        let mut seen: HashMap<KeyCombo, &str> = HashMap::new();
        for (key, command) in table {
            let combo = parse_key(c, mode_name.get_ref(), key)?;
            if let Some(first) = seen.insert(combo, key.get_ref()) {
                let message = format!(
                    "\"{first}\" and \"{}\" are the same key; bind it once",
                    key.get_ref()
                );
                return Err(c.error(&key.span(), key.get_ref(), message));
            }
            let command =
                parse_command(c, base, mode, mode_name.get_ref(), key.get_ref(), command)?;
            bindings.retain(|b| !(b.mode == mode && b.key == combo));
            if let Some(command) = command {
                bindings.push(Binding {
                    mode,
                    key: combo,
                    command,
                });
            }
        }
    }
    Ok(())
}

fn parse_key(
    c: &Checker,
    mode: &str,
    key: &toml::Spanned<String>,
) -> Result<KeyCombo, ConfigError> {
    let combo = KeyCombo::parse(key.get_ref())
        .map_err(|message| c.error(&key.span(), key.get_ref(), message))?;
    let text_entry = matches!(mode, "compose" | "editor" | "filter");
    let plain = matches!(combo.code, KeyCode::Char(_))
        && !combo
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    if text_entry && plain {
        let message = format!(
            "binding a plain character in [keys.{mode}] would make it impossible to type; use a ctrl- or alt- key"
        );
        return Err(c.error(&key.span(), key.get_ref(), message));
    }
    Ok(combo)
}

fn parse_command(
    c: &Checker,
    base: &Keymap,
    mode: Mode,
    mode_name: &str,
    key: &str,
    command: &toml::Spanned<String>,
) -> Result<Option<Command>, ConfigError> {
    let name = command.get_ref();
    if name == "none" {
        return Ok(None);
    }
    let Some(parsed) = Command::from_name(name) else {
        let names: Vec<&str> = COMMAND_NAMES.iter().map(|(_, n)| *n).collect();
        let message = format!(
            "unknown command \"{name}\"; commands are: {}, or \"none\"",
            names.join(", ")
        );
        return Err(c.error(&command.span(), key, message));
    };
    if !allowed(base, mode).contains(&parsed) {
        let works_in: Vec<&str> = MODE_NAMES
            .iter()
            .filter(|(_, m)| allowed(base, *m).contains(&parsed))
            .map(|(n, _)| *n)
            .collect();
        let message = format!(
            "\"{name}\" does nothing in [keys.{mode_name}]; it works in: {}",
            works_in.join(", ")
        );
        return Err(c.error(&command.span(), key, message));
    }
    Ok(Some(parsed))
}
