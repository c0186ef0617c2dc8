//! The integration tests, in one binary (one link of the whole crate instead of one per file):
//! contract tests of each client against the sandbox, flow tests of the app headless, screen
//! snapshots, shapes and tolerance, config files and profiles. The tests that run the real binary
//! in a terminal or soak it with every fault (`tmux_smoke`, `pty_hostile`, `soak`) stay binaries
//! of their own, so their timing does not share the machine with all of these.
#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

mod common;

mod anyreach_contract;
mod anyreach_flows;
mod anyreach_snapshots;
mod cache_flows;
mod calls_contract;
mod calls_flows;
mod calls_snapshots;
mod capabilities;
mod chatwoot_contract;
mod chatwoot_flows;
mod chatwoot_snapshots;
mod colours;
mod compose_snapshots;
mod config_files;
mod contacts_contract;
mod contract;
mod crowded_instants;
mod flows;
mod footer_rows;
mod help_screen;
mod hostile_render;
mod loading_screens;
mod logging;
mod odd_records;
mod pane_snapshots;
mod profiles;
mod redraw;
mod ui_snapshots;
mod wire_shapes;
