//! spelab-cli: the `spelab` program. Glue only: the work lives in the library crates (studies, steps
//! and the runner in `spelab-study`).
//!
//! - [`args`]: clap types (their doc comments are the help text);
//! - [`commands`]: one plain function per command (one file per command family under `commands/`);
//! - [`progress`]: the terminal progress bar.
//!
//! Exit codes: 0 ok, 1 ran but a step failed, 2 error.

pub mod args;
pub mod commands;
pub mod progress;

use args::{Cli, Command};
use commands::Output;

/// Runs the parsed command line and returns the exit code; errors are printed to stderr (exit 2).
pub fn main_with(cli: Cli) -> u8 {
    let output = Output { quiet: cli.quiet, json: cli.json };
    let result = match &cli.command {
        Command::Run(a) => commands::run(a, output),
        Command::Check(a) => commands::check(a, output),
        Command::Calibrate(a) => commands::calibrate(a, output),
        Command::Params(c) => commands::params(c, output),
        Command::Steps(a) => commands::steps(a, output),
        Command::Units(a) => commands::units(a, output),
        Command::Read(a) => commands::read::read(a, output),
        Command::Convert(a) => commands::read::convert(a, output),
        Command::Bench(args::BenchCommand::Read(a)) => commands::bench::read(a, output),
        Command::Analyze(a) => commands::analyze(a, output),
        Command::Simulate(c) => commands::simulate::simulate(c, output),
        Command::Eis(c) => commands::eis::eis(c, output),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            if cli.json {
                println!("{}", spelab_study::error_report::json_document(&e));
            }
            2
        }
    }
}
