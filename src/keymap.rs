//! Keys as data: `(Mode, KeyCombo) -> Command`, each binding with a description.
//!
//! The help overlay and the status-bar hints are generated from this table, so they cannot drift
//! from behaviour. Text-entry modes (compose, metadata editor, filter) see raw keys only when no
//! binding of theirs matches; the one-line boxes edit with the fixed readline keys of
//! [`LINE_EDIT_KEYS`].

use std::collections::HashMap;
use std::fmt::{self, Write as _};

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

mod command;
mod line_edit;

pub use self::command::{COMMAND_NAMES, Command};
pub use self::line_edit::{LINE_EDIT_KEYS, LINE_EDIT_TITLE, LineEdit, line_edit, line_edit_help};

/// Where keys are interpreted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mode {
    /// Everywhere a more specific mode does not bind the key (not in text entry).
    Global,
    List,
    Thread,
    Compose,
    Editor,
    Filter,
    /// Yes/no questions.
    Confirm,
    /// The metadata difference dialog: a save's conflict, or `ctrl-d` / `ctrl-r` in the editor.
    Diff,
    Help,
    /// The list of links of a message.
    Links,
    /// The search box and its results.
    Search,
    /// The calls list.
    Calls,
    /// A call's transcript.
    Transcript,
    /// The find box of a thread or transcript.
    Find,
    /// The side pane without an editor: metadata or session facts, read-only.
    Side,
}

impl Mode {
    /// Modes whose unbound keys go to a text area.
    pub fn is_text_entry(self) -> bool {
        matches!(
            self,
            Self::Compose | Self::Editor | Self::Filter | Self::Search | Self::Find
        )
    }

    /// The heading of this mode in the help overlay.
    pub fn title(self) -> &'static str {
        match self {
            Self::Global => "Everywhere (except while typing)",
            Self::List => "Conversation list",
            Self::Thread => "Thread",
            Self::Compose => "Reply box",
            Self::Editor => "Metadata editor",
            Self::Filter => "Filter",
            Self::Confirm => "Questions",
            Self::Diff => "Metadata difference (yours against the server's copy)",
            Self::Help => "Help",
            Self::Links => "Links",
            Self::Search => "Search",
            Self::Calls => "Calls",
            Self::Transcript => "Call transcript",
            Self::Find => "Find in a thread or transcript",
            Self::Side => "Metadata or session pane (pane 3, read-only)",
        }
    }
}

/// A key with its modifiers, as written in bindings: `j`, `G`, `ctrl-r`, `alt-enter`, `pageup`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct KeyCombo {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
}

impl KeyCombo {
    /// Normalises a terminal key event: shift is folded into upper-case letters.
    pub fn from_event(event: &KeyEvent) -> Self {
        let mut modifiers =
            event.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match event.code {
            KeyCode::Char(c)
                if c.is_ascii_alphabetic() && modifiers.contains(KeyModifiers::SHIFT) =>
            {
                modifiers.remove(KeyModifiers::SHIFT);
                KeyCode::Char(c.to_ascii_uppercase())
            }
            KeyCode::Char(c) => {
                // Shifted symbols (`?`, `G`) arrive with SHIFT set on some terminals only.
                if !c.is_ascii_alphabetic() {
                    modifiers.remove(KeyModifiers::SHIFT);
                }
                KeyCode::Char(c)
            }
            KeyCode::BackTab => {
                modifiers.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            other => other,
        };
        Self { code, modifiers }
    }

    /// Parses `ctrl-r`, `alt-enter`, `shift-tab`, `G`, `?`, `pageup`, `space`, `f5`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut modifiers = KeyModifiers::NONE;
        let mut rest = text;
        loop {
            let lower = rest.to_ascii_lowercase();
            let (prefix, flag) = if lower.starts_with("ctrl-") {
                ("ctrl-", KeyModifiers::CONTROL)
            } else if lower.starts_with("alt-") {
                ("alt-", KeyModifiers::ALT)
            } else if lower.starts_with("shift-") && rest.len() > 6 {
                ("shift-", KeyModifiers::SHIFT)
            } else {
                break;
            };
            modifiers |= flag;
            rest = &rest[prefix.len()..];
        }
        let code = parse_code(rest).ok_or_else(|| format!("unknown key {text:?}"))?;
        let event = KeyEvent::new(code, modifiers);
        Ok(Self::from_event(&event))
    }
}

