//! The Chatwoot APIs, served by the same sandbox: the application API of account 1 (token
//! [`TOKEN`] in `api_access_token`) and the public client API of its contacts. Several inboxes,
//! agents, teams, labels, statuses, private notes, activity lines, attachments, a failed
//! delivery, one long thread for paging and one with imported history (ids that do not follow
//! time). Replies use Chatwoot's shapes: integer ids (conversation display ids), unix-second
//! times, `{"data": {"meta", "payload"}}` lists, `{"error": …}` refusals.

mod actions;
mod answer;
mod data;
mod public;
mod render;
mod routes;

use std::sync::{MutexGuard, PoisonError};

pub use self::data::{Desk, PAGE_SIZE, TOKEN};
pub use self::routes::router;
use super::{SandboxHandle, Shared};

impl Shared {
    fn lock_desk(&self) -> MutexGuard<'_, Desk> {
        self.desk.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A customer of the desk, as tests play one.
impl SandboxHandle {
    /// The public API's identifiers of a Chatwoot conversation's contact: `(inbox, contact)`.
    pub fn chatwoot_contact(&self, conversation: u64) -> Option<(String, String)> {
        let mut desk = self.shared.lock_desk();
        let conv = desk.find(conversation)?;
        Some((format!("inbox-{}", conv.inbox), conv.source_id.clone()))
    }

    /// Adds an incoming Chatwoot message now (a customer writing in); returns its id.
    pub fn chatwoot_incoming(&self, conversation: u64, content: &str) -> Option<u64> {
        let now = self.shared.now().timestamp();
        let mut desk = self.shared.lock_desk();
        let contact = desk.find(conversation)?.contact.clone();
        let sender = Some((contact.0, contact.1, "contact"));
        desk.add(conversation, content, 0, false, sender, now)
            .map(|m| m.id)
    }
}
