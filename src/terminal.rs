//! The terminal: raw mode, alternate screen, bracketed paste, restored on drop and on panic.

use std::io::{self, Stdout, Write};

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};

mod quiet;

/// The app's backend: crossterm on stdout, quiet when a frame changed nothing.
pub type Backend = quiet::Quiet<CrosstermBackend<Stdout>>;

/// Owns the terminal while the TUI runs; puts it back however the TUI ends.
pub struct TerminalGuard {
    pub terminal: Terminal<Backend>,
}

impl TerminalGuard {
    /// Enters raw mode and the alternate screen, and makes a panic restore the terminal before the
    /// panic message is printed.
    pub fn enter() -> io::Result<Self> {
        install_panic_hook();
        enable_raw_mode()?;
        let mut stdout = io::stdout();
        if let Err(e) = execute!(stdout, EnterAlternateScreen, EnableBracketedPaste) {
            restore();
            return Err(e);
        }
        let mut terminal = Terminal::new(quiet::Quiet::new(CrosstermBackend::new(stdout)))?;
        terminal.hide_cursor()?;
        terminal.clear()?;
        Ok(Self { terminal })
    }
}

impl TerminalGuard {
    /// Gives the terminal back to the shell (Ctrl-Z), stops the process, and takes the terminal
    /// again when the shell resumes it (`fg`).
    pub fn suspend(&mut self, mouse: bool) -> io::Result<()> {
        restore();
        signal_hook::low_level::raise(signal_hook::consts::SIGTSTP)?;
        self.reenter(mouse)
    }

    /// Takes the terminal back after it was handed to the shell or an editor.
    pub fn reenter(&mut self, mouse: bool) -> io::Result<()> {
        self.terminal.backend_mut().forget();
        enable_raw_mode()?;
        execute!(io::stdout(), EnterAlternateScreen, EnableBracketedPaste)?;
        set_mouse(mouse)?;
        self.terminal.hide_cursor()?;
        self.terminal.clear()
    }
}

/// Turns mouse reporting on or off.
pub fn set_mouse(on: bool) -> io::Result<()> {
    if on {
        execute!(io::stdout(), ratatui::crossterm::event::EnableMouseCapture)
    } else {
        execute!(io::stdout(), ratatui::crossterm::event::DisableMouseCapture)
    }
}

/// Standard base64 (for OSC 52), without a dependency for thirty lines.
pub fn base64(bytes: &[u8]) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(TABLE[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Wraps a sequence for tmux's passthrough, so it reaches the outer terminal.
fn tmux_passthrough(sequence: &str) -> String {
    format!("\x1bPtmux;{}\x1b\\", sequence.replace('\x1b', "\x1b\x1b"))
}

/// OSC 52: put `text` (already sanitised) on the clipboard. Inside tmux the sequence is sent both
/// plainly (tmux with `set-clipboard on` takes it) and through passthrough.
pub fn osc52(text: &str, in_tmux: bool) -> String {
    let plain = format!("\x1b]52;c;{}\x07", base64(text.as_bytes()));
    if in_tmux {
        format!("{plain}{}", tmux_passthrough(&plain))
    } else {
        plain
    }
}

/// A desktop notification as OSC 9 and OSC 777 (terminals take one or the other). The parts are
/// sanitised already; `;` would end an OSC 777 field, so it becomes `,`.
pub fn notification(title: &str, body: &str, in_tmux: bool) -> String {
    let field = |s: &str| crate::text::sanitize_line(s).replace(';', ",");
    let (title, body) = (field(title), field(body));
    let both = format!("\x1b]9;{title}: {body}\x07\x1b]777;notify;{title};{body}\x07");
    if in_tmux {
        tmux_passthrough(&both)
    } else {
        both
    }
}

/// Writes raw bytes to the terminal (the app's own sequences, never network text).
pub fn write_raw(bytes: &str) -> io::Result<()> {
    let mut stdout = io::stdout();
    stdout.write_all(bytes.as_bytes())?;
    stdout.flush()
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// Leaves raw mode and the alternate screen; safe to call more than once.
pub fn restore() {
    let _ = disable_raw_mode();
    let mut stdout = io::stdout();
    let _ = execute!(
        stdout,
        ratatui::crossterm::event::DisableMouseCapture,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        ratatui::crossterm::cursor::Show
    );
    let _ = stdout.flush();
}

/// The thread that owns the terminal (the one that entered raw mode).
static UI_THREAD: std::sync::OnceLock<std::thread::ThreadId> = std::sync::OnceLock::new();

/// A panic on the UI thread restores the terminal before the message is printed. A panic on a
/// background task (caught by tokio; the request it served answers with an error) must not touch
/// the terminal or print over the screen: it goes to the log.
fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    let _ = UI_THREAD.set(std::thread::current().id());
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if UI_THREAD.get() == Some(&std::thread::current().id()) {
                restore();
                previous(info);
            } else {
                tracing::error!("panic in a background task: {info}");
            }
        }));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_standard() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64("héllo 👍".as_bytes()), "aMOpbGxvIPCfkY0=");
    }

    #[test]
    fn osc52_bytes_are_exact() {
        assert_eq!(
            osc52("+15551234567", false),
            "\x1b]52;c;KzE1NTUxMjM0NTY3\x07"
        );
        assert_eq!(
            osc52("hi", true),
            "\x1b]52;c;aGk=\x07\x1bPtmux;\x1b\x1b]52;c;aGk=\x07\x1b\\"
        );
    }

    #[test]
    fn notifications_carry_no_control_characters() {
        let out = notification("Jane\x1b]0;pwn\x07", "a;b\x07c", false);
        assert_eq!(
            out,
            "\x1b]9;Jane␛: a,b␇c\x07\x1b]777;notify;Jane␛;a,b␇c\x07"
        );
    }
}
