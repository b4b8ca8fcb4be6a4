//! The commands a user runs for their own account: enroll an authenticator app, get backup
//! codes, see their status, choose the preferred method and the language. The daemon decides
//! who may do what; when it asks for a current factor first, the user is asked for a code here.

mod messages;
pub(crate) mod proxies;
mod push;

use crate::pam_app::{Conversation, Style};
use clap::Subcommand;
use messages::Msg;
use mfa_config::Language;
use mfa_proto::Step;
use proxies::{AuthProxy, EnrollProxy, explain, needs_reauth, no_bus};
use std::collections::BTreeMap;
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum EnrollMethod {
    /// An authenticator app (TOTP): shows a QR code, active after you type a first code.
    Totp(crate::enrollment_view::QrArgs),
    /// A phone number for codes by text message (E.164, e.g. +31 6 12345678), active after you
    /// type the code texted to it.
    Phone { number: String },
    /// A phone that approves sign-ins with a notification (ntfy app): shows a topic to
    /// subscribe to, then waits until you approve the test notification with the number shown.
    Push(crate::enrollment_view::QrArgs),
}

/// What a user command asks for.
#[derive(Debug)]
pub enum UserCommand {
    Enroll(EnrollMethod),
    BackupCodes,
    /// `json`: print the documented JSON object instead of text.
    Status {
        json: bool,
    },
    Prefer(String),
    Language(String),
    Remove(String),
}

pub(super) struct Session<'a> {
    enroll: EnrollProxy<'a>,
    auth: AuthProxy<'a>,
    lang: Language,
    conv: super::terminal::TerminalConversation,
}

