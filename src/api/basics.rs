//! The smallest domain types, which every other one uses: an instant and which way a message
//! went. They sit below `model`, `desk` and `session` so those import downward only.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A UTC instant as the providers send it.
pub type Timestamp = DateTime<Utc>;

/// Which way a message went.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Direction {
    /// From the customer to us.
    Inbound,
    /// From us (AI agent or human) to the customer.
    Outbound,
    /// Activity lines (status changes, assignments) and anything else that is neither.
    System,
}
