//! The Chatwoot APIs, served by the same sandbox: the application API of account 1 (token
//! [`TOKEN`] in `api_access_token`) and the public client API of its contacts. Several inboxes,
//! agents, labels, statuses, private notes, activity lines, attachments, a failed delivery, and one
//! long thread for paging. Replies use Chatwoot's shapes: integer ids (conversation display ids),
//! unix-second times, `{"data": {"meta", "payload"}}` lists, `{"error": …}` refusals.

mod data;
mod routes;

pub use self::data::{Desk, TOKEN};
pub use self::routes::router;
