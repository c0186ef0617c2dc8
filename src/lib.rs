//! switchboard: a terminal inbox for AI phone and messaging platforms.
//!
//! # Crate map
//! - [`api`]: domain types ([`api::model`]), [`api::ApiError`], the shared HTTP client with retries
//!   and a rate-limit gate, and one client per provider ([`api::AgentPhone`]).
//! - [`sandbox`]: an in-process HTTP server that speaks the AgentPhone API over loopback, with a
//!   deterministic seeded world, live traffic and fault knobs. It backs the demo and the tests.
//! - [`text`]: the sanitizer every network string passes before it reaches the terminal.
//! - [`app`]: the inbox. [`app::action::Action`] is everything that can happen,
//!   [`app::update::update`] the pure reducer that returns [`app::effect::Effect`]s,
//!   [`app::runtime::Runtime`] performs them on tasks and answers with actions, [`app::run`] is the
//!   event loop (drain, then draw once if something changed), [`app::headless`] the same without a
//!   terminal for tests.
//! - [`ui`]: render, one file per pane; reads `&AppState`, writes only scroll offsets.
//! - [`keymap`]: keys as data, with descriptions; help and hints are generated from it.
//! - [`terminal`]: raw mode and the alternate screen, restored on drop and on panic.
//! - [`cli`]: command-line parsing and the entry points `main.rs` calls.
//! - [`rng`]: a small deterministic PRNG for seeded data and jitter.
//!
//! # Adding a feature
//! Add a domain type or provider call in `api`, serve it from `sandbox` so tests can reach it over
//! loopback, then wire it into the app: an `Action`, its handling in `update`, and the widget in `ui`.

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
pub mod provider;
pub mod rng;
pub mod sandbox;
pub mod session;
pub mod soak;
pub mod store;
pub mod terminal;
pub mod text;
pub mod ui;
