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

pub use self::data::{Desk, PAGE_SIZE, TOKEN};
pub use self::routes::router;
