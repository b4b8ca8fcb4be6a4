//! `mfa`: the command line tool for testing and managing MFA (see `mfad::cli`).

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    mfad::cli::run(mfad::cli::Cli::parse())
}
