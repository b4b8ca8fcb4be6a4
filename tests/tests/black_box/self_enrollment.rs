//! Users managing their own second factor through the real CLI, bus and daemon, acting as real
//! local accounts: first enrollment per policy, re-authentication before changes, backup codes,
//! status, preferred method and language.

use mfa_tests::*;
use std::io::Write;
use std::process::{Output, Stdio};

const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

/// `mfa ARGS…` as `uid` against `bus`, with `input` on stdin (a pipe).
fn mfa_as(uid: u32, bus: &Bus, args: &[&str], input: &str) -> Output {
    let mut cmd = as_user(uid, build_once().mfa.to_str().expect("utf-8 path"));
    cmd.args(args)
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env("DBUS_SYSTEM_BUS_ADDRESS", bus.address())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("run mfa as user");
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(input.as_bytes());
    }
    child.wait_with_output().expect("mfa output")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Whether `mfa admin status USER` lists TOTP among the user's methods (what the daemon's store
/// holds, whichever backend; which secret it is, a login with its code shows).
fn totp_enrolled(bus: &Bus, user: &str) -> bool {
    let out = mfa(bus, &["admin", "status", user]);
    assert!(out.status.success(), "{}", output_text(&out));
    stdout(&out)
        .lines()
        .find_map(|l| l.strip_prefix("methods:"))
        .expect("a methods line")
        .contains("totp")
}

#[test]
fn first_enrollment_is_refused_when_only_admins_enroll() {
    let uid = ensure_user("mfa-self-a");
    let bus = Bus::start();
    let _daemon = Daemon::start(&bus, "");
    let out = mfa_as(uid, &bus, &["enroll", "totp"], "");
    assert!(!out.status.success(), "{}", output_text(&out));
    assert!(
        stderr(&out).contains("administrator"),
        "{}",
        output_text(&out)
    );
}

#[test]
fn in_the_grace_period_a_new_user_enrolls_in_a_terminal_and_logs_in() {
    let uid = ensure_user("mfa-self-b");
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "[enrollment]\nfirst = \"grace\"\ngrace_days = 7\n");
    let mfa = build_once().mfa.display().to_string();
    let term = Tmux::start(&format!(
        "env DBUS_SYSTEM_BUS_ADDRESS={} setpriv --reuid={uid} --regid={uid} --clear-groups -- {mfa} enroll totp",
        bus.address()
    ));
    let screen = term.wait_for("Code from the app:", 20);
    assert!(
        screen.contains('▀') || screen.contains('█'),
        "a QR code is drawn:\n{screen}"
    );
    let key: String = screen
        .lines()
        .find_map(|l| l.split("type the key by hand:").nth(1))
        .expect("the key in groups")
        .split_whitespace()
        .collect();
    assert!(
        !totp_enrolled(&bus, "mfa-self-b"),
        "not active before the first code"
    );
    term.type_line(&wrong_code(&key, "SHA1", 6, 30));
    term.wait_for("That code is not right", 10);
    term.type_line(&oathtool_code(&key, "SHA1", 6, 30, None));
    term.wait_for("EXIT=0", 10);
    assert!(totp_enrolled(&bus, "mfa-self-b"));
    // The confirmation code's step is used up; the next step's code logs in.
    let pam = PamStack::new(&bus, &daemon);
    let next = oathtool_code(&key, "SHA1", 6, 30, Some(now_unix() + 30));
    let (rc, t) = pam.login("mfa-self-b", &[&next]);
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", daemon.log());
}

#[test]
fn after_the_grace_period_a_first_enrollment_is_refused() {
    let uid = ensure_user("mfa-self-c");
    let bus = Bus::start();
    let mut daemon = Daemon::start(&bus, "[enrollment]\nfirst = \"grace\"\ngrace_days = 1\n");
    daemon.stop();
    let two_days_ago = now_unix() - 2 * 86_400;
    daemon.set_marker("enrollment-grace-start", two_days_ago);
    daemon.restart();
    let out = mfa_as(uid, &bus, &["enroll", "totp"], "");
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("grace period has ended"),
        "{}",
        output_text(&out)
    );
}

#[test]
fn console_policy_refuses_a_caller_that_is_not_at_a_console() {
    let uid = ensure_user("mfa-self-d");
    let bus = Bus::start();
    let _daemon = Daemon::start(&bus, "[enrollment]\nfirst = \"console\"\n");
    let out = mfa_as(uid, &bus, &["enroll", "totp"], "");
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("local console"),
        "{}",
        output_text(&out)
    );
}

#[test]
fn replacing_a_method_needs_a_current_code_first() {
    let uid = ensure_user("mfa-self-e");
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "[enrollment]\nfirst = \"grace\"\n");
    enroll_totp(&bus, "mfa-self-e", SECRET, 6, "SHA1", 30);
    // A stolen password is not enough: a wrong code at the confirmation prompt stops it.
    let out = mfa_as(
        uid,
        &bus,
        &["enroll", "totp"],
        &format!("{}\n", wrong_code(SECRET, "SHA1", 6, 30)),
    );
    assert!(!out.status.success(), "{}", output_text(&out));
    assert!(
        stdout(&out).contains("confirm with it first"),
        "{}",
        output_text(&out)
    );
    assert!(
        stderr(&out).contains("Wrong verification code"),
        "{}",
        output_text(&out)
    );
    assert!(
        !stdout(&out).contains("otpauth://"),
        "no new secret shown: {}",
        output_text(&out)
    );
    assert!(totp_enrolled(&bus, "mfa-self-e"));
    assert!(
        daemon.log().contains("user=mfa-self-e service=mfa-enroll"),
        "counted like a login: {}",
        daemon.log()
    );
    // Removing needs it too.
    let out = mfa_as(uid, &bus, &["remove", "totp"], "000000\n");
    assert!(!out.status.success(), "{}", output_text(&out));
    // The secret is still SECRET: its current code logs in.
    let pam = PamStack::new(&bus, &daemon);
    let (rc, t) = pam.login("mfa-self-e", &[&oathtool_code(SECRET, "SHA1", 6, 30, None)]);
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", daemon.log());
}

