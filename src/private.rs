//! Customer text is private on disk (STYLE.md lesson L5): the data, state and cache directories
//! are `0700` and every file in them `0600`, created that way rather than narrowed afterwards.
//! A start repairs looser modes left by an older version, and says so.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

/// Mode of the directories that hold customer text.
const DIR_MODE: u32 = 0o700;
/// Mode of the files that hold customer text.
const FILE_MODE: u32 = 0o600;
/// What group and others may do.
const OTHERS: u32 = 0o077;

/// Creates `dir` (and its missing parents) readable by the owner only.
pub fn create_dir(dir: &Path) -> io::Result<()> {
    fs::DirBuilder::new()
        .recursive(true)
        .mode(DIR_MODE)
        .create(dir)
}

/// Creates (or truncates) `path` for writing, readable by the owner only from the start.
pub fn create_file(path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(FILE_MODE)
        .open(path)
}

/// Makes sure `path` exists without touching its content, readable by the owner only when it
/// is created here (a database's file, before the database opens it).
pub fn touch_file(path: &Path) -> io::Result<()> {
    OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .mode(FILE_MODE)
        .open(path)
        .map(drop)
}

/// The names of the files switchboard writes: drafts, caches, logs. Nothing else in a folder is
/// touched (the data folder may be one the user chose and shares).
const OURS: [&str; 3] = ["work-", "cache-", "switchboard.log"];

/// Takes group and other permissions away from switchboard's own files directly in `dir`, and
/// from `dir` itself when it is switchboard's (named `switchboard` or `logs`); returns one line
/// per path repaired, for a notice. Log files that a day's rotation made are narrowed quietly.
pub fn repair(dir: &Path) -> Vec<String> {
    let mut repaired = Vec::new();
    let own_dir = dir
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n == "switchboard" || n == "logs");
    if own_dir && narrow(dir) {
        repaired.push(dir.display().to_string());
    }
    let Ok(entries) = fs::read_dir(dir) else {
        return repaired;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let ours = OURS.iter().any(|prefix| name.starts_with(prefix));
        let path = entry.path();
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        if ours && is_file && narrow(&path) && !name.starts_with("switchboard.log") {
            repaired.push(path.display().to_string());
        }
    }
    repaired
}

/// Takes away what group and others may do (the owner's own bits, an executable's too, stay);
/// true when something was taken.
fn narrow(path: &Path) -> bool {
    let Ok(meta) = fs::metadata(path) else {
        return false;
    };
    let current = meta.permissions().mode() & 0o777;
    if current & OTHERS == 0 {
        return false;
    }
    fs::set_permissions(path, fs::Permissions::from_mode(current & !OTHERS)).is_ok()
}

/// The notice for repaired paths, if any.
pub fn repair_notice(repaired: &[String]) -> Option<String> {
    match repaired {
        [] => None,
        [one] => Some(format!("{one} was readable by others: it is private now")),
        many => Some(format!(
            "{} files and folders holding customer text were readable by others: they are private now",
            many.len()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mode(path: &Path) -> u32 {
        fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    fn scratch(name: &str) -> std::path::PathBuf {
        let dir =
            std::env::temp_dir().join(format!("switchboard-private-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn directories_and_files_are_created_private() {
        let dir = scratch("create").join("a/b");
        create_dir(&dir).unwrap();
        assert_eq!(mode(&dir), 0o700);
        let file = dir.join("drafts.json");
        create_file(&file).unwrap();
        assert_eq!(mode(&file), 0o600);
        let db = dir.join("cache.sqlite3");
        touch_file(&db).unwrap();
        assert_eq!(mode(&db), 0o600);
    }

    #[test]
    fn looser_modes_are_repaired_and_said() {
        let set = |p: &Path, m: u32| fs::set_permissions(p, fs::Permissions::from_mode(m)).unwrap();
        let dir = scratch("repair").join("switchboard");
        fs::create_dir_all(&dir).unwrap();
        set(&dir, 0o755);
        let drafts = dir.join("work-agentphone-demo.json");
        let log = dir.join("switchboard.log.2026-12-01");
        let cache = dir.join("cache-demo.sqlite3");
        let theirs = dir.join("notes.txt");
        for (path, m) in [
            (&drafts, 0o644),
            (&log, 0o644),
            (&cache, 0o744),
            (&theirs, 0o644),
        ] {
            fs::write(path, "text").unwrap();
            set(path, m);
        }
        let repaired = repair(&dir);
        assert_eq!(
            repaired.len(),
            3,
            "the folder, drafts and cache (the log quietly)"
        );
        assert_eq!(
            (mode(&dir), mode(&drafts), mode(&log)),
            (0o700, 0o600, 0o600)
        );
        assert_eq!(
            mode(&cache),
            0o700,
            "the owner keeps what it had, exec included"
        );
        assert_eq!(
            mode(&theirs),
            0o644,
            "a file that is not switchboard's is left alone"
        );
        assert!(repair_notice(&repaired).unwrap().contains("private now"));
        assert!(repair(&dir).is_empty(), "nothing the second time");
        let shared = scratch("shared");
        fs::create_dir_all(&shared).unwrap();
        set(&shared, 0o755);
        assert!(repair(&shared).is_empty());
        assert_eq!(
            mode(&shared),
            0o755,
            "a folder the user chose keeps its mode"
        );
        fs::remove_dir_all(dir.parent().unwrap()).unwrap();
        fs::remove_dir_all(&shared).unwrap();
    }
}
