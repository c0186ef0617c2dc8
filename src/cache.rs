//! The local cache: conversations, messages, paging state and read positions in `SQLite` (WAL),
//! one file per account in the data directory, with full-text search over every cached message.
//!
//! One thread owns the connection; callers send it jobs and await the answers, so a slow disk
//! never blocks the UI. A damaged file is moved aside and a fresh cache started; a file another
//! process holds locked is left alone and this session caches in memory. Either way the user
//! gets a notice and loses nothing the server still has.

mod db;
mod schema;
mod search;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;

pub use self::db::{CacheStats, Db, Range, Span, from_micros};
pub use self::search::{SearchHit, fts_query};

/// Why a cache job could not run.
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    #[error("cache: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("cache: a stored value is damaged: {0}")]
    Json(#[from] serde_json::Error),
    /// The cache thread is gone (the app is shutting down, or a job panicked).
    #[error("the cache is not running")]
    Gone,
}

type Job = Box<dyn FnOnce(&mut Db) + Send>;

/// Conversations shown in the list from the cache at start, at most.
pub const MAX_CACHED_CONVERSATIONS: usize = 20_000;

/// What the app paints before the server answers.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Snapshot {
    /// Newest activity first.
    pub conversations: Vec<crate::api::Conversation>,
    /// The newest activity the user has seen, per conversation.
    pub seen: std::collections::HashMap<crate::api::ConversationId, crate::api::Timestamp>,
}

impl Db {
    /// The list and read positions, for the start of the app.
    pub fn snapshot(&mut self) -> Result<Snapshot, CacheError> {
        Ok(Snapshot {
            conversations: self.conversations(MAX_CACHED_CONVERSATIONS)?,
            seen: self.seen()?,
        })
    }
}

/// A handle to the cache thread; cheap to clone.
#[derive(Clone, Debug)]
pub struct Cache {
    tx: mpsc::Sender<Job>,
    /// The file, or `None` for an in-memory cache.
    path: Option<PathBuf>,
    /// The newest search asked for: older searches still queued are skipped.
    search_generation: Arc<AtomicU64>,
}

impl Cache {
    /// Opens (or creates) the cache at `path`. Never fails: a damaged file is moved aside and a
    /// fresh one started, a locked one leaves this session in memory; the notice says which.
    pub fn open(path: &Path) -> (Self, Option<String>) {
        let (db, notice) = Db::open_or_recover(path);
        let file = db.path().map(Path::to_path_buf);
        (Self::spawn(db, file), notice)
    }

    /// A cache that lives in memory only (tests, benchmarks, `--no-cache` is `None` instead).
    pub fn in_memory() -> Self {
        Self::spawn(Db::memory(), None)
    }

    fn spawn(mut db: Db, path: Option<PathBuf>) -> Self {
        let (tx, rx) = mpsc::channel::<Job>();
        let spawned = std::thread::Builder::new()
            .name("cache".into())
            .spawn(move || {
                // Ends when every handle is dropped.
                while let Ok(job) = rx.recv() {
                    let run = std::panic::AssertUnwindSafe(|| job(&mut db));
                    if std::panic::catch_unwind(run).is_err() {
                        tracing::error!("a cache job panicked; the cache goes on");
                    }
                }
            });
        if let Err(error) = spawned {
            tracing::error!("cannot start the cache thread: {error}");
        }
        Self {
            tx,
            path,
            search_generation: Arc::new(AtomicU64::new(0)),
        }
    }

    /// The cache file of an account in the data directory, or `None` without a data directory.
    pub fn path_for(account: &str) -> Option<PathBuf> {
        let store = crate::store::Store::for_account(account)?;
        let dir = store.path().parent()?.to_path_buf();
        let name = store
            .path()
            .file_name()?
            .to_string_lossy()
            .replacen("work-", "cache-", 1)
            .replace(".json", ".sqlite3");
        Some(dir.join(name))
    }

    /// The file, when the cache has one.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Runs `job` on the cache thread and waits for its answer (without blocking the runtime).
    pub async fn call<R: Send + 'static>(
        &self,
        job: impl FnOnce(&mut Db) -> Result<R, CacheError> + Send + 'static,
    ) -> Result<R, CacheError> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.submit(move |db| {
            let _ = tx.send(job(db));
        })?;
        rx.await.map_err(|_| CacheError::Gone)?
    }

    /// Runs `job` and blocks this thread until it is done (the CLI, and the way out of the app).
    pub fn call_blocking<R: Send + 'static>(
        &self,
        job: impl FnOnce(&mut Db) -> Result<R, CacheError> + Send + 'static,
    ) -> Result<R, CacheError> {
        let (tx, rx) = mpsc::channel();
        self.submit(move |db| {
            let _ = tx.send(job(db));
        })?;
        rx.recv().map_err(|_| CacheError::Gone)?
    }

    /// Waits (at most `timeout`) until every job queued so far is done: on the way out, so the
    /// last read positions reach the disk. False when the time ran out.
    pub fn flush(&self, timeout: std::time::Duration) -> bool {
        let (tx, rx) = mpsc::channel();
        if self
            .submit(move |_| {
                let _ = tx.send(());
            })
            .is_err()
        {
            return false;
        }
        rx.recv_timeout(timeout).is_ok()
    }

    /// Queues a write nobody waits for; a failure is logged.
    pub fn write(&self, job: impl FnOnce(&mut Db) -> Result<(), CacheError> + Send + 'static) {
        let queued = self.submit(move |db| {
            if let Err(error) = job(db) {
                tracing::warn!("cache write failed: {error}");
            }
        });
        if queued.is_err() {
            tracing::warn!("cache write dropped: the cache is not running");
        }
    }

    /// Searches every cached message and conversation. A search overtaken by a newer one before
    /// it ran answers `Ok(None)` without touching the index (typing never queues up work).
    /// The search is queued when this is called, not when the future is first polled.
    pub fn search(
        &self,
        query: String,
        limit: usize,
    ) -> impl Future<Output = Result<Option<Vec<SearchHit>>, CacheError>> + Send + 'static {
        let generation = self.search_generation.fetch_add(1, Ordering::SeqCst) + 1;
        let latest = self.search_generation.clone();
        let (tx, rx) = tokio::sync::oneshot::channel();
        let queued = self.submit(move |db| {
            let result = if latest.load(Ordering::SeqCst) == generation {
                db.search(&query, limit).map(Some)
            } else {
                Ok(None)
            };
            let _ = tx.send(result);
        });
        async move {
            queued?;
            rx.await.map_err(|_| CacheError::Gone)?
        }
    }

    fn submit(&self, job: impl FnOnce(&mut Db) + Send + 'static) -> Result<(), CacheError> {
        self.tx.send(Box::new(job)).map_err(|_| CacheError::Gone)
    }
}

#[cfg(test)]
mod tests;
