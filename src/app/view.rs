//! The view layer: geometry that the reducer and render share, so what `update` measures to
//! scroll and what `ui` draws come from the same functions (STYLE.md lesson L3): pane layout and
//! list capacity, text width and wrapping, time formatting, keeping a selection visible, the
//! reply box's wrapped height and counter (`compose`), a message block's lines (`blocks`:
//! measured by `update` to scroll, drawn by `ui`, with the same settings and theme), the
//! metadata difference dialog's lines (`metadata_diff`), the transcript's viewport and turn
//! heights, the side pane's lines and the panes the tab bar and `tab`/`1 2 3` move between
//! (`side`, `tabs`), the counts in pane titles (`counts`), and the theme those lines are styled
//! with (STYLE.md rule 12's one place for colours lives here so that measuring never reaches into
//! `ui`). The only arrow from `app` into `ui` is the call to render; `ui` re-exports these modules
//! under their old paths.

pub mod blocks;
pub mod compose;
pub mod counts;
pub mod help;
pub mod layout;
pub mod metadata_diff;
pub mod side;
pub mod tabs;
pub mod theme;
pub mod time;
pub mod transcript;
pub mod wrap;
