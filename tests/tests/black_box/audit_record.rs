//! The audit record against a hostile local user and an admin's logrotate: a non-root user's
//! free wrong answers cannot push root's records out of `audit.log`, a renamed file is followed
//! by a new one, and SIGHUP reopens the files instead of killing the daemon.

use mfa_tests::*;
use std::path::Path;
use std::process::Command;

const SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
/// Wrong answers never delay or lock in these tests.
const WIDE_LIMITS: &str = "[limits]\nmax_failures = 100\nfree_failures = 100\n";

fn audit_log(daemon: &Daemon) -> String {
    std::fs::read_to_string(daemon.state_dir().join("audit.log")).unwrap_or_default()
}

/// The victim logs in as sshd would (root caller): one wrong code, then the right one.
fn victim_logs_in(bus: &Bus, daemon: &Daemon) {
    enroll_totp(bus, "alice", SECRET, 6, "SHA1", 30);
    let pam = PamStack::new(bus, daemon);
    let (rc, t) = pam.login("alice", &[&wrong_code(SECRET, "SHA1", 6, 30)]);
    assert_eq!(rc, codes::PAM_AUTH_ERR, "{t}\n{}", daemon.log());
}

/// `mfa-answer-flood` as the non-root account `name`: `answers` wrong answers for itself.
fn flood_as(bus: &Bus, name: &str, answers: usize) -> String {
    let uid = ensure_user(name);
    let out = as_user(uid, env!("CARGO_BIN_EXE_mfa-answer-flood"))
        .args([
            "--user",
            name,
            "--answers",
            &answers.to_string(),
            "--tasks",
            "2",
        ])
        .env("DBUS_SYSTEM_BUS_ADDRESS", bus.address())
        .output()
        .expect("run mfa-answer-flood");
    assert!(out.status.success(), "flood: {}", output_text(&out));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn user_lines_of(dir: &Path, uid: u32) -> usize {
    std::fs::read_to_string(dir.join("audit-user.log"))
        .unwrap_or_default()
        .lines()
        .filter(|l| l.contains(&format!("\tcaller_uid={uid}\t")))
        .count()
}

#[test]
fn a_non_root_flood_of_wrong_answers_leaves_root_callers_records_untouched() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, WIDE_LIMITS);
    victim_logs_in(&bus, &daemon);
    let before = audit_log(&daemon);
    assert!(before.contains("\tuser=alice\t"), "{before}");

    let answers = 400;
    let figures = flood_as(&bus, "mfa-flooder", answers);
    assert!(figures.contains("errors=0"), "{figures}\n{}", daemon.log());

    assert_eq!(
        audit_log(&daemon),
        before,
        "audit.log changed under the flood"
    );
    let uid = ensure_user("mfa-flooder");
    let kept = user_lines_of(daemon.state_dir(), uid);
    // At most two windows' share (the flood may straddle a minute) and their summary lines.
    let bound = 2 * mfad::audit::limit::PER_UID as usize + 2;
    assert!(
        (1..=bound.min(answers - 1)).contains(&kept),
        "the flooder's lines are rate-limited: {kept} of {answers} ({figures})"
    );
    let log = mfa(&bus, &["admin", "log", "alice"]);
    assert!(
        String::from_utf8_lossy(&log.stdout).contains("user=alice"),
        "{}",
        output_text(&log)
    );
}

#[test]
fn a_record_renamed_by_logrotate_is_followed_by_a_new_file() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, WIDE_LIMITS);
    victim_logs_in(&bus, &daemon);
    let dir = daemon.state_dir();
    std::fs::rename(dir.join("audit.log"), dir.join("audit.log.rotated")).expect("rename");
    let rotated = std::fs::read_to_string(dir.join("audit.log.rotated")).expect("read");

    let pam = PamStack::new(&bus, &daemon);
    let (rc, t) = pam.login("alice", &[&wrong_code(SECRET, "SHA1", 6, 30)]);
    assert_eq!(rc, codes::PAM_AUTH_ERR, "{t}");

    let fresh = audit_log(&daemon);
    assert_eq!(fresh.lines().count(), 1, "a new audit.log: {fresh:?}");
    assert!(fresh.contains("\tuser=alice\t"), "{fresh}");
    assert_eq!(
        std::fs::read_to_string(dir.join("audit.log.rotated")).expect("read"),
        rotated,
        "the renamed file is left alone"
    );
}

