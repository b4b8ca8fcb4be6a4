//! Failure limits per account, through the real module, bus and daemon: lockout, admin unlock,
//! growing delays, and counters shared by every service and kept across restarts.

use mfa_tests::*;

const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

fn code() -> String {
    oathtool_code(SECRET, "SHA1", 6, 30, None)
}

fn wrong() -> String {
    wrong_code(SECRET, "SHA1", 6, 30)
}

fn unlock(bus: &Bus, user: &str) {
    let out = bus.call_mfad("Admin", "Unlock", "s", &[user]);
    assert!(out.status.success(), "{}", output_text(&out));
}

const THREE_STRIKES: &str = "[limits]\nmax_failures = 3\nfree_failures = 3\n";

#[test]
fn lockout_after_max_failures_then_admin_unlock() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, THREE_STRIKES);
    enroll_totp(&bus, "alice", SECRET, 6, "SHA1", 30);
    let pam = PamStack::new(&bus, &daemon);
    assert_eq!(pam.login("alice", &[&wrong()]).0, codes::PAM_AUTH_ERR);
    assert_eq!(pam.login("alice", &[&wrong()]).0, codes::PAM_AUTH_ERR);
    let (rc, transcript) = pam.login("alice", &[&wrong()]);
    assert_eq!(rc, codes::PAM_MAXTRIES, "{transcript}");
    assert!(transcript.contains("locked"), "{transcript}");
    // Locked: even the right code is refused, without a prompt.
    let (rc, transcript) = pam.login("alice", &[]);
    assert_eq!(rc, codes::PAM_MAXTRIES, "{transcript}");
    assert!(transcript.prompts().is_empty(), "{transcript}");
    unlock(&bus, "alice");
    let (rc, transcript) = pam.login("alice", &[&code()]);
    assert_eq!(rc, codes::PAM_SUCCESS, "{transcript}\n{}", daemon.log());
}

#[test]
fn lockout_survives_a_daemon_restart() {
    let bus = Bus::start();
    let mut daemon = Daemon::start(&bus, THREE_STRIKES);
    enroll_totp(&bus, "alice", SECRET, 6, "SHA1", 30);
    let pam = PamStack::new(&bus, &daemon);
    for _ in 0..3 {
        pam.login("alice", &[&wrong()]);
    }
    daemon.kill();
    daemon.restart();
    assert_eq!(
        pam.login("alice", &[&code()]).0,
        codes::PAM_MAXTRIES,
        "{}",
        daemon.log()
    );
}

#[test]
fn failures_count_across_services_and_sessions() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, THREE_STRIKES);
    enroll_totp(&bus, "alice", SECRET, 6, "SHA1", 30);
    let ssh = PamStack::with_options(
        &bus,
        daemon.uid(),
        StackOptions {
            service: "sshd".into(),
            ..Default::default()
        },
    );
    let sudo = PamStack::with_options(
        &bus,
        daemon.uid(),
        StackOptions {
            service: "sudo".into(),
            ..Default::default()
        },
    );
    assert_eq!(ssh.login("alice", &[&wrong()]).0, codes::PAM_AUTH_ERR);
    assert_eq!(sudo.login("alice", &[&wrong()]).0, codes::PAM_AUTH_ERR);
    assert_eq!(ssh.login("alice", &[&wrong()]).0, codes::PAM_MAXTRIES);
    assert_eq!(sudo.login("alice", &[&code()]).0, codes::PAM_MAXTRIES);
}

#[test]
fn success_resets_the_failure_count() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, THREE_STRIKES);
    enroll_totp(&bus, "alice", SECRET, 6, "SHA1", 30);
    let pam = PamStack::new(&bus, &daemon);
    pam.login("alice", &[&wrong()]);
    pam.login("alice", &[&wrong()]);
    assert_eq!(
        pam.login("alice", &[&code()]).0,
        codes::PAM_SUCCESS,
        "{}",
        daemon.log()
    );
    assert_eq!(
        pam.login("alice", &[&wrong()]).0,
        codes::PAM_AUTH_ERR,
        "count started again from zero"
    );
}

#[test]
fn during_the_delay_a_code_is_refused_without_being_checked() {
    let bus = Bus::start();
    let daemon = Daemon::start(
        &bus,
        "[limits]\nmax_failures = 10\nfree_failures = 1\ndelay_base = 600\ndelay_max = 600\n",
    );
    enroll_totp(&bus, "alice", SECRET, 6, "SHA1", 30);
    let pam = PamStack::new(&bus, &daemon);
    pam.login("alice", &[&wrong()]);
    pam.login("alice", &[&wrong()]);
    let (rc, transcript) = pam.login("alice", &[&code()]);
    assert_eq!(rc, codes::PAM_AUTH_ERR, "{transcript}");
    assert!(transcript.contains("Try again in"), "{transcript}");
    assert!(daemon.log().contains("outcome=refused-cooldown"));
    // The right code was not used up by the refused attempt.
    assert!(!daemon.log().contains("outcome=granted"));
}
