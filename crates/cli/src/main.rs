//! The `spelab` binary: parses the command line and hands over to `spelab_cli`.

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = spelab_cli::args::Cli::parse();
    std::process::ExitCode::from(spelab_cli::main_with(cli))
}
