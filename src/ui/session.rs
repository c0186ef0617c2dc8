//! The side pane of an AI session (Anyreach): its facts, read-only, with "hidden by token scope"
//! where the token may not read a field. The lines are built (and wrapped) in
//! [`crate::app::view::side`], which `update` measures to scroll.

pub use crate::app::view::side::HIDDEN;
