use clap::{CommandFactory, Parser};

use super::{Cli, Command, VERSION, man};

#[test]
fn man_prints_a_manual_page_of_every_command_and_option() {
    assert!(matches!(
        Cli::try_parse_from(["switchboard", "man"]).map(|c| c.command),
        Ok(Some(Command::Man))
    ));
    let mut out = Vec::new();
    man(&mut out).unwrap();
    let page = String::from_utf8(out).unwrap();
    assert!(page.contains(".TH switchboard 1"), "a section-1 page");
    for needle in ["read\\-only", "profile", "completions", "sandbox", "man"] {
        assert!(page.contains(needle), "the page names {needle}");
    }
}

#[test]
fn the_version_names_the_commit_it_was_built_from() {
    let (version, commit) = VERSION.split_once(" (").unwrap();
    assert_eq!(version, env!("CARGO_PKG_VERSION"));
    let commit = commit.strip_suffix(')').unwrap();
    assert!(
        commit == "unknown"
            || (commit.len() == 12 && commit.chars().all(|c| c.is_ascii_hexdigit())),
        "{commit}"
    );
    let shown = Cli::command().render_version();
    assert!(shown.contains(VERSION), "{shown}");
}
