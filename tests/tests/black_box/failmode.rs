//! `failmode=open` on a service's PAM line lets a login through only when the daemon was never
//! reached before any challenge (no bus socket, nobody owning the name), and
//! every such login leaves a warning naming user, service, host and reason. It never applies by
//! default, to a wrong owner, to anything the daemon answered, to bad module arguments, or
//! after the first prompt. Logins run through `mfa test-login` under pam_wrapper so the module's
//! syslog lines can be read (see `logged_login.rs`).

use crate::fake_mfad::start_fake;
use mfa_tests::*;
use std::time::{Duration, Instant};

const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const LOG_WARNING: i32 = 4;

/// A stack for service `sudo` with `args` (e.g. `failmode=open`) on the pam_mfa line.
fn stack(bus: &Bus, daemon_uid: u32, args: &[&str], bus_address: Option<String>) -> PamStack {
    PamStack::with_options(
        bus,
        daemon_uid,
        StackOptions {
            service: "sudo".into(),
            module_args: args.iter().map(|a| a.to_string()).collect(),
            bus_address,
            ..Default::default()
        },
    )
}

/// The login was let through by failmode=open, and the warning says who, where and why.
fn assert_failed_open(out: &LoggedOutcome, reason: &str) {
    assert!(out.success, "let through:\n{out:#?}");
    let lines = out.log_lines("failmode=open");
    assert_eq!(lines.len(), 1, "one warning per use:\n{out:#?}");
    let (priority, text) = lines[0];
    assert_eq!(*priority, LOG_WARNING, "{text}");
    for part in [
        "user=alice",
        "service=sudo",
        "rhost=192.0.2.10",
        "WITHOUT a second factor",
        reason,
    ] {
        assert!(text.contains(part), "{part:?} in {text:?}");
    }
}

/// The login was refused with `code` and no fail-open warning was written.
fn assert_stayed_closed(out: &LoggedOutcome, code: &str) {
    assert!(!out.success, "must not be let through:\n{out:#?}");
    assert!(out.reported(code), "{code}:\n{out:#?}");
    assert!(out.log_lines("failmode=open").is_empty(), "{out:#?}");
}

#[test]
fn open_lets_a_login_through_when_the_bus_socket_is_missing() {
    let bus = Bus::start();
    let dead = format!("unix:path={}/no-such-socket", bus.dir().display());
    let pam = stack(&bus, 0, &["failmode=open"], Some(dead));
    let out = login_logged(&pam, "alice", &[]);
    assert_failed_open(&out, "no-such-socket");
    assert!(!out.stdout.contains("code"), "nothing was asked: {out:#?}");
}

#[test]
fn open_lets_a_login_through_when_nobody_owns_the_name() {
    let bus = Bus::start();
    assert!(!bus.name_has_owner(MFAD_BUS_NAME));
    let pam = stack(&bus, 0, &["failmode=open", "timeout=2"], None);
    let out = login_logged(&pam, "alice", &[]);
    assert_failed_open(&out, "mfad unreachable");
}

/// Decision (issue 10, CPU flood): a daemon that owns the name but does not answer `Start` in
/// time is slow, not down, and a local user can make it slow: the login stays closed.
#[test]
fn open_stays_closed_when_a_daemon_owning_the_name_never_answers_start() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    enroll_totp(&bus, "alice", SECRET, 6, "SHA1", 30);
    let pam = stack(&bus, daemon.uid(), &["failmode=open", "timeout=1"], None);
    let pid = daemon.pid().expect("daemon pid") as i32;
    unsafe { libc::kill(pid, libc::SIGSTOP) };
    let started = Instant::now();
    let out = login_logged(&pam, "alice", &[]);
    let elapsed = started.elapsed();
    unsafe { libc::kill(pid, libc::SIGCONT) };
    assert_stayed_closed(&out, "PAM_AUTHINFO_UNAVAIL");
    assert!(
        !out.log_lines("mfad did not answer").is_empty(),
        "the reason is logged: {out:#?}"
    );
    assert!(
        elapsed < Duration::from_secs(5),
        "bounded by timeout=1: {elapsed:?}"
    );
}

