//! The AgentPhone API, served by the sandbox: conversations (SMS, MMS, iMessage, groups) with
//! their messages, metadata, typing and reactions; calls with transcripts and a live transcript
//! stream; the address book. A seeded world ([`world`], [`seed`]) with live traffic
//! ([`traffic`]): customers text in, the AI agent answers, messages get delivered, calls go on.

pub(super) mod calls;
mod contacts;
mod render;
pub(super) mod routes;
pub(super) mod seed;
mod send;
pub(super) mod traffic;
pub mod world;

pub use self::seed::HOSTILE;
