//! Every file in `tests/invalid_configs/` is refused with exactly the error its first line
//! expects (`# expect: …`, with `{file}` for the file's path).
#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use std::path::Path;

#[test]
fn each_invalid_config_fails_with_its_exact_error() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/invalid_configs");
    let mut checked = 0;
    let mut failures = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let expected = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# expect: "))
            .unwrap_or_else(|| panic!("{} has no '# expect:' line", path.display()))
            .replace("{file}", &path.display().to_string());
        match switchboard::config::load(Some(&path)) {
            Ok(_) => failures.push(format!("{}: loaded, expected: {expected}", path.display())),
            Err(error) if error.to_string() != expected => {
                failures.push(format!(
                    "{}:\n  got:      {error}\n  expected: {expected}",
                    path.display()
                ));
            }
            Err(_) => {}
        }
        checked += 1;
    }
    assert!(checked >= 15, "only {checked} files");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_missing_explicit_file_is_an_error_naming_it() {
    let error =
        switchboard::config::load(Some(Path::new("/nonexistent/switchboard.toml"))).unwrap_err();
    assert_eq!(
        error.to_string(),
        "/nonexistent/switchboard.toml: cannot read the file: No such file or directory (os error 2)"
    );
}

#[test]
fn the_readme_documents_the_default_configuration_verbatim() {
    let readme = include_str!("../../README.md");
    let block = format!("```toml\n{}```", switchboard::config::DEFAULT_CONFIG);
    assert!(
        readme.contains(&block),
        "README.md must contain assets/default-config.toml in a ```toml block"
    );
}
