//! `mfa completions SHELL`: the completion script for bash, zsh or fish, generated from the
//! same clap definition the command line is parsed with, so a new subcommand or option
//! completes without a hand-written script to keep up. The Debian package runs it at build
//! time and installs the three scripts where each shell looks for them.

use std::io::Write;
use std::process::ExitCode;

use clap::{CommandFactory, ValueEnum};
use clap_complete::Shell;

/// The shells a completion script is made for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CompletionShell {
    Bash,
    Zsh,
    Fish,
}

impl CompletionShell {
    fn generator(self) -> Shell {
        match self {
            CompletionShell::Bash => Shell::Bash,
            CompletionShell::Zsh => Shell::Zsh,
            CompletionShell::Fish => Shell::Fish,
        }
    }
}

/// The completion script of `mfa` for `shell`.
pub fn script(shell: CompletionShell) -> Vec<u8> {
    let mut script = Vec::new();
    clap_complete::generate(
        shell.generator(),
        &mut crate::Cli::command(),
        "mfa",
        &mut script,
    );
    script
}

/// Prints the script on stdout; a closed stdout is an error, not a panic.
pub fn run(shell: CompletionShell) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(&script(shell))
        .and_then(|()| stdout.flush())
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mfa: cannot write the completion script: {e}");
            ExitCode::from(1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shell_gets_a_script_that_names_every_subcommand() {
        for shell in CompletionShell::value_variants() {
            let text = String::from_utf8(script(*shell)).expect("UTF-8 script");
            for name in [
                "test-login",
                "admin",
                "enroll-totp",
                "doctor",
                "completions",
            ] {
                assert!(text.contains(name), "{shell:?} lacks {name}");
            }
        }
    }
}
