//! switchboard: a terminal inbox for AI phone and messaging platforms.
//!
//! # Crate map
//! From the top floor down; a module imports only what is below it (the reducer's own files in
//! `app/update/` still call each other: see the house-plan notes).
//! - `main.rs` → [`cli`]: command-line parsing and the subcommands (`check`, `sync`, `cache`,
//!   `sandbox`, `soak`, `config`, `man`…); [`backfill`] is `switchboard sync`, [`soak`] the soak
//!   run (the real app, headless, against every fault).
//! - [`session`]: where to connect (the embedded sandbox, a profile, the environment) and the
//!   connected [`api::Client`]; [`config`]: the embedded defaults overlaid by the user's file.
//! - [`ui`]: render, one file per pane; reads `&AppState`, writes only scroll offsets.
//! - [`app`]: the inbox. [`app::action::Action`] is everything that can happen,
//!   [`app::update::update`] the pure reducer that returns [`app::effect::Effect`]s,
//!   [`app::runtime::Runtime`] performs them on tasks and answers with actions, [`app::run`] is
//!   the event loop (drain, then draw after input or results; [`terminal`] writes only changed
//!   cells), [`app::headless`] the same without a terminal for tests, [`app::view`] what reducer
//!   and render share (layout, wrapping, message blocks, transcript heights, theme, time),
//!   [`app::state::LineInput`] the one-line text box (find, filter, search, the calls number
//!   search) with readline's keys.
//! - [`cache`]: conversations, messages, paging state and read positions in `SQLite`, with
//!   full-text search; [`store`]: drafts and unsaved edits that survive a crash; [`logging`].
//! - [`sandbox`]: an in-process HTTP server that speaks the AgentPhone, Anyreach and Chatwoot APIs
//!   (application and public) over loopback, with a seeded world, live traffic, fault knobs and
//!   odd records. It backs the demo and the tests.
//! - [`api`]: provider-neutral domain types ([`api::model`], [`api::basics`], [`api::desk`],
//!   [`api::session`]), [`api::ApiError`], lenient per-record reading ([`api::lenient`],
//!   [`api::skips`]), the shared HTTP client with retries and one rate-limit gate
//!   ([`api::http`]), one client per provider ([`api::agentphone`], [`api::anyreach`],
//!   [`api::chatwoot`]) and [`api::Client`], the one enum the runtime calls.
//! - [`provider`]: the providers' names and environment variables, used by cli, config and
//!   session alike.
//! - [`keymap`]: keys as data, with the commands and their descriptions, and the fixed editing
//!   keys of the one-line boxes ([`keymap::LINE_EDIT_KEYS`]); help and hints are generated from
//!   it. [`input`]: terminal events on their own thread; [`terminal`]: raw mode and
//!   the alternate screen, restored on drop and on panic; [`editor`]: `$EDITOR`; [`text`]: the
//!   sanitizer every network string passes; [`rng`]: a small deterministic PRNG.
//!
//! # Adding a feature
//! Add a domain type or provider call in `api`, serve it from `sandbox` so tests can reach it over
//! loopback, then wire it into the app: an `Action`, its handling in `update`, and the widget in
//! `ui`. A key is a `Command` in `keymap` with its description, so help and hints follow.
//!
//! # Adding a provider
//! 1. A variant of [`provider::Provider`] (its name and the environment variable of its key).
//! 2. `api/<name>.rs` with `api/<name>/wire.rs`: the client over [`api::Http`], reading each list
//!    envelope first and each record alone with [`api::lenient`] (an id and a message's time are
//!    the only required fields), converting into the domain types of [`api::model`].
//! 3. A variant of [`api::Client`] that dispatches to it; what it cannot do answers
//!    `ApiError::Unsupported`, and its conversations' [`api::Capabilities`] keep the UI from
//!    offering it.
//! 4. `sandbox/<name>.rs` (and a folder when it grows): its routes in the provider's real shapes,
//!    written from `shared/providers.md` before the code, served by the same sandbox.
//! 5. A connection in `session` (the sandbox without a key) and, if profiles may use it, in
//!    `config`.
//! 6. Tests: shapes pinned in `tests/it/wire_shapes/<name>.rs`, its wire types in
//!    `api/tolerance_tests.rs`, a contract test of the client against the sandbox, a flow test of
//!    the app, and snapshots of its panes.

pub mod api;
pub mod app;
pub mod backfill;
pub mod cache;
pub mod cli;
pub mod config;
pub mod editor;
pub mod input;
pub mod keymap;
pub mod logging;
pub mod private;
pub mod provider;
pub mod rng;
pub mod sandbox;
pub mod session;
pub mod soak;
pub mod store;
pub mod terminal;
pub mod text;
pub mod ui;
