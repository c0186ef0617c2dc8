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
//!   and render share (layout, the tab bar's panes, the side pane's lines, wrapping, message
//!   blocks, transcript heights, title counts, theme, time),
//!   [`app::state::LineInput`] the one-line text box (find, filter, search, the calls number
//!   search) with readline's keys.
//! - [`cache`]: conversations, messages, paging state and read positions in `SQLite`, with
//!   full-text search; [`store`]: drafts and unsaved edits that survive a crash; [`logging`];
//!   [`private`]: data, cache and log directories `0700`, files `0600`.
//! - [`sandbox`]: an in-process HTTP server that speaks the AgentPhone, Anyreach and Chatwoot APIs
//!   (application and public) over loopback, with a seeded world, live traffic, fault knobs and
//!   odd records. It backs the demo and the tests. One folder per provider, as in `api`
//!   (`sandbox/agentphone/`, `sandbox/anyreach/`, `sandbox/chatwoot/`: its data, its routes in
//!   the provider's shapes, its part of [`sandbox::Shared`] and the test knobs on
//!   [`sandbox::SandboxHandle`]); at the root, what they share: the server and the router that
//!   merges every provider's routes (`sandbox.rs`), request parsing (`request`), refusals
//!   (`reject`), the fault layer (`faults`) and odd records ([`sandbox::mutate`]).
//! - [`api`]: provider-neutral domain types ([`api::model`], [`api::basics`], [`api::desk`],
//!   [`api::session`]) and what a provider and a conversation allow ([`api::capabilities`]),
//!   [`api::ApiError`], lenient per-record reading ([`api::lenient`], [`api::skips`]), the
//!   shared HTTP client with retries and one rate-limit gate ([`api::http`]), one client per
//!   provider (`api/<name>.rs`, its wire types in `api/<name>/wire.rs`: [`api::agentphone`],
//!   [`api::anyreach`], [`api::chatwoot`]) and [`api::Client`], the one enum the runtime calls
//!   and the one place that dispatches on the provider. `app` and `ui` name no provider module:
//!   they read the domain types and [`api::Client::capabilities`].
//! - [`provider`]: the providers' names and environment variables, used by cli, config and
//!   session alike.
//! - [`keymap`]: keys as data, with the commands and their descriptions, and the fixed editing
//!   keys of the one-line boxes ([`keymap::LINE_EDIT_KEYS`]); help and hints are generated from
//!   it. [`input`]: terminal events on their own thread; [`terminal`]: raw mode and
//!   the alternate screen, restored on drop and on panic; [`editor`]: `$EDITOR`; [`text`]: the
//!   sanitizer every network string passes; [`rng`]: a small deterministic PRNG; [`sms`]: how
//!   many SMS a reply is sent as (GSM-7 or UCS-2 parts).
//!
//! # Adding a feature
//! Add a domain type or provider call in `api`, serve it from `sandbox` so tests can reach it over
//! loopback, then wire it into the app: an `Action`, its handling in `update`, and the widget in
//! `ui`. A key is a `Command` in `keymap` with its description, so help and hints follow.
//!
//! # Adding a provider
//! Write the provider's real shapes down first (`shared/providers.md`, STYLE.md lesson L4), then:
//! 1. [`provider::Provider`]: a variant, its name and the environment variable of its key.
//! 2. The client: `api/<name>.rs` over [`api::Http`], its wire types in `api/<name>/wire.rs`
//!    (`pub(crate)`), reading each list envelope first and each record alone with
//!    [`api::lenient`] (an id and a message's time are the only required fields), converting
//!    into the domain types of [`api::model`], each conversation with its [`api::Capabilities`].
//! 3. [`api::Client`] (`api/client.rs`): a variant with its `From`, an arm in every method (what
//!    the provider cannot do answers `ApiError::Unsupported`), and its arm of
//!    [`api::Client::capabilities`] saying the same; the app and the UI offer only what that
//!    says.
//! 4. The sandbox: `sandbox/<name>.rs` and `sandbox/<name>/` (its data and routes, in the real
//!    shapes); its state a field of [`sandbox::Shared`] built in `Shared::build` (sizes in
//!    [`sandbox::SandboxConfig`]), its router one `merge` in `sandbox::router`, its key
//!    re-exported from [`sandbox`].
//! 5. A connection: `session/providers.rs` (the sandbox when no key is set) and the provider's
//!    branches in `session.rs` (`connect`, `account_key`, profiles), the banner of
//!    `switchboard sandbox --provider <name>` in `cli.rs`, and, if profiles may use it, its
//!    fields in `config`.
//! 6. Tests, in the one binary of `tests/it/`: shapes pinned in
//!    `tests/it/wire_shapes/<name>.rs`, its wire types in `api/tolerance_tests.rs`, a contract
//!    test of the client against the sandbox (`tests/it/<name>_contract.rs`), the client in the
//!    list of `tests/it/capabilities.rs`, a flow test of the app (`tests/it/<name>_flows.rs`)
//!    and snapshots of its panes (`tests/it/<name>_snapshots.rs`).

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
pub mod sms;
pub mod soak;
pub mod store;
pub mod terminal;
pub mod text;
pub mod ui;
