//! The view layer: geometry that the reducer and render share, so what `update` measures to
//! scroll and what `ui` draws come from the same functions (STYLE.md lesson L3): pane layout and
//! list capacity, text width and wrapping, time formatting, and keeping a selection visible.
//! `update` uses these instead of reaching into `ui`; `ui` re-exports them.

pub mod layout;
pub mod time;
pub mod wrap;
