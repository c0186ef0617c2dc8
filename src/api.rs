//! The provider layer: domain types, errors, the shared HTTP client, and one module per provider.
//!
//! Everything above this module sees only the domain types of [`model`] and [`ApiError`]; each
//! provider's JSON stays private to its file.

pub mod agentphone;
pub mod anyreach;
pub mod basics;
pub mod capabilities;
pub mod chatwoot;
pub mod client;
pub mod desk;
pub mod error;
pub mod http;
pub mod lenient;
pub mod model;
pub mod pace;
pub mod retry;
pub mod session;
pub mod skips;
pub mod sse;
#[cfg(test)]
mod tolerance_tests;

pub use self::agentphone::AgentPhone;
pub use self::client::Client;
pub use self::error::{ApiError, ErrorClass};
pub use self::http::{Http, HttpConfig};
pub use self::model::*;
pub use self::retry::RetryPolicy;
pub use self::session::{Scoped, SessionFacts, TurnInfo, TurnKind};
