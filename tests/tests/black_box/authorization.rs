//! Identity comes from the bus: a non-root caller may authenticate only itself, may not use the
//! Admin interface (even under a permissive bus policy), and cannot use another caller's session.

use mfa_tests::*;
use std::process::{Command, Output, Stdio};

const NOBODY: &str = "65534";

/// `dbus-send` to mfad on `bus` as uid/gid 65534 (nobody); unlike busctl it prints the error's
/// own message, so a test can tell the daemon's refusal from the bus policy's.
fn call_as_nobody(bus: &Bus, method: &str, args: &[&str]) -> Output {
    Command::new("setpriv")
        .args([
            &format!("--reuid={NOBODY}"),
            &format!("--regid={NOBODY}"),
            "--clear-groups",
            "dbus-send",
        ])
        .arg(format!("--bus={}", bus.address()))
        .args([
            "--print-reply",
            "--reply-timeout=10000",
            &format!("--dest={MFAD_BUS_NAME}"),
            "/org/mfa/Mfad1",
            method,
        ])
        .args(args.iter().map(|a| format!("string:{a}")))
        .stdin(Stdio::null())
        .output()
        .expect("setpriv dbus-send")
}

fn is_root() -> bool {
    unsafe { libc::geteuid() == 0 }
}

fn start_as_nobody(bus: &Bus, user: &str) -> Output {
    call_as_nobody(bus, "org.mfa.Mfad1.Auth.Start", &[user, "xlock", "", ""])
}

#[test]
fn non_root_caller_may_authenticate_only_its_own_account() {
    assert!(
        is_root(),
        "these tests act as other uids and must run as root"
    );
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    let other = start_as_nobody(&bus, "root");
    assert!(
        !other.status.success(),
        "nobody asked about root: {}",
        output_text(&other)
    );
    assert!(
        String::from_utf8_lossy(&other.stderr).contains("own account"),
        "{}",
        output_text(&other)
    );
    let own = start_as_nobody(&bus, "nobody");
    assert!(
        own.status.success(),
        "{}\n{}",
        output_text(&own),
        daemon.log()
    );
}

#[test]
fn admin_interface_is_refused_to_non_root_by_the_bus_policy() {
    assert!(is_root());
    let bus = Bus::start();
    let _daemon = Daemon::start(&bus, "");
    let out = call_as_nobody(&bus, "org.mfa.Mfad1.Admin.Unlock", &["alice"]);
    assert!(!out.status.success(), "{}", output_text(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("Rejected send message"),
        "refused by the bus: {}",
        output_text(&out)
    );
}

#[test]
fn admin_interface_is_refused_to_non_root_by_the_daemon_even_under_a_permissive_policy() {
    assert!(is_root());
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    enroll_totp(
        &bus,
        "alice",
        "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
        6,
        "SHA1",
        30,
    );
    // A mis-edited policy that lets everyone call Admin: the daemon must still say no.
    bus.allow_everyone_to_call("Admin");
    let out = call_as_nobody(&bus, "org.mfa.Mfad1.Admin.Remove", &["alice", "totp"]);
    assert!(!out.status.success(), "{}", output_text(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("root only"),
        "refused by the daemon: {}",
        output_text(&out)
    );
    assert!(daemon.has_record("alice"));
    let status = bus.call_mfad("Admin", "Status", "s", &["alice"]);
    assert!(
        String::from_utf8_lossy(&status.stdout).contains("totp"),
        "{}",
        output_text(&status)
    );
}

#[test]
fn a_session_cannot_be_answered_from_another_connection() {
    let bus = Bus::start();
    let _daemon = Daemon::start(&bus, "");
    let start = bus.call_mfad("Auth", "Start", "ssss", &["alice", "sshd", "", ""]);
    assert!(start.status.success(), "{}", output_text(&start));
    // busctl prints: (s(usu)) "id" 1 "Verification code: " 2
    let stdout = String::from_utf8_lossy(&start.stdout).to_string();
    let id = stdout.split('"').nth(1).expect("session id").to_string();
    assert_eq!(id.len(), 32, "{stdout}");
    // Each busctl is its own connection, so this is another unique name than the one that started.
    let answer = bus.call_mfad("Auth", "Answer", "ss", &[&id, "123456"]);
    assert!(!answer.status.success(), "{}", output_text(&answer));
    assert!(
        String::from_utf8_lossy(&answer.stderr).contains("no such session"),
        "{}",
        output_text(&answer)
    );
}

#[test]
fn malformed_calls_are_refused() {
    let bus = Bus::start();
    let _daemon = Daemon::start(&bus, "");
    let long = "a".repeat(300);
    let out = bus.call_mfad("Auth", "Start", "ssss", &[&long, "sshd", "", ""]);
    assert!(
        !out.status.success(),
        "oversized user: {}",
        output_text(&out)
    );
    let out = bus.call_mfad("Auth", "Answer", "ss", &["../../etc", "1"]);
    assert!(
        !out.status.success(),
        "malformed session id: {}",
        output_text(&out)
    );
    let out = bus.call_mfad("Auth", "Start", "s", &["alice"]);
    assert!(
        !out.status.success(),
        "wrong signature: {}",
        output_text(&out)
    );
}

#[test]
fn sessions_are_dropped_when_their_caller_leaves_the_bus() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    // busctl's connection ends as soon as the reply arrives, leaving an open session behind.
    let start = bus.call_mfad("Auth", "Start", "ssss", &["alice", "sshd", "", ""]);
    assert!(start.status.success(), "{}", output_text(&start));
    let dropped = try_wait_for(std::time::Duration::from_secs(5), || {
        daemon
            .log()
            .contains("left the bus: dropped 1 open session(s)")
            .then_some(())
    });
    assert!(dropped.is_some(), "session not dropped:\n{}", daemon.log());
}
