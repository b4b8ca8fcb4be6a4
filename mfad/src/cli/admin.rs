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
pub(crate) trait Admin {
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
    fn list(&self) -> zbus::Result<BTreeMap<String, BTreeMap<String, String>>>;
    fn reset(&self, user: &str) -> zbus::Result<bool>;
    fn log(&self, user: &str, lines: u32) -> zbus::Result<Vec<String>>;
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
    /// List every user with a record: methods, lock state, consecutive failures.
    List,
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
        zbus::Error::MethodError(name, msg, _)
            if name.as_str() == "org.freedesktop.DBus.Error.AccessDenied" =>
        {
            access_denied(&msg.unwrap_or_default())
        }
        zbus::Error::FDO(e) => match *e {
            zbus::fdo::Error::AccessDenied(msg) => access_denied(&msg),
            other => other.to_string(),
        },
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
        AdminCommand::List => {
            let users = admin.list().await.map_err(explain)?;
            print!("{}", render_list(&users));
        }
        AdminCommand::Reset { user, yes } => {
            if !yes {
                if !std::io::IsTerminal::is_terminal(&std::io::stdin()) {
                    return Err(format!(
                        "refusing to reset {user} without confirmation: stdin is not a \
                         terminal; pass --yes to reset anyway"
                    ));
                }
                let status = admin.status(&user).await.map_err(explain)?;
                confirm_reset(&user, &status)?;
            }
            if admin.reset(&user).await.map_err(explain)? {
                println!("{user}: reset (every method, failure and lock removed)");
            } else {
                println!("{user}: nothing to reset (no record)");
            }
        }
        AdminCommand::Log { user, lines } => {
            let user = user.unwrap_or_default();
            let entries = admin.log(&user, lines).await.map_err(explain)?;
            if entries.is_empty() && user.is_empty() {
                println!("no audit entries");
            } else if entries.is_empty() {
                println!("no audit entries about {user}");
            }
            for line in entries {
                println!("{}", render_log_line(&line));
            }
        }
    }
    Ok(())
}

/// The bus policy or the daemon refused: say what it takes.
fn access_denied(detail: &str) -> String {
    format!("access denied: `mfa admin` must run as root ({detail})")
}

/// "totp, backup (7 left)" from a status map; "-" when nothing is enrolled.
fn methods_text(status: &BTreeMap<String, String>) -> String {
    let methods: Vec<String> = status
        .get("methods")
        .map(String::as_str)
        .unwrap_or("")
        .split(',')
        .filter(|m| !m.is_empty())
        .map(|m| match (m, status.get("backup_codes_left")) {
            ("backup", Some(left)) => format!("backup ({left} left)"),
            (m, _) => m.to_string(),
        })
        .collect();
    if methods.is_empty() {
        "-".into()
    } else {
        methods.join(", ")
    }
}

/// The `mfa admin list` table: USER, METHODS, LOCKED, FAILURES (an unreadable record says so).
fn render_list(users: &BTreeMap<String, BTreeMap<String, String>>) -> String {
    if users.is_empty() {
        return "no users enrolled\n".into();
    }
    let mut rows = vec![[
        "USER".to_string(),
        "METHODS".to_string(),
        "LOCKED".to_string(),
        "FAILURES".to_string(),
    ]];
    for (user, status) in users {
        let row = match status.get("error") {
            Some(e) => [
                user.clone(),
                format!("unreadable record: {e}"),
                "?".into(),
                "?".into(),
            ],
            None => [
                user.clone(),
                methods_text(status),
                status.get("locked").cloned().unwrap_or_else(|| "?".into()),
                status
                    .get("failures")
                    .cloned()
                    .unwrap_or_else(|| "0".into()),
            ],
        };
        rows.push(row);
    }
    let width = |i: usize| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0);
    let (w0, w1, w2) = (width(0), width(1), width(2));
    rows.iter()
        .map(|r| format!("{:<w0$}  {:<w1$}  {:<w2$}  {}\n", r[0], r[1], r[2], r[3]))
        .collect()
}

