//! `mfa admin …`: root's commands, sent to the daemon's Admin interface over the system bus
//! (found through DBUS_SYSTEM_BUS_ADDRESS like every D-Bus client; the daemon checks uid 0).

mod account;
pub mod enable_pam;
pub(crate) mod human_time;
pub(crate) mod json;
mod proxy;
mod render;
mod reset;
mod state_file;

use clap::{Args as ClapArgs, Subcommand};
use std::process::ExitCode;

use crate::admin_messages::Msg;
use crate::i18n::{self, Common, tr};
pub(crate) use proxy::AdminProxy;
use render::{render_list, render_log_line, render_status};
use reset::confirm_reset;
use state_file::read_state_file;

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Enroll (or replace) USER's authenticator-app secret and show it as a QR code and URI.
    EnrollTotp(EnrollTotpArgs),
    /// Show USER's methods, failures and lock state.
    Status {
        user: String,
        /// Print JSON (schema in docs/json-output.md) instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Clear USER's lock and failure count.
    Unlock { user: String },
    /// Import USER's google-authenticator state file (secret, step size, window, scratch codes)
    /// so the entry already in their phone app keeps working.
    ImportGoogleAuthenticator {
        user: String,
        file: std::path::PathBuf,
    },
    /// Give USER ten new single-use backup codes (the old ones stop working) and show them once.
    BackupCodes { user: String },
    /// Remove one of USER's methods (totp, backup, sms, voice, push; phone = sms and voice).
    Remove { user: String, method: String },
    /// List every user with a record: methods, lock state, consecutive failures.
    List {
        /// Print JSON (schema in docs/json-output.md) instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Remove everything of USER (all methods, the failure count and the lock) for a fresh
    /// start; asks first.
    Reset {
        user: String,
        /// Do not ask (needed when stdin is not a terminal).
        #[arg(long, short = 'y')]
        yes: bool,
    },
    /// Show recent decisions and admin actions from the daemon's audit record, newest last.
    Log {
        /// Only entries about this user.
        user: Option<String>,
        /// How many entries (at most 10000).
        #[arg(long, short = 'n', default_value_t = 20)]
        lines: u32,
        /// Print JSON (schema in docs/json-output.md) instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Run `pam-auth-update --enable mfa` (pam_mfa in common-auth: login, su, sudo, sshd, vlock,
    /// screen lockers), but first list who would be locked out (login users with nothing
    /// enrolled, lock screens that cannot answer a code prompt) and refuse while there are any.
    EnablePam(enable_pam::Args),
    /// Shared store: re-seal every stored secret with the current key (runs mfad --rotate-key).
    RotateKey {
        /// mfad's configuration [default: /etc/mfa/mfad.toml].
        #[arg(long, value_name = "PATH")]
        config: Option<std::path::PathBuf>,
    },
    /// Copy every user record between this host's files and the shared database, skipping
    /// users the destination has (runs mfad --migrate-store); stop mfad first.
    MigrateStore {
        /// The store read: files or postgres.
        #[arg(long, value_name = "KIND", value_parser = ["files", "postgres"])]
        from: String,
        /// The store written: files or postgres.
        #[arg(long, value_name = "KIND", value_parser = ["files", "postgres"])]
        to: String,
        /// Count what would be copied, write nothing.
        #[arg(long)]
        dry_run: bool,
        /// mfad's configuration [default: /etc/mfa/mfad.toml].
        #[arg(long, value_name = "PATH")]
        config: Option<std::path::PathBuf>,
    },
}

#[derive(Debug, ClapArgs)]
pub struct EnrollTotpArgs {
    pub user: String,
    /// Base32 secret to import (default: the daemon generates 160 random bits).
    #[arg(long)]
    pub secret: Option<String>,
    /// Code length, 6–8 (default: from mfad.toml).
    #[arg(long)]
    pub digits: Option<u32>,
    /// SHA1, SHA256 or SHA512 (default: from mfad.toml).
    #[arg(long)]
    pub algorithm: Option<String>,
    /// Seconds per code (default: from mfad.toml).
    #[arg(long)]
    pub period: Option<u32>,
    #[command(flatten)]
    pub qr: crate::enrollment_view::QrArgs,
}

pub fn run(command: AdminCommand) -> ExitCode {
    // The store's maintenance is the daemon binary's job (the CLI links no database driver).
    match command {
        AdminCommand::EnablePam(args) => return enable_pam::run(&args),
        AdminCommand::RotateKey { config } => return store_job(&["--rotate-key"], config),
        AdminCommand::MigrateStore {
            from,
            to,
            dry_run,
            config,
        } => {
            let mut args = vec!["--migrate-store", "--from", &from, "--to", &to];
            if dry_run {
                args.push("--dry-run");
            }
            return store_job(&args, config);
        }
        _ => {}
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            let lang = i18n::from_config(i18n::default_config());
            eprintln!("mfa: {}", tr!(lang, Common::CannotStart, error = e));
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(call(command)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mfa: {e}");
            ExitCode::from(1)
        }
    }
}

async fn call(command: AdminCommand) -> Result<(), String> {
    let conn = match zbus::Connection::system().await {
        Ok(conn) => conn,
        Err(e) => {
            let lang = i18n::from_config(i18n::default_config());
            return Err(crate::messages::bus::no_bus(lang, e));
        }
    };
    // The caller's own language as the daemon knows it, else the installed config's.
    let lang = i18n::resolve(Some(&conn), i18n::default_config()).await;
    let explain = |e: zbus::Error| crate::messages::bus::explain(lang, e);
    let admin = AdminProxy::new(&conn).await.map_err(explain)?;
    match command {
        AdminCommand::EnrollTotp(a) => {
            let uri = admin
                .enroll_totp(
                    &a.user,
                    a.secret.as_deref().unwrap_or(""),
                    a.digits.unwrap_or(0),
                    a.algorithm.as_deref().unwrap_or(""),
                    a.period.unwrap_or(0),
                )
                .await
                .map_err(explain)?;
            print!(
                "{}",
                crate::enrollment_view::render(lang, &a.user, &uri, a.qr.background())
            );
            account::warn_if_unknown(lang, &a.user);
        }
        AdminCommand::Status { user, json } => {
            let status = admin.status(&user).await.map_err(explain)?;
            if json {
                print!("{}", json::admin_status(&status)?);
            } else {
                print!("{}", render_status(lang, &status, human_time::now()));
            }
        }
        AdminCommand::Unlock { user } => {
            admin.unlock(&user).await.map_err(explain)?;
            println!("{}", tr!(lang, Msg::Unlocked, user = user));
        }
        AdminCommand::ImportGoogleAuthenticator { user, file } => {
            let ga = crate::google_authenticator::parse(&read_state_file(lang, &file)?)
                .map_err(|e| format!("{}: {e}", file.display()))?;
            let window = ga
                .window()
                .and_then(|w| i32::try_from(w).ok())
                .unwrap_or(-1);
            let period = u32::try_from(ga.step_size)
                .map_err(|_| tr!(lang, Msg::StepOutOfRange, file = file.display()))?;
            let warnings = admin
                .import_totp(&user, &ga.secret, 6, period, window, &ga.scratch_codes)
                .await
                .map_err(explain)?;
            println!(
                "{}",
                tr!(
                    lang,
                    Msg::Imported(ga.scratch_codes.len() as u64),
                    user = user,
                    period = period,
                    count = ga.scratch_codes.len()
                )
            );
            if let Some((tries, secs)) = ga.rate_limit {
                println!(
                    "{}",
                    tr!(lang, Msg::RateLimitReplaced, tries = tries, secs = secs)
                );
            }
            if !ga.disallow_reuse {
                println!("{}", Msg::ReuseNotAllowed.text(lang));
            }
            for w in warnings {
                println!("{}", tr!(lang, Msg::Warning, warning = w));
            }
            account::warn_if_unknown(lang, &user);
        }
        AdminCommand::BackupCodes { user } => {
            let codes = admin.generate_backup_codes(&user).await.map_err(explain)?;
            println!("{}\n", tr!(lang, Msg::BackupCodesFor, user = user));
            for code in codes {
                println!("    {}", mfa_proto::display_backup_code(&code));
            }
            account::warn_if_unknown(lang, &user);
        }
        AdminCommand::Remove { user, method } => {
            admin.remove(&user, &method).await.map_err(explain)?;
            println!("{}", tr!(lang, Msg::Removed, user = user, method = method));
        }
        AdminCommand::List { json } => {
            let users = admin.list().await.map_err(explain)?;
            if json {
                print!("{}", json::list(&users)?);
            } else {
                print!("{}", render_list(lang, &users));
            }
        }
        AdminCommand::Reset { user, yes } => {
            if !yes {
                if !std::io::IsTerminal::is_terminal(&std::io::stdin()) {
                    return Err(tr!(lang, Msg::ResetNeedsTerminal, user = user));
                }
                let status = admin.status(&user).await.map_err(explain)?;
                confirm_reset(lang, &user, &status)?;
            }
            if admin.reset(&user).await.map_err(explain)? {
                println!("{}", tr!(lang, Msg::ResetDone, user = user));
            } else {
                println!("{}", tr!(lang, Msg::NothingToReset, user = user));
            }
        }
        // Run by `run` before the bus is reached; nothing to ask the daemon here.
        AdminCommand::RotateKey { .. }
        | AdminCommand::MigrateStore { .. }
        | AdminCommand::EnablePam(_) => {}
        AdminCommand::Log { user, lines, json } => {
            let user = user.unwrap_or_default();
            let entries = admin.log(&user, lines).await.map_err(explain)?;
            if json {
                print!("{}", json::log(&entries)?);
                return Ok(());
            }
            if entries.is_empty() && user.is_empty() {
                println!("{}", Msg::NoAuditEntries.text(lang));
            } else if entries.is_empty() {
                println!("{}", tr!(lang, Msg::NoAuditEntriesAbout, user = user));
            }
            for line in entries {
                println!("{}", render_log_line(&line));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;

/// Runs `mfad ARGS --config PATH` as root, its output passed through; its exit code is ours.
fn store_job(args: &[&str], config: Option<std::path::PathBuf>) -> ExitCode {
    if !nix::unistd::geteuid().is_root() {
        let lang = i18n::from_config(i18n::default_config());
        eprintln!("mfa: {}", tr!(lang, Msg::AccessDenied, detail = "uid != 0"));
        return ExitCode::from(1);
    }
    let config = config.unwrap_or_else(|| mfa_config::DEFAULT_PATH.into());
    let status = std::process::Command::new(crate::doctor::mfad_binary())
        .args(args)
        .arg("--config")
        .arg(config)
        .status();
    match status {
        Ok(s) if s.success() => ExitCode::SUCCESS,
        Ok(_) => ExitCode::from(1),
        Err(e) => {
            eprintln!("mfa: mfad: {e}");
            ExitCode::from(1)
        }
    }
}
