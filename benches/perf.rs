//! Performance figures for switchboard, printed with the ratio or target each is judged by.
//!
//! Run with `cargo bench --bench perf` (release build). Every figure is measured in this one run
//! on this machine; ratios compare sizes measured side by side, so a noisy machine moves both.
//! Network traffic goes only to sandboxes on 127.0.0.1. Pass a section name to run one:
//! `cargo bench --bench perf -- render` (render, keys, memory, start, requests, sync, idle).
#![allow(clippy::unwrap_used, clippy::print_stdout, clippy::cast_precision_loss)]
#![allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, missing_docs)]

mod perf {
    pub mod fixtures;
    pub mod frames;
    pub mod idle;
    pub mod io;
    pub mod memory;
    pub mod stats;
}

use perf::{frames, idle, io, memory};

fn main() {
    if let Ok(which) = std::env::var(memory::PROBE_ENV) {
        memory::probe(&which);
        return;
    }
    let wanted: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let run = |name: &str| wanted.is_empty() || wanted.iter().any(|w| w == name);
    println!(
        "# switchboard performance ({} build)",
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
    );
    if run("render") {
        frames::thread_render();
    }
    if run("keys") {
        frames::keypress();
    }
    if run("memory") {
        memory::run();
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    if run("start") {
        runtime.block_on(io::start());
    }
    if run("requests") {
        runtime.block_on(io::requests());
    }
    if run("sync") {
        runtime.block_on(io::sync());
    }
    if run("idle") {
        runtime.block_on(idle::run());
    }
}
