//! Work that must survive a crash: reply drafts (with any send whose outcome is unknown) and an
//! unsaved metadata edit, per account, in the data directory.
//!
//! The app writes a snapshot within a second of any change (temp file, flush, rename), so a
//! `kill -9` loses at most the last second of typing, and a power cut never leaves half a file.
//! `SWITCHBOARD_DATA_DIR` overrides the directory (tests use it).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The environment variable that overrides the data directory.
pub const DATA_DIR_ENV: &str = "SWITCHBOARD_DATA_DIR";

/// A reply draft.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedDraft {
    pub conversation: String,
    pub text: String,
    /// A send of this text was under way with no known outcome: it must be checked, not resent.
    #[serde(default)]
    pub unsettled_since: Option<crate::api::Timestamp>,
    /// The text is a private note (Chatwoot), not a reply: it must come back as a note.
    #[serde(default)]
    pub private: bool,
}

/// An unsaved metadata edit.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SavedEdit {
    pub conversation: String,
    /// The metadata the edit started from (for the conflict check when it is saved).
    pub base: crate::api::Metadata,
    pub text: String,
}

/// Everything kept across runs.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SavedWork {
    #[serde(default)]
    pub drafts: Vec<SavedDraft>,
    #[serde(default)]
    pub edit: Option<SavedEdit>,
}

impl SavedWork {
    pub fn is_empty(&self) -> bool {
        self.drafts.is_empty() && self.edit.is_none()
    }
}

/// Why saved work could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The file is damaged; it was moved aside to `moved_to`.
    #[error("{path} is damaged ({reason}); it was moved to {moved_to}")]
    Corrupt {
        path: PathBuf,
        reason: String,
        moved_to: PathBuf,
    },
}

/// The saved-work file of one account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Store {
    path: PathBuf,
}

impl Store {
    /// The store for an account key (`agentphone-demo`, `agentphone-api.agentphone.ai`), or
    /// `None` when no data directory can be found.
    pub fn for_account(account: &str) -> Option<Self> {
        let dir = match std::env::var_os(DATA_DIR_ENV) {
            Some(dir) if !dir.is_empty() => PathBuf::from(dir),
            _ => directories::ProjectDirs::from("", "", "switchboard")?
                .data_dir()
                .to_owned(),
        };
        Some(Self::at(&dir, account))
    }

    /// The store for an account in `dir`.
    pub fn at(dir: &Path, account: &str) -> Self {
        let safe: String = account
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_') {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        Self {
            path: dir.join(format!("work-{safe}.json")),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads the saved work; a missing file is no work. A damaged file is moved aside.
    pub fn load(&self) -> Result<SavedWork, StoreError> {
        let bytes = match fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(SavedWork::default()),
            Err(source) => {
                return Err(StoreError::Read {
                    path: self.path.clone(),
                    source,
                });
            }
        };
        serde_json::from_slice(&bytes).map_err(|e| {
            let moved_to = self.path.with_extension("json.damaged");
            let _ = fs::rename(&self.path, &moved_to);
            StoreError::Corrupt {
                path: self.path.clone(),
                reason: e.to_string(),
                moved_to,
            }
        })
    }

    /// Writes the work atomically (temp file in the same directory, then rename); empty work
    /// removes the file.
    pub fn save(&self, work: &SavedWork) -> Result<(), StoreError> {
        let write_error = |source| StoreError::Write {
            path: self.path.clone(),
            source,
        };
        if work.is_empty() {
            return match fs::remove_file(&self.path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(write_error(e)),
                _ => Ok(()),
            };
        }
        if let Some(dir) = self.path.parent() {
            crate::private::create_dir(dir).map_err(write_error)?;
        }
        let json =
            serde_json::to_vec_pretty(work).map_err(|e| write_error(std::io::Error::other(e)))?;
        let temp = self
            .path
            .with_extension(format!("json.{}.tmp", std::process::id()));
        let mut file = crate::private::create_file(&temp).map_err(write_error)?;
        file.write_all(&json).map_err(write_error)?;
        file.sync_all().map_err(write_error)?;
        drop(file);
        fs::rename(&temp, &self.path).map_err(write_error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("switchboard-store-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    fn work() -> SavedWork {
        SavedWork {
            drafts: vec![SavedDraft {
                conversation: "conv_1".into(),
                text: "half a reply\nsecond line".into(),
                unsettled_since: None,
                private: false,
            }],
            edit: Some(SavedEdit {
                conversation: "conv_2".into(),
                base: crate::api::Metadata(None),
                text: "{\"status\": \"open\"".into(),
            }),
        }
    }

    /// Drafts are customer text: their folder is the owner's only, and so is the file, from the
    /// moment it is written.
    #[test]
    fn drafts_are_written_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = temp_dir("private");
        let store = Store::at(&dir.join("data"), "agentphone-demo");
        store.save(&work()).unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(store.path()), 0o600);
        assert_eq!(mode(store.path().parent().unwrap()), 0o700);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn work_round_trips_and_empty_work_removes_the_file() {
        let dir = temp_dir("roundtrip");
        let store = Store::at(&dir, "agentphone/demo");
        assert_eq!(store.load().unwrap(), SavedWork::default());
        store.save(&work()).unwrap();
        assert_eq!(store.load().unwrap(), work());
        assert!(
            store
                .path()
                .file_name()
                .unwrap()
                .to_str()
                .unwrap()
                .starts_with("work-agentphone_demo")
        );
        store.save(&SavedWork::default()).unwrap();
        assert!(!store.path().exists());
        let _ = fs::remove_dir_all(dir);
    }

    #[test]
    fn a_damaged_file_is_moved_aside_not_lost() {
        let dir = temp_dir("damaged");
        fs::create_dir_all(&dir).unwrap();
        let store = Store::at(&dir, "acct");
        fs::write(store.path(), b"{ not json").unwrap();
        let err = store.load().unwrap_err();
        assert!(matches!(err, StoreError::Corrupt { .. }), "{err}");
        assert!(!store.path().exists());
        assert!(store.path().with_extension("json.damaged").exists());
        assert_eq!(store.load().unwrap(), SavedWork::default());
        let _ = fs::remove_dir_all(dir);
    }

    #[test]
    fn no_temp_files_are_left_behind() {
        let dir = temp_dir("temps");
        let store = Store::at(&dir, "acct");
        for _ in 0..5 {
            store.save(&work()).unwrap();
        }
        let names: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
        let _ = fs::remove_dir_all(dir);
    }
}
