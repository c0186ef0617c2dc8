//! The `switchboard` binary: everything lives in the library so rebuilds stay fast.

fn main() -> std::process::ExitCode {
    switchboard::cli::main()
}