/// One audit line for people; a line the CLI does not understand is shown as it came, with
/// control characters replaced.
fn render_log_line(line: &str) -> String {
    match crate::audit::record::Entry::parse(line) {
        Some(entry) => entry.readable(),
        None => line
            .chars()
            .map(|c| if c.is_control() { '?' } else { c })
            .collect(),
    }
}

/// Show what a reset removes and ask (stdin is a terminal: the caller checked).
fn confirm_reset(user: &str, status: &BTreeMap<String, String>) -> Result<(), String> {
    use std::io::{BufRead, Write};
    println!(
        "{user}: methods {}; locked: {}; failures: {}",
        methods_text(status),
        status.get("locked").map(String::as_str).unwrap_or("no"),
        status.get("failures").map(String::as_str).unwrap_or("0")
    );
    print!(
        "Reset {user}: remove every method, the failure count and the lock? \
         {user} cannot log in until enrolled again (unless unenrolled users are allowed). [y/N] "
    );
    let _ = std::io::stdout().flush();
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|e| format!("cannot read the answer: {e}"))?;
    match answer.trim().to_ascii_lowercase().as_str() {
        "y" | "yes" => Ok(()),
        _ => Err(format!("{user}: not reset")),
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{Cli, Command};
    use clap::Parser;

    fn status(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn admin(args: &[&str]) -> AdminCommand {
        let cli = Cli::try_parse_from([&["mfa", "admin"], args].concat()).expect("parses");
        match cli.command {
            Command::Admin(c) => c,
            other => panic!("not admin: {other:?}"),
        }
    }

    #[test]
    fn list_reset_and_log_parse() {
        assert!(matches!(admin(&["list"]), AdminCommand::List));
        assert!(matches!(
            admin(&["reset", "alice"]),
            AdminCommand::Reset { ref user, yes: false } if user == "alice"
        ));
        assert!(matches!(
            admin(&["reset", "--yes", "alice"]),
            AdminCommand::Reset { yes: true, .. }
        ));
        assert!(matches!(
            admin(&["log"]),
            AdminCommand::Log {
                user: None,
                lines: 20
            }
        ));
        assert!(matches!(
            admin(&["log", "bob", "--lines", "5"]),
            AdminCommand::Log { user: Some(ref u), lines: 5 } if u == "bob"
        ));
    }

    #[test]
    fn the_list_is_a_table_of_methods_lock_and_failures() {
        let users = BTreeMap::from([
            (
                "alice".to_string(),
                status(&[
                    ("user", "alice"),
                    ("methods", "totp,backup"),
                    ("backup_codes_left", "7"),
                    ("locked", "yes"),
                    ("failures", "3"),
                ]),
            ),
            (
                "bob".to_string(),
                status(&[
                    ("user", "bob"),
                    ("methods", ""),
                    ("locked", "no"),
                    ("failures", "0"),
                ]),
            ),
            (
                "carol".to_string(),
                status(&[("user", "carol"), ("error", "corrupt user record: x")]),
            ),
        ]);
        let text = render_list(&users);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4, "{text}");
        assert!(lines[0].starts_with("USER ") && lines[0].ends_with("LOCKED  FAILURES"));
        assert!(
            lines[1].starts_with("alice  totp, backup (7 left)"),
            "{text}"
        );
        assert!(lines[1].ends_with("yes     3"), "{text}");
        let bob: Vec<&str> = lines[2].split_whitespace().collect();
        assert_eq!(bob, ["bob", "-", "no", "0"]);
        assert!(lines[3].contains("unreadable record: corrupt user record: x"));
        assert_eq!(render_list(&BTreeMap::new()), "no users enrolled\n");
    }

    #[test]
    fn log_lines_are_shown_readably() {
        let line = crate::audit::record::format_line(
            1_700_000_000,
            "decision",
            &[("user", "alice"), ("outcome", "granted")],
        );
        assert_eq!(
            render_log_line(&line),
            "2023-11-14T22:13:20Z  decision  user=alice outcome=granted"
        );
        assert_eq!(render_log_line("odd\x1b[2Jline"), "odd?[2Jline");
    }
}
