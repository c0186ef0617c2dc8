//! switchboard: a terminal inbox for AI phone and messaging platforms.
//!
//! # Crate map
//! - [`api`]: domain types ([`api::model`]), [`api::ApiError`], the shared HTTP client with retries
//!   and a rate-limit gate, and one client per provider ([`api::AgentPhone`]).
//! - [`sandbox`]: an in-process HTTP server that speaks the AgentPhone API over loopback, with a
//!   deterministic seeded world, live traffic and fault knobs. It backs the demo and the tests.
//! - [`text`]: the sanitizer every network string passes before it reaches the terminal.
//! - [`cli`]: command-line parsing and the entry points `main.rs` calls.
//! - [`rng`]: a small deterministic PRNG for seeded data and jitter.
//!
//! # Adding a feature
//! Add a domain type or provider call in `api`, serve it from `sandbox` so tests can reach it over
//! loopback, then wire it into the app: an `Action`, its handling in `update`, and the widget in `ui`.

pub mod api;
pub mod cli;
pub mod rng;
pub mod sandbox;
pub mod text;