#[test]
fn closed_is_the_default_and_can_be_said_explicitly() {
    let bus = Bus::start();
    for args in [&[][..], &["failmode=closed"][..]] {
        let dead = format!("unix:path={}/no-such-socket", bus.dir().display());
        let pam = stack(&bus, 0, args, Some(dead));
        let out = login_logged(&pam, "alice", &[]);
        assert_stayed_closed(&out, "PAM_AUTHINFO_UNAVAIL");
        assert!(
            !out.log_lines("outcome=daemon unreachable").is_empty(),
            "{args:?}: the refusal is logged as usual: {out:#?}"
        );
    }
}

#[test]
fn open_never_believes_a_name_owned_by_the_wrong_uid() {
    let bus = Bus::start_with_owner(65534);
    let _daemon = Daemon::start_as(&bus, "", 65534, 65534);
    // The module expects root; the name is owned by nobody's process.
    let pam = stack(&bus, 0, &["failmode=open"], None);
    let out = login_logged(&pam, "alice", &["123456"]);
    assert_stayed_closed(&out, "PAM_AUTHINFO_UNAVAIL");
    assert!(
        !out.log_lines("unexpected uid 65534").is_empty(),
        "{out:#?}"
    );
}

#[test]
fn open_never_covers_bad_module_arguments() {
    let bus = Bus::start();
    let dead = format!("unix:path={}/no-such-socket", bus.dir().display());
    for args in [
        &["failmode=open", "no-such-argument"][..],
        &["failmode=open", "timeout=0"][..],
        &["failmode=safe"][..],
    ] {
        // Even with the daemon unreachable, an admin error is a service error.
        let pam = stack(&bus, 0, args, Some(dead.clone()));
        let out = login_logged(&pam, "alice", &[]);
        assert_stayed_closed(&out, "PAM_SERVICE_ERR");
        assert!(
            !out.log_lines("bad module arguments").is_empty(),
            "{args:?}: {out:#?}"
        );
    }
}

#[test]
fn open_never_applies_once_the_code_prompt_was_shown() {
    let bus = Bus::start();
    let mut daemon = Daemon::start(&bus, "");
    enroll_totp(&bus, "alice", SECRET, 6, "SHA1", 30);
    let pam = stack(&bus, daemon.uid(), &["failmode=open", "timeout=2"], None);
    let mut login = LoggedLogin::start(&pam, "alice");
    login.wait_for("Verification code");
    daemon.kill();
    login.type_line(&oathtool_code(SECRET, "SHA1", 6, 30, None));
    let out = login.finish();
    assert_stayed_closed(&out, "PAM_AUTHINFO_UNAVAIL");
}

#[test]
fn open_never_applies_when_the_daemon_answers_unavailable() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    enroll_totp(&bus, "alice", SECRET, 6, "SHA1", 30);
    // A record the daemon cannot read, nor its synced copy: it answers Start with an
    // Unavailable step.
    daemon.corrupt_record("alice");
    let pam = stack(&bus, daemon.uid(), &["failmode=open"], None);
    let out = login_logged(&pam, "alice", &[]);
    assert_stayed_closed(&out, "PAM_AUTHINFO_UNAVAIL");
    assert!(
        daemon.log().contains("cannot read the record of alice"),
        "{}",
        daemon.log()
    );
}

/// A stand-in owning the name (as the test's uid) that misbehaves in `mode`.
#[test]
fn open_never_applies_to_a_refusal_or_a_malformed_reply() {
    // LimitsExceeded is what mfad answers when sessions pile up: flooding it must not open.
    for mode in ["limits-exceeded", "bad-session-id", "unknown-step"] {
        let bus = Bus::start();
        let _fake = start_fake(&bus, mode);
        let pam = stack(&bus, bus.owner_uid(), &["failmode=open", "timeout=2"], None);
        let out = login_logged(&pam, "alice", &[]);
        assert!(!out.success, "{mode}: {out:#?}");
        assert!(
            out.log_lines("failmode=open").is_empty(),
            "{mode}: {out:#?}"
        );
        assert!(
            !out.log_lines("outcome=daemon unavailable").is_empty(),
            "{mode}: {out:#?}"
        );
    }
}
