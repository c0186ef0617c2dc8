//! Logs go to a daily file in the state directory, never to the terminal (which is the screen).

use std::path::PathBuf;

use color_eyre::eyre::{Result, eyre};
use tracing_appender::non_blocking::WorkerGuard;

/// The log directory: `$SWITCHBOARD_DATA_DIR/logs`, else the platform's state (or data) directory.
pub fn log_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(crate::store::DATA_DIR_ENV).filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir).join("logs"));
    }
    let dirs = directories::ProjectDirs::from("", "", "switchboard")?;
    Some(dirs.state_dir().unwrap_or(dirs.data_dir()).join("logs"))
}

/// Starts logging at `level`; returns the file's path (when there is a directory) and the guard
/// that flushes the log when dropped (keep it alive while the app runs).
pub fn init(level: &str) -> Result<(Option<PathBuf>, Option<WorkerGuard>)> {
    let level: tracing::Level = level.parse().map_err(|_| {
        eyre!("unknown log level \"{level}\": use error, warn, info, debug or trace")
    })?;
    let Some(dir) = log_dir() else {
        return Ok((None, None));
    };
    if crate::private::create_dir(&dir).is_err() {
        return Ok((None, None));
    }
    // The appender names its files by the UTC date.
    let today = chrono::Utc::now().format("%Y-%m-%d");
    let path = dir.join(format!("switchboard.log.{today}"));
    // Today's file exists owner-only before the appender opens it for appending.
    let _ = crate::private::touch_file(&path);
    let appender = tracing_appender::rolling::daily(&dir, "switchboard.log");
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let installed = tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_max_level(level)
        .try_init();
    if installed.is_err() {
        return Ok((None, None));
    }
    Ok((Some(path), Some(guard)))
}
