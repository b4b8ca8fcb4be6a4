//! `mfa`: the command line tool for testing and managing MFA (see the `mfa_cli` library).

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    mfa_cli::run(mfa_cli::Cli::parse())
}