fn parse_code(name: &str) -> Option<KeyCode> {
    let named = match name.to_ascii_lowercase().as_str() {
        "enter" | "return" => KeyCode::Enter,
        "esc" | "escape" => KeyCode::Esc,
        "tab" => KeyCode::Tab,
        "backtab" => KeyCode::BackTab,
        "backspace" => KeyCode::Backspace,
        "delete" | "del" => KeyCode::Delete,
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "pageup" | "pgup" => KeyCode::PageUp,
        "pagedown" | "pgdn" => KeyCode::PageDown,
        "space" => KeyCode::Char(' '),
        other => {
            if let Some(n) = other.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()) {
                return (1..=24).contains(&n).then_some(KeyCode::F(n));
            }
            let mut chars = name.chars();
            let c = chars.next()?;
            return chars.next().is_none().then_some(KeyCode::Char(c));
        }
    };
    Some(named)
}

impl KeyCombo {
    /// The key as written in the config file (`ctrl-r`, `G`, `up`), which parses back to it.
    pub fn config_name(&self) -> String {
        let shown = self.to_string();
        match self.code {
            KeyCode::Up => shown.replace('↑', "up"),
            KeyCode::Down => shown.replace('↓', "down"),
            KeyCode::Left => shown.replace('←', "left"),
            KeyCode::Right => shown.replace('→', "right"),
            KeyCode::PageUp => shown.replace("pgup", "pageup"),
            KeyCode::PageDown => shown.replace("pgdn", "pagedown"),
            _ => shown,
        }
    }
}

