//! Running `$VISUAL` / `$EDITOR` on a private temporary file.

use std::fs::OpenOptions;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};

/// The editor to run: `$VISUAL`, then `$EDITOR`, then `vi`.
pub fn editor_command() -> String {
    ["VISUAL", "EDITOR"]
        .iter()
        .find_map(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
        .unwrap_or_else(|| "vi".to_owned())
}

/// Writes `text` to a new file only we can read, runs the editor on it (through `sh`, so
/// `EDITOR="code --wait"` works), and returns what the file holds afterwards. The terminal must
/// already be handed over. The file is removed either way.
pub fn edit(text: &str, extension: &str) -> Result<String, String> {
    edit_with(&editor_command(), text, extension)
}

/// [`edit`] with an explicit editor command.
pub fn edit_with(editor: &str, text: &str, extension: &str) -> Result<String, String> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let path: PathBuf = std::env::temp_dir().join(format!(
        "switchboard-{}-{n}.{extension}",
        std::process::id()
    ));
    let written = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&path)
        .and_then(|mut file| file.write_all(text.as_bytes()));
    if let Err(e) = written {
        return Err(format!("cannot write {}: {e}", path.display()));
    }
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("sh")
        .arg(&path)
        .status();
    let result = match status {
        Ok(s) if s.success() => {
            std::fs::read_to_string(&path).map_err(|e| format!("cannot read the edited file: {e}"))
        }
        Ok(s) => Err(format!("{editor} exited with {s}; nothing was changed")),
        Err(e) => Err(format!("cannot run {editor}: {e}")),
    };
    let _ = std::fs::remove_file(&path);
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A script standing in for the user's editor.
    fn script(name: &str, body: &str) -> String {
        use std::os::unix::fs::PermissionsExt;
        let path = std::env::temp_dir().join(format!(
            "switchboard-editor-{name}-{}.sh",
            std::process::id()
        ));
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o700)).unwrap();
        path.display().to_string()
    }

    #[test]
    fn the_editor_edits_a_private_file_that_is_removed_afterwards() {
        let editor = script("append", r#"printf 'typed in the editor\n' >> "$1""#);
        let out = edit_with(&editor, "#> context\n", "txt").unwrap();
        assert_eq!(out, "#> context\ntyped in the editor\n");
        let leftovers: Vec<_> = std::fs::read_dir(std::env::temp_dir())
            .unwrap()
            .filter_map(Result::ok)
            .filter(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with(&format!("switchboard-{}-", std::process::id()))
            })
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }

    #[test]
    fn an_editor_that_fails_changes_nothing() {
        let editor = script("fail", "exit 3");
        let error = edit_with(&editor, "text", "txt").unwrap_err();
        assert!(error.contains("exited"), "{error}");
    }

    #[test]
    fn editor_commands_with_arguments_work() {
        let editor = script(
            "args",
            r#"printf '%s' "$1" > /dev/null; printf 'flag=%s' "$FLAG" > "$2""#,
        );
        let out = edit_with(&format!("FLAG=on {editor} --wait"), "", "txt").unwrap();
        assert_eq!(out, "flag=on");
    }
}