pub fn run(command: UserCommand) -> ExitCode {
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

async fn call(command: UserCommand) -> Result<(), String> {
    let conn = zbus::Connection::system().await.map_err(no_bus)?;
    let enroll = EnrollProxy::new(&conn).await.map_err(explain)?;
    let auth = AuthProxy::new(&conn).await.map_err(explain)?;
    let status = enroll.status().await.map_err(explain)?;
    let lang = status
        .get("language")
        .and_then(|l| l.parse().ok())
        .unwrap_or(Language::En);
    let mut s = Session {
        enroll,
        auth,
        lang,
        conv: super::terminal::TerminalConversation::in_language(lang),
    };
    match command {
        UserCommand::Enroll(EnrollMethod::Totp(qr)) => enroll_totp(&mut s, qr).await,
        UserCommand::Enroll(EnrollMethod::Phone { number }) => enroll_phone(&mut s, &number).await,
        UserCommand::Enroll(EnrollMethod::Push(qr)) => push::enroll_push(&mut s, qr).await,
        UserCommand::BackupCodes => backup_codes(&mut s).await,
        UserCommand::Status { json: true } => {
            print!("{}", crate::admin::json::own_status(&status)?);
            Ok(())
        }
        UserCommand::Status { json: false } => {
            print_status(lang, &status);
            Ok(())
        }
        UserCommand::Prefer(method) => {
            s.enroll.prefer(&method).await.map_err(explain)?;
            println!("{} {method}", Msg::PreferredSet.text(lang));
            Ok(())
        }
        UserCommand::Language(language) => {
            s.enroll.set_language(&language).await.map_err(explain)?;
            let lang = language.parse().unwrap_or(lang);
            println!("{} {}", Msg::LanguageSet.text(lang), lang.as_str());
            Ok(())
        }
        UserCommand::Remove(method) => {
            if let Err(e) = s.enroll.remove(&method).await {
                if !needs_reauth(&e) {
                    return Err(explain(e));
                }
                reauthenticate(&mut s).await?;
                s.enroll.remove(&method).await.map_err(explain)?;
            }
            println!("{} {method}", Msg::Removed.text(lang));
            Ok(())
        }
    }
}

/// Confirm a current factor: the daemon's own prompt, answered here, checked with the same
/// limits as a login.
pub(super) async fn reauthenticate(s: &mut Session<'_>) -> Result<(), String> {
    println!("{}", Msg::ConfirmFirst.text(s.lang));
    let (id, wire) = s.enroll.start_reauth().await.map_err(explain)?;
    let mut step = Step::from_wire(wire).map_err(|e| e.to_string())?;
    for _ in 0..8 {
        step = match step {
            Step::Granted => return Ok(()),
            Step::Prompt { text, echo, .. } => {
                let style = if echo { Style::EchoOn } else { Style::EchoOff };
                let answer = s.conv.prompt(style, &text).ok_or("no answer")?;
                let answer: String = answer
                    .chars()
                    .filter(|c| !c.is_whitespace() && *c != '-')
                    .collect();
                Step::from_wire(s.auth.answer(&id, &answer).await.map_err(explain)?.0)
                    .map_err(|e| e.to_string())?
            }
            Step::Wait { poll_after_ms, .. } => {
                tokio::time::sleep(std::time::Duration::from_millis(u64::from(poll_after_ms)))
                    .await;
                Step::from_wire(s.auth.poll(&id).await.map_err(explain)?.0)
                    .map_err(|e| e.to_string())?
            }
            Step::Denied { text } | Step::Locked { text } | Step::Unavailable { text } => {
                return Err(text);
            }
            Step::NotEnrolled => return Err("nothing to confirm with".into()),
        };
    }
    Err("re-authentication did not finish".into())
}

async fn enroll_totp(
    s: &mut Session<'_>,
    qr: crate::enrollment_view::QrArgs,
) -> Result<(), String> {
    let uri = match s.enroll.begin_totp().await {
        Ok(uri) => uri,
        Err(e) if needs_reauth(&e) => {
            reauthenticate(s).await?;
            s.enroll.begin_totp().await.map_err(explain)?
        }
        Err(e) => return Err(explain(e)),
    };
    let user = nix::unistd::User::from_uid(nix::unistd::getuid())
        .ok()
        .flatten()
        .map(|u| u.name)
        .unwrap_or_default();
    println!("{}", Msg::ScanThenType.text(s.lang));
    print!(
        "{}",
        super::enrollment_view::render(s.lang, &user, &uri, qr.background())
    );
    for _ in 0..mfa_proto::MAX_CONFIRM_ATTEMPTS {
        let code = s
            .conv
            .prompt(Style::EchoOn, Msg::CodePrompt.text(s.lang))
            .ok_or("no code typed")?;
        if s.enroll.confirm_totp(code.trim()).await.map_err(explain)? {
            println!("{}", Msg::TotpActive.text(s.lang));
            return Ok(());
        }
        println!("{}", Msg::CodeWrong.text(s.lang));
    }
    Err(Msg::CodeWrong.text(s.lang).to_string())
}

async fn enroll_phone(s: &mut Session<'_>, number: &str) -> Result<(), String> {
    let masked = match s.enroll.begin_phone(number).await {
        Ok(masked) => masked,
        Err(e) if needs_reauth(&e) => {
            reauthenticate(s).await?;
            s.enroll.begin_phone(number).await.map_err(explain)?
        }
        Err(e) => return Err(explain(e)),
    };
    println!("{} {masked}", Msg::CodeTexted.text(s.lang));
    for _ in 0..mfa_proto::MAX_CONFIRM_ATTEMPTS {
        let code = s
            .conv
            .prompt(Style::EchoOn, Msg::TextedCodePrompt.text(s.lang))
            .ok_or("no code typed")?;
        if s.enroll.confirm_phone(code.trim()).await.map_err(explain)? {
            println!("{} {masked}", Msg::PhoneActive.text(s.lang));
            return Ok(());
        }
        println!("{}", Msg::CodeWrong.text(s.lang));
    }
    Err(Msg::CodeWrong.text(s.lang).to_string())
}

async fn backup_codes(s: &mut Session<'_>) -> Result<(), String> {
    let codes = match s.enroll.generate_backup_codes().await {
        Ok(codes) => codes,
        Err(e) if needs_reauth(&e) => {
            reauthenticate(s).await?;
            s.enroll.generate_backup_codes().await.map_err(explain)?
        }
        Err(e) => return Err(explain(e)),
    };
    println!("{}\n", Msg::BackupCodesIntro.text(s.lang));
    for code in codes {
        println!("    {}", mfa_proto::display_backup_code(&code));
    }
    Ok(())
}

fn print_status(lang: Language, status: &BTreeMap<String, String>) {
    let get = |k: &str| status.get(k).map(String::as_str).unwrap_or("");
    let or_none = |v: &str| {
        if v.is_empty() {
            Msg::NoMethods.text(lang).to_string()
        } else {
            v.replace(',', ", ")
        }
    };
    println!("{}: {}", Msg::Methods.text(lang), or_none(get("methods")));
    println!(
        "{}: {}",
        Msg::Preferred.text(lang),
        or_none(get("preferred"))
    );
    if let Some(left) = status.get("backup_codes_left") {
        println!("{}: {left}", Msg::BackupLeft.text(lang));
    }
    if let Some(phone) = status.get("phone") {
        println!("{}: {phone}", Msg::PhoneLine.text(lang));
    }
    if let Some(gateway) = status.get("push.gateway") {
        println!("{}: {gateway}", Msg::PushDevice.text(lang));
    }
    let locked = if get("locked") == "yes" {
        Msg::Yes
    } else {
        Msg::No
    };
    println!("{}: {}", Msg::Locked.text(lang), locked.text(lang));
    // During a cooldown after wrong codes: until when a code is refused without being checked.
    if let Some(until) = status
        .get("delayed_until")
        .and_then(|t| t.parse::<u64>().ok())
    {
        let shown = crate::admin::human_time::at(lang, until, crate::admin::human_time::now());
        println!("{}: {shown}", Msg::DelayedUntil.text(lang));
    }
    println!(
        "{}: {}",
        Msg::FailuresSince.text(lang),
        status.get("failures").map(String::as_str).unwrap_or("0")
    );
    let last = match status
        .get("last_login.time")
        .and_then(|t| t.parse::<u64>().ok())
    {
        Some(t) => {
            let rhost = if get("last_login.rhost").is_empty() {
                "-"
            } else {
                get("last_login.rhost")
            };
            format!(
                "{} ({}, {rhost}, {})",
                utc(t),
                get("last_login.service"),
                get("last_login.method")
            )
        }
        None => Msg::NeverLoggedIn.text(lang).to_string(),
    };
    println!("{}: {last}", Msg::LastLogin.text(lang));
}

/// `2026-11-25 10:15:00 UTC` from Unix time (civil-from-days, no time-zone data needed).
fn utc(t: u64) -> String {
    let (days, secs) = (t / 86_400, t % 86_400);
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_time_is_shown_as_utc_date_and_time() {
        assert_eq!(utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(utc(1_795_601_700), "2026-11-25 10:15:00 UTC");
        assert_eq!(utc(951_782_400), "2000-02-29 00:00:00 UTC");
    }
}
