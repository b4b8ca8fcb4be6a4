//! Crate `mfa_cli`: the `mfa` command line tool. `src/main.rs` only parses and calls [`run`];
//! each subcommand (group) lives in its own module here. It talks to mfad over D-Bus only and
//! links none of the daemon: the config checks come from `mfa_config`, the shared words and
//! formats from `mfa_proto`. [`pam_app`] (a libpam application layer) is public for the tests.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub mod admin;
mod admin_messages;
pub mod completions;
pub mod doctor;
pub mod enrollment_view;
pub mod google_authenticator;
mod help_text;
pub mod i18n;
mod messages;
pub mod pam_app;
pub mod terminal;
pub mod test_login;
pub mod user;

/// The `mfa` command line. The top line of --help is the command's own (not the crate's
/// description); the words after the list come from [`help_text`].
#[derive(Debug, Parser)]
#[command(
    name = "mfa",
    version,
    about = help_text::ABOUT,
    after_help = help_text::after_help(),
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a real PAM stack (authentication and account checks) for USER, showing every message
    /// of the conversation. Exits 0 only when PAM says success.
    TestLogin(test_login::Args),
    /// Administer users' second factors (root only).
    #[command(subcommand)]
    Admin(admin::AdminCommand),
    /// Find what would break logins (daemon, PAM stacks, sshd_config, clock, users without a
    /// second factor) and say how to fix each problem. Exits 1 if anything FAILs.
    Doctor(doctor::Args),
    /// Add a second factor to your own account.
    Enroll {
        #[command(subcommand)]
        method: user::EnrollMethod,
    },
    /// Get ten new single-use backup codes (the old ones stop working).
    BackupCodes,
    /// Your methods, preferred order, backup codes left, last login and failures since.
    Status {
        /// Print JSON (schema in docs/json-output.md) instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Offer METHOD first at login (totp, backup).
    Prefer { method: String },
    /// Language of login texts and of these commands: en or nl.
    Language { language: String },
    /// Remove one of your methods (asks for a current factor first).
    Remove { method: String },
    /// Print the completion script for SHELL (bash, zsh or fish) on stdout; the Debian
    /// package installs all three.
    Completions {
        #[arg(value_enum)]
        shell: completions::CompletionShell,
    },
}

/// Runs the parsed command line and returns the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::TestLogin(args) => test_login::run(&args),
        Command::Admin(command) => admin::run(command),
        Command::Enroll { method } => user::run(user::UserCommand::Enroll(method)),
        Command::BackupCodes => user::run(user::UserCommand::BackupCodes),
        Command::Status { json } => user::run(user::UserCommand::Status { json }),
        Command::Prefer { method } => user::run(user::UserCommand::Prefer(method)),
        Command::Language { language } => user::run(user::UserCommand::Language(language)),
        Command::Remove { method } => user::run(user::UserCommand::Remove(method)),
        Command::Doctor(args) => doctor::run(&args),
        Command::Completions { shell } => completions::run(shell),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn test_login_defaults_to_sshd() {
        let cli = Cli::try_parse_from(["mfa", "test-login", "alice"]).unwrap();
        let Command::TestLogin(args) = cli.command else {
            panic!("not test-login")
        };
        assert_eq!(args.service, "sshd");
        assert_eq!(args.user, "alice");
        assert!(args.pam_dir.is_none());
    }

    #[test]
    fn test_login_takes_all_options() {
        let cli = Cli::try_parse_from([
            "mfa",
            "test-login",
            "--service",
            "demo",
            "--pam-dir",
            "/tmp/x",
            "--rhost",
            "192.0.2.7",
            "--tty",
            "pts/1",
            "--no-account",
            "bob",
        ])
        .unwrap();
        let Command::TestLogin(args) = cli.command else {
            panic!("not test-login")
        };
        assert_eq!(args.service, "demo");
        assert_eq!(
            args.pam_dir.as_deref(),
            Some(std::path::Path::new("/tmp/x"))
        );
        assert_eq!(args.rhost.as_deref(), Some("192.0.2.7"));
        assert_eq!(args.tty.as_deref(), Some("pts/1"));
        assert!(args.no_account);
        assert_eq!(args.user, "bob");
    }
}