#[test]
fn backup_codes_after_confirming_with_a_current_code() {
    let uid = ensure_user("mfa-self-f");
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    enroll_totp(&bus, "mfa-self-f", SECRET, 6, "SHA1", 30);
    let out = mfa_as(
        uid,
        &bus,
        &["backup-codes"],
        &format!("{}\n", oathtool_code(SECRET, "SHA1", 6, 30, None)),
    );
    assert!(
        out.status.success(),
        "{}\n{}",
        output_text(&out),
        daemon.log()
    );
    let codes: Vec<String> = stdout(&out)
        .lines()
        .map(str::trim)
        .filter(|l| l.len() == 11 && l.chars().all(|c| c.is_ascii_digit() || c == ' '))
        .map(str::to_string)
        .collect();
    assert_eq!(codes.len(), 10, "{}", output_text(&out));
    let pam = PamStack::new(&bus, &daemon);
    assert_eq!(
        pam.login("mfa-self-f", &[&codes[0]]).0,
        codes::PAM_SUCCESS,
        "{}",
        daemon.log()
    );
    let status = stdout(&mfa_as(uid, &bus, &["status"], ""));
    assert!(status.contains("Backup codes left: 9"), "{status}");
    let log = stdout(&mfa(&bus, &["admin", "log", "mfa-self-f"]));
    assert!(
        log.contains("action=backup-codes"),
        "the user's own change is in the audit record: {log}"
    );
}

#[test]
fn status_shows_methods_last_login_and_failures_since() {
    let uid = ensure_user("mfa-self-g");
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    enroll_totp(&bus, "mfa-self-g", SECRET, 6, "SHA1", 30);
    let pam = PamStack::new(&bus, &daemon);
    assert_eq!(
        pam.login("mfa-self-g", &[&oathtool_code(SECRET, "SHA1", 6, 30, None)])
            .0,
        codes::PAM_SUCCESS
    );
    pam.login("mfa-self-g", &[&wrong_code(SECRET, "SHA1", 6, 30)]);
    let status = stdout(&mfa_as(uid, &bus, &["status"], ""));
    assert!(status.contains("Methods: totp"), "{status}");
    assert!(status.contains("(mfa-test, 192.0.2.10, totp)"), "{status}");
    assert!(
        status.contains("Failed attempts since the last login: 1"),
        "{status}"
    );
}

#[test]
fn preferred_method_and_language_are_the_users_own() {
    let uid = ensure_user("mfa-self-h");
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    enroll_totp(&bus, "mfa-self-h", SECRET, 6, "SHA1", 30);
    let out = mfa_as(uid, &bus, &["prefer", "backup"], "");
    assert!(!out.status.success(), "not enrolled: {}", output_text(&out));
    let out = mfa_as(uid, &bus, &["language", "nl"], "");
    assert!(out.status.success(), "{}", output_text(&out));
    assert!(
        stdout(&out).contains("Taal ingesteld: nl"),
        "{}",
        output_text(&out)
    );
    let status = stdout(&mfa_as(uid, &bus, &["status"], ""));
    assert!(
        status.contains("Methoden: totp") && status.contains("Laatste aanmelding: nooit"),
        "{status}"
    );
    let pam = PamStack::new(&bus, &daemon);
    let (_, t) = pam.login("mfa-self-h", &[&wrong_code(SECRET, "SHA1", 6, 30)]);
    assert_eq!(
        t.prompts(),
        vec!["Verificatiecode: "],
        "the login speaks the user's language"
    );
    assert!(t.contains("Onjuiste verificatiecode."), "{t}");
    let out = mfa_as(uid, &bus, &["language", "klingon"], "");
    assert!(!out.status.success());
}

#[test]
fn the_preferred_method_is_named_first_at_the_login_prompt() {
    let uid = ensure_user("mfa-self-i");
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    enroll_totp(&bus, "mfa-self-i", SECRET, 6, "SHA1", 30);
    assert!(
        mfa(&bus, &["admin", "backup-codes", "mfa-self-i"])
            .status
            .success()
    );
    let pam = PamStack::new(&bus, &daemon);
    let (_, t) = pam.login("mfa-self-i", &[&wrong_code(SECRET, "SHA1", 6, 30)]);
    assert_eq!(
        t.prompts(),
        vec!["Verification code: "],
        "totp first by default"
    );
    let out = mfa_as(uid, &bus, &["prefer", "backup"], "");
    assert!(out.status.success(), "{}", output_text(&out));
    assert!(stdout(&mfa_as(uid, &bus, &["status"], "")).contains("Preferred order: backup, totp"));
    let (rc, t) = pam.login("mfa-self-i", &[&oathtool_code(SECRET, "SHA1", 6, 30, None)]);
    assert_eq!(t.prompts(), vec!["Backup code (or verification code): "]);
    assert_eq!(
        rc,
        codes::PAM_SUCCESS,
        "an app code still works there: {t}\n{}",
        daemon.log()
    );
}
