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
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Enroll (or replace) USER's authenticator-app secret and show it as a QR code and URI.
    EnrollTotp(EnrollTotpArgs),
    /// Show USER's methods, failures and lock state.
    Status { user: String },
    /// Clear USER's lock and failure count.
    Unlock { user: String },
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
