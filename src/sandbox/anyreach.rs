//! The Anyreach API (`/core/conversations`), served by the same sandbox: AI sessions on the
//! telephone, the web and text, with LiveKit-style transcripts (messages, tool calls and their
//! outputs, handoffs, interruptions, latency metrics). Two keys: an organisation key that sees
//! everything, and a personal token with the read-only scope (safe columns only, and only with
//! the `X-Anyreach-Org` header), so clients can be tested against both.

mod routes;

pub use self::routes::{ORG_ID, ORG_KEY, READ_ONLY_TOKEN, SessionRec, generate, router};