impl fmt::Display for KeyCombo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            f.write_str("ctrl-")?;
        }
        if self.modifiers.contains(KeyModifiers::ALT) {
            f.write_str("alt-")?;
        }
        if self.modifiers.contains(KeyModifiers::SHIFT) {
            f.write_str("shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("enter"),
            KeyCode::Esc => f.write_str("esc"),
            KeyCode::Tab => f.write_str("tab"),
            KeyCode::BackTab => f.write_str("shift-tab"),
            KeyCode::Backspace => f.write_str("backspace"),
            KeyCode::Delete => f.write_str("delete"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::Home => f.write_str("home"),
            KeyCode::End => f.write_str("end"),
            KeyCode::PageUp => f.write_str("pgup"),
            KeyCode::PageDown => f.write_str("pgdn"),
            KeyCode::F(n) => write!(f, "f{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// One binding: in `mode`, `key` runs `command`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Binding {
    pub mode: Mode,
    pub key: KeyCombo,
    pub command: Command,
}

/// The binding table and its lookup index.
#[derive(Clone, Debug)]
pub struct Keymap {
    bindings: Vec<Binding>,
    index: HashMap<(Mode, KeyCombo), Command>,
}

/// The default bindings: vim keys and arrows both work.
const DEFAULTS: &[(Mode, &str, Command)] = &[
    (Mode::Global, "q", Command::Quit),
    (Mode::Global, "ctrl-c", Command::Quit),
    (Mode::Global, "ctrl-z", Command::Suspend),
    (Mode::Global, "ctrl-l", Command::Redraw),
    (Mode::Global, "?", Command::Help),
    (Mode::Global, "tab", Command::FocusNext),
    (Mode::Global, "shift-tab", Command::FocusPrev),
    (Mode::Global, "ctrl-r", Command::Refresh),
    (Mode::Global, "M", Command::MuteAll),
    (Mode::Global, "s", Command::Search),
    (Mode::Global, "]", Command::NextUnread),
    (Mode::Global, "[", Command::PrevUnread),
    (Mode::Global, "c", Command::Calls),
    (Mode::Global, "1", Command::FocusList),
    (Mode::Global, "2", Command::FocusThread),
    (Mode::Global, "3", Command::FocusSide),
    (Mode::List, "j", Command::Down),
    (Mode::List, "down", Command::Down),
    (Mode::List, "k", Command::Up),
    (Mode::List, "up", Command::Up),
    (Mode::List, "g", Command::Top),
    (Mode::List, "home", Command::Top),
    (Mode::List, "G", Command::Bottom),
    (Mode::List, "end", Command::Bottom),
    (Mode::List, "ctrl-d", Command::PageDown),
    (Mode::List, "pagedown", Command::PageDown),
    (Mode::List, "ctrl-u", Command::PageUp),
    (Mode::List, "pageup", Command::PageUp),
    (Mode::List, "enter", Command::Open),
    (Mode::List, "l", Command::Open),
    (Mode::List, "right", Command::Open),
    (Mode::List, "/", Command::Filter),
    (Mode::List, "esc", Command::ClearFilter),
    (Mode::List, "r", Command::Reply),
    (Mode::List, "e", Command::EditMetadata),
    (Mode::List, "y", Command::CopyNumber),
    (Mode::List, "Y", Command::CopyId),
    (Mode::List, "m", Command::Mute),
    (Mode::List, "f", Command::StatusFilter),
    (Mode::List, "d", Command::DirectionFilter),
    (Mode::List, "t", Command::ChannelFilter),
    (Mode::List, "w", Command::DateFilter),
    (Mode::List, "a", Command::TabNext),
    (Mode::List, "i", Command::InboxFilter),
    (Mode::List, "#", Command::LabelFilter),
    (Mode::List, "x", Command::Actions),
    (Mode::Thread, "k", Command::Up),
    (Mode::Thread, "up", Command::Up),
    (Mode::Thread, "j", Command::Down),
    (Mode::Thread, "down", Command::Down),
    (Mode::Thread, "ctrl-u", Command::PageUp),
    (Mode::Thread, "pageup", Command::PageUp),
    (Mode::Thread, "ctrl-d", Command::PageDown),
    (Mode::Thread, "pagedown", Command::PageDown),
    (Mode::Thread, "g", Command::Top),
    (Mode::Thread, "home", Command::Top),
    (Mode::Thread, "G", Command::Bottom),
    (Mode::Thread, "end", Command::Bottom),
    (Mode::Thread, "r", Command::Reply),
    (Mode::Thread, "i", Command::Reply),
    (Mode::Thread, "e", Command::EditMetadata),
    (Mode::Thread, "E", Command::ExternalEditor),
    (Mode::Thread, "y", Command::CopyMessage),
    (Mode::Thread, "Y", Command::CopyNumber),
    (Mode::Thread, "I", Command::CopyId),
    (Mode::Thread, "o", Command::OpenLink),
    (Mode::Thread, "m", Command::Mute),
    (Mode::Thread, "x", Command::Actions),
    (Mode::Thread, "/", Command::Find),
    (Mode::Thread, "n", Command::FindNext),
    (Mode::Thread, "N", Command::FindPrev),
    (Mode::Thread, "h", Command::Back),
    (Mode::Thread, "left", Command::Back),
    (Mode::Thread, "esc", Command::Back),
    (Mode::Compose, "enter", Command::Send),
    (Mode::Compose, "alt-enter", Command::Newline),
    (Mode::Compose, "ctrl-j", Command::Newline),
    (Mode::Compose, "ctrl-e", Command::ExternalEditor),
    (Mode::Compose, "ctrl-p", Command::ToggleNote),
    (Mode::Compose, "esc", Command::Back),
    (Mode::Editor, "ctrl-s", Command::Save),
    (Mode::Editor, "ctrl-f", Command::Format),
    (Mode::Editor, "ctrl-e", Command::ExternalEditor),
    (Mode::Editor, "ctrl-d", Command::Diff),
    (Mode::Editor, "ctrl-r", Command::Reload),
    (Mode::Editor, "esc", Command::Back),
    (Mode::Filter, "enter", Command::Accept),
    (Mode::Filter, "esc", Command::ClearFilter),
    (Mode::Confirm, "y", Command::Yes),
    (Mode::Confirm, "n", Command::No),
    (Mode::Confirm, "esc", Command::No),
    (Mode::Diff, "o", Command::Overwrite),
    (Mode::Diff, "r", Command::Reload),
    (Mode::Diff, "esc", Command::Back),
    (Mode::Diff, "j", Command::Down),
    (Mode::Diff, "down", Command::Down),
    (Mode::Diff, "k", Command::Up),
    (Mode::Diff, "up", Command::Up),
    (Mode::Diff, "ctrl-d", Command::PageDown),
    (Mode::Diff, "pagedown", Command::PageDown),
    (Mode::Diff, "space", Command::PageDown),
    (Mode::Diff, "ctrl-u", Command::PageUp),
    (Mode::Diff, "pageup", Command::PageUp),
    (Mode::Diff, "g", Command::Top),
    (Mode::Diff, "home", Command::Top),
    (Mode::Diff, "G", Command::Bottom),
    (Mode::Diff, "end", Command::Bottom),
    (Mode::Help, "esc", Command::Back),
    (Mode::Help, "?", Command::Back),
    (Mode::Help, "q", Command::Back),
    (Mode::Help, "j", Command::Down),
    (Mode::Help, "down", Command::Down),
    (Mode::Help, "k", Command::Up),
    (Mode::Help, "up", Command::Up),
    (Mode::Help, "space", Command::PageDown),
    (Mode::Help, "ctrl-d", Command::PageDown),
    (Mode::Help, "pagedown", Command::PageDown),
    (Mode::Help, "ctrl-u", Command::PageUp),
    (Mode::Help, "pageup", Command::PageUp),
    (Mode::Help, "g", Command::Top),
    (Mode::Help, "home", Command::Top),
    (Mode::Help, "G", Command::Bottom),
    (Mode::Help, "end", Command::Bottom),
    (Mode::Help, "/", Command::Filter),
    (Mode::Links, "j", Command::Down),
    (Mode::Links, "down", Command::Down),
    (Mode::Links, "k", Command::Up),
    (Mode::Links, "up", Command::Up),
    (Mode::Links, "enter", Command::Open),
    (Mode::Links, "y", Command::CopyMessage),
    (Mode::Links, "esc", Command::Back),
    (Mode::Links, "q", Command::Back),
    (Mode::Search, "enter", Command::Open),
    (Mode::Search, "down", Command::Down),
    (Mode::Search, "ctrl-n", Command::Down),
    (Mode::Search, "up", Command::Up),
    (Mode::Search, "ctrl-p", Command::Up),
    (Mode::Search, "pagedown", Command::PageDown),
    (Mode::Search, "pageup", Command::PageUp),
    (Mode::Search, "esc", Command::Back),
    (Mode::Find, "enter", Command::Accept),
    (Mode::Find, "esc", Command::ClearFilter),
    (Mode::Calls, "j", Command::Down),
    (Mode::Calls, "down", Command::Down),
    (Mode::Calls, "k", Command::Up),
    (Mode::Calls, "up", Command::Up),
    (Mode::Calls, "g", Command::Top),
    (Mode::Calls, "home", Command::Top),
    (Mode::Calls, "G", Command::Bottom),
    (Mode::Calls, "end", Command::Bottom),
    (Mode::Calls, "ctrl-d", Command::PageDown),
    (Mode::Calls, "pagedown", Command::PageDown),
    (Mode::Calls, "ctrl-u", Command::PageUp),
    (Mode::Calls, "pageup", Command::PageUp),
    (Mode::Calls, "enter", Command::Open),
    (Mode::Calls, "l", Command::Open),
    (Mode::Calls, "right", Command::Open),
    (Mode::Calls, "f", Command::StatusFilter),
    (Mode::Calls, "d", Command::DirectionFilter),
    (Mode::Calls, "/", Command::Filter),
    (Mode::Calls, "esc", Command::ClearFilter),
    (Mode::Calls, "y", Command::CopyNumber),
    (Mode::Calls, "Y", Command::CopyId),
    (Mode::Transcript, "k", Command::Up),
    (Mode::Transcript, "up", Command::Up),
    (Mode::Transcript, "j", Command::Down),
    (Mode::Transcript, "down", Command::Down),
    (Mode::Transcript, "ctrl-u", Command::PageUp),
    (Mode::Transcript, "pageup", Command::PageUp),
    (Mode::Transcript, "ctrl-d", Command::PageDown),
    (Mode::Transcript, "pagedown", Command::PageDown),
    (Mode::Transcript, "g", Command::Top),
    (Mode::Transcript, "home", Command::Top),
    (Mode::Transcript, "G", Command::Bottom),
    (Mode::Transcript, "end", Command::Bottom),
    (Mode::Transcript, "y", Command::CopyMessage),
    (Mode::Transcript, "Y", Command::CopyNumber),
    (Mode::Transcript, "I", Command::CopyId),
    (Mode::Transcript, "/", Command::Find),
    (Mode::Transcript, "n", Command::FindNext),
    (Mode::Transcript, "N", Command::FindPrev),
    (Mode::Transcript, "h", Command::Back),
    (Mode::Transcript, "left", Command::Back),
    (Mode::Transcript, "esc", Command::Back),
    (Mode::Side, "j", Command::Down),
    (Mode::Side, "down", Command::Down),
    (Mode::Side, "k", Command::Up),
    (Mode::Side, "up", Command::Up),
    (Mode::Side, "ctrl-d", Command::PageDown),
    (Mode::Side, "pagedown", Command::PageDown),
    (Mode::Side, "ctrl-u", Command::PageUp),
    (Mode::Side, "pageup", Command::PageUp),
    (Mode::Side, "g", Command::Top),
    (Mode::Side, "home", Command::Top),
    (Mode::Side, "G", Command::Bottom),
    (Mode::Side, "end", Command::Bottom),
    (Mode::Side, "e", Command::EditMetadata),
    (Mode::Side, "h", Command::Back),
    (Mode::Side, "left", Command::Back),
    (Mode::Side, "esc", Command::Back),
];

impl Default for Keymap {
    fn default() -> Self {
        let bindings = DEFAULTS
            .iter()
            .map(|(mode, key, command)| Binding {
                mode: *mode,
                key: KeyCombo::parse(key).expect("default key names parse (tested)"),
                command: *command,
            })
            .collect();
        Self::from_bindings(bindings)
    }
}

impl Keymap {
    /// A keymap from explicit bindings (later bindings of the same key win).
    pub fn from_bindings(bindings: Vec<Binding>) -> Self {
        let index = bindings
            .iter()
            .map(|b| ((b.mode, b.key), b.command))
            .collect();
        Self { bindings, index }
    }

    /// The command for a key in a mode. Outside text entry and overlays, global bindings apply
    /// when the mode has none.
    pub fn resolve(&self, mode: Mode, key: &KeyEvent) -> Option<Command> {
        let combo = KeyCombo::from_event(key);
        if let Some(command) = self.index.get(&(mode, combo)) {
            return Some(*command);
        }
        let falls_back = !mode.is_text_entry()
            && !matches!(mode, Mode::Confirm | Mode::Diff | Mode::Help | Mode::Links);
        // Quitting, suspending and redrawing work from anywhere, text entry and overlays included
        // (with ctrl, so typing is never taken).
        let anywhere = combo.modifiers.contains(KeyModifiers::CONTROL);
        self.index.get(&(Mode::Global, combo)).copied().filter(|c| {
            falls_back
                || (anywhere
                    && mode.is_text_entry()
                    && matches!(c, Command::Quit | Command::Suspend))
                || (anywhere && *c == Command::Redraw)
        })
    }

    /// Every binding, in table order.
    pub fn all(&self) -> &[Binding] {
        &self.bindings
    }

    /// All bindings of a mode, in table order.
    pub fn bindings(&self, mode: Mode) -> impl Iterator<Item = &Binding> {
        self.bindings.iter().filter(move |b| b.mode == mode)
    }

    /// The keys bound to `command` in `mode`, joined with `/` (`j/↓`).
    /// The first key bound to `command` in `mode`, as shown to the user.
    pub fn first_key(&self, mode: Mode, command: Command) -> Option<String> {
        self.bindings(mode)
            .find(|b| b.command == command)
            .map(|b| b.key.to_string())
    }

    pub fn keys_for(&self, mode: Mode, command: Command) -> String {
        let keys: Vec<String> = self
            .bindings(mode)
            .filter(|b| b.command == command)
            .map(|b| b.key.to_string())
            .collect();
        keys.join("/")
    }

    /// Help entries for a mode: keys grouped per command, with the description.
    pub fn help(&self, mode: Mode) -> Vec<(String, &'static str)> {
        let mut seen = Vec::new();
        for binding in self.bindings(mode) {
            if !seen.contains(&binding.command) {
                seen.push(binding.command);
            }
        }
        seen.into_iter()
            .map(|command| (self.keys_for(mode, command), command.describe(mode)))
            .collect()
    }
}

/// The modes listed in help and the README, in order.
pub const HELP_MODES: [Mode; 15] = [
    Mode::Global,
    Mode::List,
    Mode::Filter,
    Mode::Search,
    Mode::Thread,
    Mode::Find,
    Mode::Compose,
    Mode::Side,
    Mode::Editor,
    Mode::Diff,
    Mode::Calls,
    Mode::Transcript,
    Mode::Links,
    Mode::Confirm,
    Mode::Help,
];

impl Keymap {
    /// The bindings as a Markdown table (the README's key section is checked against it).
    pub fn markdown(&self) -> String {
        let mut out = String::from("| where | keys | what |\n| --- | --- | --- |\n");
        for mode in HELP_MODES {
            for (keys, description) in self.help(mode) {
                let _ = writeln!(out, "| {} | `{keys}` | {description} |", mode.title());
            }
            if mode == Mode::Find {
                for (keys, description) in line_edit_help() {
                    let _ = writeln!(out, "| {LINE_EDIT_TITLE} | `{keys}` | {description} |");
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn parses_and_prints_key_names() {
        for (text, shown) in [
            ("ctrl-r", "ctrl-r"),
            ("alt-enter", "alt-enter"),
            ("G", "G"),
            ("shift-g", "G"),
            ("?", "?"),
            ("pageup", "pgup"),
            ("space", "space"),
            ("f5", "f5"),
            ("shift-tab", "shift-tab"),
        ] {
            assert_eq!(KeyCombo::parse(text).unwrap().to_string(), shown, "{text}");
        }
        assert!(KeyCombo::parse("hyper-x").is_err());
        assert!(KeyCombo::parse("f99").is_err());
    }

    #[test]
    fn shift_is_folded_the_way_terminals_send_it() {
        let map = Keymap::default();
        let big_g = key(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(map.resolve(Mode::Thread, &big_g), Some(Command::Bottom));
        let question = key(KeyCode::Char('?'), KeyModifiers::SHIFT);
        assert_eq!(map.resolve(Mode::List, &question), Some(Command::Help));
    }

    #[test]
    fn modes_fall_back_to_global_except_in_text_entry() {
        let map = Keymap::default();
        let q = key(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(map.resolve(Mode::List, &q), Some(Command::Quit));
        assert_eq!(map.resolve(Mode::Compose, &q), None);
        let ctrl_c = key(KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert_eq!(map.resolve(Mode::Compose, &ctrl_c), Some(Command::Quit));
        let ctrl_r = key(KeyCode::Char('r'), KeyModifiers::CONTROL);
        assert_eq!(map.resolve(Mode::Compose, &ctrl_r), None);
    }

    #[test]
    fn the_readme_lists_every_default_binding() {
        let readme = include_str!("../README.md");
        let table = Keymap::default().markdown();
        assert!(
            readme.contains(&table),
            "README.md is out of date; its key table must be exactly:\n{table}"
        );
    }

    #[test]
    fn help_lists_every_command_of_a_mode_with_its_keys() {
        let map = Keymap::default();
        let help = map.help(Mode::List);
        assert!(help.contains(&("j/↓".to_string(), "next conversation")));
        assert!(
            help.iter()
                .all(|(keys, desc)| !keys.is_empty() && !desc.is_empty())
        );
    }
}
