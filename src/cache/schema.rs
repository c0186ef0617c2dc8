//! Opening the database: pragmas, append-only migrations, and what counts as damaged or locked.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, TransactionBehavior};

/// The migrations in order; `PRAGMA user_version` is how many have been applied.
const MIGRATIONS: &[&str] = &[
    include_str!("../../assets/migrations/0001_init.sql"),
    include_str!("../../assets/migrations/0002_gaps.sql"),
];

/// How long a statement waits for another process's lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_millis(300);

/// Why a cache file could not be used.
#[derive(Debug)]
pub enum OpenError {
    /// Not a database, damaged, or written by a newer version: move it aside and start fresh.
    Damaged(String),
    /// Another process holds it locked: leave it alone.
    Locked(String),
    /// The directory or file cannot be created or opened.
    Io(String),
}

/// What a failed statement says about the file.
pub fn classify(error: &rusqlite::Error) -> Option<OpenError> {
    match error.sqlite_error_code() {
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => {
            Some(OpenError::Damaged(error.to_string()))
        }
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
            Some(OpenError::Locked(error.to_string()))
        }
        _ => None,
    }
}

fn failed(error: &rusqlite::Error) -> OpenError {
    classify(error).unwrap_or_else(|| OpenError::Io(error.to_string()))
}

/// Opens the file (creating it and its directory) and brings the schema up to date.
pub fn open_file(path: &Path) -> Result<Connection, OpenError> {
    if let Some(dir) = path.parent() {
        crate::private::create_dir(dir)
            .map_err(|e| OpenError::Io(format!("cannot create {}: {e}", dir.display())))?;
    }
    // Created owner-only before SQLite opens it (its WAL files take the database file's mode).
    crate::private::touch_file(path)
        .map_err(|e| OpenError::Io(format!("cannot create {}: {e}", path.display())))?;
    let conn = Connection::open(path).map_err(|e| failed(&e))?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(|e| failed(&e))?;
    let mode: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
        .map_err(|e| failed(&e))?;
    if !mode.eq_ignore_ascii_case("wal") {
        tracing::warn!("the cache runs in {mode} journal mode, not WAL");
    }
    configure(&conn).map_err(|e| failed(&e))?;
    migrate(&conn)?;
    Ok(conn)
}

/// A fresh database in memory.
pub fn open_memory() -> Connection {
    let conn = Connection::open_in_memory().unwrap_or_else(|error| {
        // SQLite cannot allocate a few kilobytes: nothing else would work either.
        panic!("cannot create an in-memory database: {error}")
    });
    if let Err(error) = configure(&conn)
        .map_err(|e| failed(&e))
        .and_then(|()| migrate(&conn))
    {
        tracing::error!("in-memory cache schema failed: {error:?}");
    }
    conn
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(
        "PRAGMA synchronous = NORMAL;
         PRAGMA temp_store = MEMORY;
         PRAGMA cache_size = -8000;",
    )
}

/// Applies the migrations not yet applied, each in its own transaction.
fn migrate(conn: &Connection) -> Result<(), OpenError> {
    let applied: i64 = conn
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .map_err(|e| failed(&e))?;
    let known = i64::try_from(MIGRATIONS.len()).unwrap_or(i64::MAX);
    if applied > known {
        return Err(OpenError::Damaged(format!(
            "it was written by a newer switchboard (schema {applied}, this one knows {known})"
        )));
    }
    let done = usize::try_from(applied).unwrap_or(0);
    for (number, sql) in MIGRATIONS.iter().enumerate().skip(done) {
        let tx = rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Immediate)
            .map_err(|e| failed(&e))?;
        tx.execute_batch(sql).map_err(|e| failed(&e))?;
        tx.pragma_update(
            None,
            "user_version",
            i64::try_from(number + 1).unwrap_or(i64::MAX),
        )
        .map_err(|e| failed(&e))?;
        tx.commit().map_err(|e| failed(&e))?;
    }
    Ok(())
}

/// Moves a damaged cache (and its WAL files) aside; returns where it went.
pub fn move_aside(path: &Path) -> std::io::Result<PathBuf> {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S");
    let aside = PathBuf::from(format!("{}.damaged-{stamp}", path.display()));
    std::fs::rename(path, &aside)?;
    for suffix in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{suffix}", path.display()));
        if side.exists() {
            let to = PathBuf::from(format!("{}{suffix}", aside.display()));
            if let Err(error) = std::fs::rename(&side, &to) {
                tracing::warn!("cannot move {} aside: {error}", side.display());
            }
        }
    }
    Ok(aside)
}
