//! The Anyreach API (`/core/conversations`), served by the same sandbox: AI sessions on the
//! telephone, the web and text, with LiveKit-style transcripts (messages, tool calls and their
//! outputs, handoffs, interruptions, latency metrics). Two keys: an organisation key that sees
//! everything, and a personal token with the read-only scope (safe columns only, and only with
//! the `X-Anyreach-Org` header), so clients can be tested against both.

mod data;
mod routes;

use std::sync::{MutexGuard, PoisonError};

pub use self::data::{SessionRec, generate};
pub use self::routes::router;
use super::Shared;

/// The organisation key: every field.
pub const ORG_KEY: &str = "ak_sandbox.not-secret";
/// A personal token with `conversations:read` only (needs the org header).
pub const READ_ONLY_TOKEN: &str = "pat_sandbox_read_only";
pub const ORG_ID: &str = "org_sandbox";

impl Shared {
    fn lock_sessions(&self) -> MutexGuard<'_, Vec<SessionRec>> {
        self.sessions.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
