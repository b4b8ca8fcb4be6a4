//! `mfa admin …`: root's commands, sent to the daemon's Admin interface over the system bus
//! (found through DBUS_SYSTEM_BUS_ADDRESS like every D-Bus client; the daemon checks uid 0).

use clap::{Args as ClapArgs, Subcommand};
use std::collections::BTreeMap;
use std::process::ExitCode;

#[zbus::proxy(
    interface = "org.mfa.Mfad1.Admin",
    default_service = "org.mfa.Mfad1",
    default_path = "/org/mfa/Mfad1"
)]
trait Admin {
    fn enroll_totp(
        &self,
        user: &str,
        secret_base32: &str,
        digits: u32,
        algorithm: &str,
        period: u32,
    ) -> zbus::Result<String>;
    fn status(&self, user: &str) -> zbus::Result<BTreeMap<String, String>>;
    fn unlock(&self, user: &str) -> zbus::Result<()>;
    fn remove(&self, user: &str, method: &str) -> zbus::Result<()>;
    fn generate_backup_codes(&self, user: &str) -> zbus::Result<Vec<String>>;
    #[allow(clippy::too_many_arguments)]
    fn import_totp(
        &self,
        user: &str,
        secret_base32: &str,
        digits: u32,
        period: u32,
        window: i32,
        backup_codes: &[String],
    ) -> zbus::Result<Vec<String>>;
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Enroll (or replace) USER's authenticator-app secret and show it as a QR code and URI.
    EnrollTotp(EnrollTotpArgs),
    /// Show USER's methods, failures and lock state.
    Status { user: String },
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
    /// Remove one of USER's methods (totp, backup).
    Remove { user: String, method: String },
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
}

pub fn run(command: AdminCommand) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("mfa: cannot start: {e}");
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
    let conn = zbus::Connection::system()
        .await
        .map_err(|e| format!("cannot reach the system bus: {e}"))?;
    let admin = AdminProxy::new(&conn).await.map_err(|e| e.to_string())?;
    let explain = |e: zbus::Error| match e {
        zbus::Error::MethodError(_, Some(msg), _) => msg,
        other => other.to_string(),
    };
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
            print!("{}", super::enrollment_view::render(&a.user, &uri));
        }
        AdminCommand::Status { user } => {
            let status = admin.status(&user).await.map_err(explain)?;
            for (key, value) in status {
                println!("{key}: {value}");
            }
        }
        AdminCommand::Unlock { user } => {
            admin.unlock(&user).await.map_err(explain)?;
            println!("{user}: unlocked");
        }
        AdminCommand::ImportGoogleAuthenticator { user, file } => {
            let ga = super::google_authenticator::parse(&read_state_file(&file)?)
                .map_err(|e| format!("{}: {e}", file.display()))?;
            let window = ga
                .window()
                .and_then(|w| i32::try_from(w).ok())
                .unwrap_or(-1);
            let period = u32::try_from(ga.step_size)
                .map_err(|_| format!("{}: STEP_SIZE out of range", file.display()))?;
            let warnings = admin
                .import_totp(&user, &ga.secret, 6, period, window, &ga.scratch_codes)
                .await
                .map_err(explain)?;
            println!(
                "{user}: imported the TOTP secret (step {period} s) and {} scratch code(s) as backup codes",
                ga.scratch_codes.len()
            );
            if let Some((tries, secs)) = ga.rate_limit {
                println!(
                    "note: the file's RATE_LIMIT {tries} {secs} is replaced by mfad's own limits (per account, kept across restarts)"
                );
            }
            if !ga.disallow_reuse {
                println!(
                    "note: the file allowed reusing a code; mfad always accepts each code once"
                );
            }
            for w in warnings {
                println!("warning: {w}");
            }
        }
        AdminCommand::BackupCodes { user } => {
            let codes = admin.generate_backup_codes(&user).await.map_err(explain)?;
            println!(
                "Backup codes for {user}. Each works once; keep them somewhere safe, they are not shown again:\n"
            );
            for code in codes {
                println!("    {}", crate::backup_codes::display(&code));
            }
        }
        AdminCommand::Remove { user, method } => {
            admin.remove(&user, &method).await.map_err(explain)?;
            println!("{user}: {method} removed");
        }
    }
    Ok(())
}

/// Read the state file without following a symlink, bounded in size (it may sit in a user's
/// home, where the user controls what the name points to).
fn read_state_file(path: &std::path::Path) -> Result<String, String> {
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    if !file.metadata().map_err(|e| e.to_string())?.is_file() {
        return Err(format!("{}: not a regular file", path.display()));
    }
    let mut text = String::new();
    let limit = super::google_authenticator::MAX_FILE_BYTES as u64 + 1;
    file.take(limit)
        .read_to_string(&mut text)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(text)
}