#[test]
fn sighup_reopens_the_record_and_the_daemon_keeps_serving() {
    let bus = Bus::start();
    let mut daemon = Daemon::start(&bus, WIDE_LIMITS);
    victim_logs_in(&bus, &daemon);
    let pid = daemon.pid().expect("running");
    let status = Command::new("kill")
        .args(["-HUP", &pid.to_string()])
        .status()
        .expect("kill -HUP");
    assert!(status.success());
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert!(daemon.is_running(), "SIGHUP killed mfad:\n{}", daemon.log());

    let before = audit_log(&daemon).lines().count();
    let pam = PamStack::new(&bus, &daemon);
    let (rc, t) = pam.login("alice", &[&wrong_code(SECRET, "SHA1", 6, 30)]);
    assert_eq!(rc, codes::PAM_AUTH_ERR, "{t}");
    assert_eq!(audit_log(&daemon).lines().count(), before + 1);
}

/// Whether the daemon exits within a few seconds: its bus connection closes (and the caller
/// sees an error) a moment before the process is gone.
fn has_exited(daemon: &mut Daemon) -> bool {
    for _ in 0..100 {
        if !daemon.is_running() {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    false
}

/// The decision lines about `user` in `audit.log` with `outcome`.
fn decisions(daemon: &Daemon, user: &str, outcome: &str) -> Vec<String> {
    audit_log(daemon)
        .lines()
        .filter(|l| {
            l.contains(&format!("\tuser={user}\t")) && l.contains(&format!("\toutcome={outcome}\t"))
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn a_crash_between_saving_a_failure_and_logging_it_loses_no_audit_line() {
    let bus = Bus::start();
    let mut daemon = Daemon::start(&bus, WIDE_LIMITS);
    enroll_totp(&bus, "alice", SECRET, 6, "SHA1", 30);
    let knob = daemon.state_dir().join("test-crash-after-save");
    std::fs::write(&knob, "").expect("crash knob");
    let pam = PamStack::new(&bus, &daemon);
    let (rc, t) = pam.login("alice", &[&wrong_code(SECRET, "SHA1", 6, 30)]);
    assert_ne!(rc, codes::PAM_SUCCESS, "{t}");
    std::fs::remove_file(&knob).expect("remove knob");
    // An abort writes a core file first: the process may take a moment to be gone.
    let gone = try_wait_for(std::time::Duration::from_secs(10), || {
        (!daemon.is_running()).then_some(())
    });
    assert!(gone.is_some(), "the knob aborts mfad:\n{}", daemon.log());
    let saved = daemon.stored_record("alice").expect("record");
    assert!(
        saved.contains("outcome=denied"),
        "the failure was saved: {saved}"
    );
    assert!(
        decisions(&daemon, "alice", "denied-wrong-code").is_empty(),
        "crashed before the line"
    );

    daemon.restart();
    let recovered = decisions(&daemon, "alice", "denied-wrong-code");
    assert_eq!(
        recovered.len(),
        1,
        "{}\n{}",
        audit_log(&daemon),
        daemon.log()
    );
    assert!(recovered[0].contains("\tcaller_uid=0\t"), "{recovered:?}");
    // Recovery is done once: a second start writes nothing again.
    daemon.restart();
    assert_eq!(decisions(&daemon, "alice", "denied-wrong-code").len(), 1);
}

/// The admin lines about `user` in `audit.log` for `action` with `outcome`.
fn admin_lines(daemon: &Daemon, user: &str, action: &str, outcome: &str) -> Vec<String> {
    audit_log(daemon)
        .lines()
        .filter(|l| {
            l.contains(&format!("\taction={action}\t"))
                && l.contains(&format!("\tuser={user}\t"))
                && l.contains(&format!("\toutcome={outcome}\t"))
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn a_crash_between_saving_an_admin_change_and_logging_it_loses_no_audit_line() {
    let bus = Bus::start();
    let mut daemon = Daemon::start(&bus, WIDE_LIMITS);
    enroll_totp(&bus, "alice", SECRET, 6, "SHA1", 30);
    let knob = daemon.state_dir().join("test-crash-after-save");
    std::fs::write(&knob, "").expect("crash knob");
    let out = mfa(&bus, &["admin", "unlock", "alice"]);
    std::fs::remove_file(&knob).expect("remove knob");
    assert!(!out.status.success(), "the daemon died mid-call");
    assert!(
        has_exited(&mut daemon),
        "the knob aborts mfad:\n{}",
        daemon.log()
    );
    let saved = daemon.stored_record("alice").expect("record");
    assert!(
        saved.contains("action=unlock"),
        "the line was saved with the change: {saved}"
    );
    assert!(
        admin_lines(&daemon, "alice", "unlock", "done").is_empty(),
        "crashed before the line"
    );

    daemon.restart();
    let recovered = admin_lines(&daemon, "alice", "unlock", "done");
    assert_eq!(
        recovered.len(),
        1,
        "{}\n{}",
        audit_log(&daemon),
        daemon.log()
    );
    assert!(recovered[0].contains("\tcaller_uid=0\t"), "{recovered:?}");
    daemon.restart();
    assert_eq!(admin_lines(&daemon, "alice", "unlock", "done").len(), 1);
}
