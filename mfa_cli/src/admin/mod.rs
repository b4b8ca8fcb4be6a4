//! `mfa admin …`: root's commands, sent to the daemon's Admin interface over the system bus
//! (found through DBUS_SYSTEM_BUS_ADDRESS like every D-Bus client; the daemon checks uid 0).

mod account;

use clap::{Args as ClapArgs, Subcommand};
use std::collections::BTreeMap;
use std::process::ExitCode;

use crate::admin_messages::Msg;
use crate::i18n::{self, Common, tr};
use mfa_config::Language;

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
    /// Remove one of USER's methods (totp, backup, sms, voice, push; phone = sms and voice).
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
            return Err(tr!(lang, Common::NoSystemBus, error = e));
        }
    };
    // The caller's own language as the daemon knows it, else the installed config's.
    let lang = i18n::resolve(Some(&conn), i18n::default_config()).await;
    let admin = AdminProxy::new(&conn).await.map_err(|e| e.to_string())?;
    let explain = |e: zbus::Error| match e {
        zbus::Error::MethodError(name, msg, _)
            if name.as_str() == "org.freedesktop.DBus.Error.AccessDenied" =>
        {
            access_denied(lang, &msg.unwrap_or_default())
        }
        zbus::Error::FDO(e) => match *e {
            zbus::fdo::Error::AccessDenied(msg) => access_denied(lang, &msg),
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
            print!("{}", crate::enrollment_view::render(lang, &a.user, &uri));
            account::warn_if_unknown(lang, &a.user);
        }
        AdminCommand::Status { user } => {
            let status = admin.status(&user).await.map_err(explain)?;
            print!("{}", render_status(lang, &status));
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
                    Msg::Imported,
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
        AdminCommand::List => {
            let users = admin.list().await.map_err(explain)?;
            print!("{}", render_list(lang, &users));
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
        AdminCommand::Log { user, lines } => {
            let user = user.unwrap_or_default();
            let entries = admin.log(&user, lines).await.map_err(explain)?;
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

/// The bus policy or the daemon refused: say what it takes.
fn access_denied(lang: Language, detail: &str) -> String {
    tr!(lang, Msg::AccessDenied, detail = detail)
}

/// `mfa admin status`: one `key: value` line per entry of the daemon's map, in English with the
/// daemon's own keys, in Dutch with words (unknown keys as they come).
fn render_status(lang: Language, status: &BTreeMap<String, String>) -> String {
    status
        .iter()
        .map(|(key, value)| {
            let label = Msg::for_status_key(key).map_or(key.as_str(), |m| m.text(lang));
            let value = if key == "locked" {
                i18n::yes_no(lang, value)
            } else {
                value.clone()
            };
            format!("{label}: {value}\n")
        })
        .collect()
}

/// "totp, backup (7 left)" from a status map; "-" when nothing is enrolled.
fn methods_text(lang: Language, status: &BTreeMap<String, String>) -> String {
    let methods: Vec<String> = status
        .get("methods")
        .map(String::as_str)
        .unwrap_or("")
        .split(',')
        .filter(|m| !m.is_empty())
        .map(|m| match (m, status.get("backup_codes_left")) {
            ("backup", Some(left)) => tr!(lang, Msg::BackupLeft, left = left),
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
fn render_list(lang: Language, users: &BTreeMap<String, BTreeMap<String, String>>) -> String {
    if users.is_empty() {
        return format!("{}\n", Msg::NoUsers.text(lang));
    }
    let mut rows = vec![[
        Msg::ColumnUser.text(lang).to_string(),
        Msg::ColumnMethods.text(lang).to_string(),
        Msg::ColumnLocked.text(lang).to_string(),
        Msg::ColumnFailures.text(lang).to_string(),
    ]];
    for (user, status) in users {
        let row = match status.get("error") {
            Some(e) => [
                user.clone(),
                tr!(lang, Msg::UnreadableRecord, error = e),
                "?".into(),
                "?".into(),
            ],
            None => [
                user.clone(),
                methods_text(lang, status),
                status
                    .get("locked")
                    .map_or_else(|| "?".into(), |l| i18n::yes_no(lang, l)),
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
    match mfa_proto::audit_line::Entry::parse(line) {
        Some(entry) => entry.readable(),
        None => line
            .chars()
            .map(|c| if c.is_control() { '?' } else { c })
            .collect(),
    }
}

/// Show what a reset removes and ask (stdin is a terminal: the caller checked). "y"/"yes" and,
/// in Dutch, "j"/"ja" confirm.
fn confirm_reset(
    lang: Language,
    user: &str,
    status: &BTreeMap<String, String>,
) -> Result<(), String> {
    use std::io::{BufRead, Write};
    println!(
        "{}",
        tr!(
            lang,
            Msg::ResetSummary,
            user = user,
            methods = methods_text(lang, status),
            locked = i18n::yes_no(
                lang,
                status.get("locked").map(String::as_str).unwrap_or("no")
            ),
            failures = status.get("failures").map(String::as_str).unwrap_or("0")
        )
    );
    print!("{}", tr!(lang, Msg::ResetQuestion, user = user));
    let _ = std::io::stdout().flush();
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|e| tr!(lang, Msg::CannotReadAnswer, error = e))?;
    if is_yes(lang, &answer) {
        Ok(())
    } else {
        Err(tr!(lang, Msg::NotReset, user = user))
    }
}

/// A confirming answer: "y" or "yes" in every language, also "j" or "ja" in Dutch.
fn is_yes(lang: Language, answer: &str) -> bool {
    match answer.trim().to_ascii_lowercase().as_str() {
        "y" | "yes" => true,
        "j" | "ja" => lang == Language::Nl,
        _ => false,
    }
}

/// Read the state file without following a symlink, bounded in size (it may sit in a user's
/// home, where the user controls what the name points to).
fn read_state_file(lang: Language, path: &std::path::Path) -> Result<String, String> {
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    if !file.metadata().map_err(|e| e.to_string())?.is_file() {
        return Err(tr!(lang, Msg::NotARegularFile, file = path.display()));
    }
    let mut text = String::new();
    let limit = crate::google_authenticator::MAX_FILE_BYTES as u64 + 1;
    file.take(limit)
        .read_to_string(&mut text)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Cli, Command};
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
        let text = render_list(Language::En, &users);
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
        assert_eq!(
            render_list(Language::En, &BTreeMap::new()),
            "no users enrolled\n"
        );
    }

    #[test]
    fn the_list_and_the_status_speak_dutch() {
        let users = BTreeMap::from([(
            "alice".to_string(),
            status(&[
                ("user", "alice"),
                ("methods", "totp,backup"),
                ("backup_codes_left", "7"),
                ("locked", "yes"),
                ("failures", "3"),
            ]),
        )]);
        let text = render_list(Language::Nl, &users);
        let lines: Vec<&str> = text.lines().collect();
        assert!(
            lines[0].starts_with("GEBRUIKER  METHODEN")
                && lines[0].ends_with("GEBLOKKEERD  MISLUKT"),
            "{text}"
        );
        assert!(
            lines[1].starts_with("alice      totp, backup (7 over)"),
            "{text}"
        );
        assert!(lines[1].contains("  ja  "), "{text}");
        assert_eq!(
            render_list(Language::Nl, &BTreeMap::new()),
            "geen gebruikers ingeschreven\n"
        );
        let alice = &users["alice"];
        let en = render_status(Language::En, alice);
        assert!(
            en.contains("methods: totp,backup\n") && en.contains("locked: yes\n"),
            "{en}"
        );
        assert!(en.contains("backup_codes_left: 7\n"), "{en}");
        let nl = render_status(Language::Nl, alice);
        assert!(nl.contains("methoden: totp,backup\n"), "{nl}");
        assert!(nl.contains("geblokkeerd: ja\n"), "{nl}");
        assert!(nl.contains("back-upcodes over: 7\n"), "{nl}");
        assert!(nl.contains("mislukte pogingen: 3\n"), "{nl}");
        assert!(
            render_status(Language::Nl, &status(&[("new.key", "x")])) == "new.key: x\n",
            "unknown keys as they come"
        );
    }

    #[test]
    fn a_reset_is_confirmed_with_yes_and_in_dutch_also_with_ja() {
        assert!(is_yes(Language::En, "y\n") && is_yes(Language::En, " YES "));
        assert!(!is_yes(Language::En, "ja\n") && !is_yes(Language::En, ""));
        assert!(
            is_yes(Language::Nl, "j\n") && is_yes(Language::Nl, "ja") && is_yes(Language::Nl, "y")
        );
        assert!(!is_yes(Language::Nl, "nee") && !is_yes(Language::Nl, "n"));
    }

    #[test]
    fn log_lines_are_shown_readably() {
        let line = mfa_proto::audit_line::format_line(
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
