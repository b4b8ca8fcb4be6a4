//! Golden transcripts of enrollment through the real CLI, bus and daemon, as a user sees it in
//! a terminal (the app, a phone, a push phone) or on standard output (backup codes), compared
//! with `tests/golden/*.txt` (see `GoldenTranscript`).

use mfa_tests::*;
use std::io::Write;
use std::process::{Output, Stdio};

const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const NUMBER: &str = "+31 6 12345678";
/// Fixed so that no text carries the machine's host name.
const ISSUER: &str = "[totp]\nissuer = \"testhost\"\n";

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

#[test]
fn enrolling_the_app_in_a_terminal_reads_as_recorded() {
    let user = "gold-enroll-totp";
    let uid = ensure_user(user);
    let bus = Bus::start();
    let _daemon = Daemon::start(
        &bus,
        &format!("{ISSUER}[enrollment]\nfirst = \"grace\"\ngrace_days = 7\n"),
    );
    let mfa = build_once().mfa.display().to_string();
    let term = Tmux::start(&format!(
        "env DBUS_SYSTEM_BUS_ADDRESS={} setpriv --reuid={uid} --regid={uid} --clear-groups -- {mfa} enroll totp",
        bus.address()
    ));
    let screen = term.wait_for("Code from the app:", 20);
    let key: String = screen
        .lines()
        .find_map(|l| l.split("type the key by hand:").nth(1))
        .expect("the key in groups")
        .split_whitespace()
        .collect();
    term.type_line(&wrong_code(&key, "SHA1", 6, 30));
    term.wait_for("That code is not right", 10);
    term.type_line(&oathtool_code(&key, "SHA1", 6, 30, None));
    let screen = term.wait_for("EXIT=0", 10);
    GoldenTranscript::new()
        .terminal("mfa enroll totp: a wrong code, then the right one", &screen)
        .assert_matches("enroll_totp");
}

#[test]
fn enrolling_a_phone_in_a_terminal_reads_as_recorded() {
    let bus = Bus::start();
    let stub = TwilioStub::start(TWILIO_SID, TWILIO_TOKEN);
    let secrets = TwilioSecrets::new();
    let config = format!(
        "{ISSUER}\n[sms]\ngateways = [\"gw0\"]\n\n{}",
        secrets.gateway("gw0", &stub)
    );
    let _daemon = Daemon::start(&bus, &config);
    let screen = enroll_phone(&bus, &[&stub], "gold-enroll-phone", SECRET, NUMBER);
    let texted = stub.received().pop().expect("the enrollment text");
    let mut golden = GoldenTranscript::new();
    golden.terminal(
        "mfa enroll phone: the app code, then the texted one",
        &screen,
    );
    golden.terminal(
        "the text message",
        texted.field("Body").unwrap_or("(no body)"),
    );
    golden.assert_matches("enroll_phone");
}

#[test]
fn linking_a_push_phone_in_a_terminal_reads_as_recorded() {
    let p = PushSetup::start(&PushPolicy {
        pin_required: true,
        extra: ISSUER,
        ..PushPolicy::default()
    });
    let screen = p.enroll_push("gold-enroll-push", Some("2468"));
    GoldenTranscript::new()
        .terminal(
            "mfa enroll push: a PIN twice, then the test notification",
            &screen,
        )
        .assert_matches("enroll_push");
}

#[test]
fn new_backup_codes_read_as_recorded() {
    let user = "gold-enroll-backup";
    let uid = ensure_user(user);
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, ISSUER);
    enroll_totp(&bus, user, SECRET, 6, "SHA1", 30);
    let code = oathtool_code(SECRET, "SHA1", 6, 30, None);
    let out = mfa_as(uid, &bus, &["backup-codes"], &format!("{code}\n"));
    assert!(
        out.status.success(),
        "{}\n{}",
        output_text(&out),
        daemon.log()
    );
    GoldenTranscript::new()
        .output("mfa backup-codes, confirmed with an app code", &out)
        .assert_matches("enroll_backup_codes");
}
