//! The `switchboard` binary: everything lives in the library so rebuilds stay fast.

fn main() -> color_eyre::Result<()> {
    color_eyre::install()?;
    switchboard::cli::main()
}
