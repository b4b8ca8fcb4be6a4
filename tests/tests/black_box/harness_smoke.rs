//! Smoke tests of the black-box harness itself: the private bus, the real daemon owning its
//! name there, and the real `mfa test-login` CLI on simple stacks.

use mfa_tests::*;

#[test]
fn private_bus_loads_project_policy_and_daemon_owns_name() {
    let bus = Bus::start();
    assert!(
        bus.policy_dir().join("org.mfa.Mfad1.conf").is_file(),
        "the project's policy is in the bus's includedir"
    );
    assert!(
        !bus.name_has_owner(MFAD_BUS_NAME),
        "nobody owns the name before mfad runs"
    );

    let daemon = Daemon::start(&bus, "[limits]\nmax_failures = 3\n");
    assert!(bus.name_has_owner(MFAD_BUS_NAME), "log:\n{}", daemon.log());
    assert_eq!(bus.name_owner_pid(MFAD_BUS_NAME), daemon.pid());
    assert_eq!(bus.name_owner_uid(MFAD_BUS_NAME), Some(daemon.uid()));
}

#[test]
fn policy_still_denies_owning_the_name_to_others() {
    // The test overlay adds one owner (the daemon's uid); the project's policy and the
    // default-deny base must still refuse the name to everyone else.
    let other_uid = 65534; // nobody
    if mfa_tests_euid() != 0 {
        eprintln!("skipped: needs root to act as uid {other_uid}");
        return;
    }
    let bus = Bus::start();
    let out = std::process::Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "busctl"])
        .arg(format!("--address={}", bus.address()))
        .args([
            "call",
            "org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus",
            "RequestName",
            "su",
            MFAD_BUS_NAME,
            "4",
        ])
        .output()
        .expect("setpriv");
    assert!(
        !out.status.success(),
        "uid {other_uid} got the name: {}",
        output_text(&out)
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("Access denied"),
        "{}",
        output_text(&out)
    );
}

fn mfa_tests_euid() -> u32 {
    // SAFETY: geteuid cannot fail.
    unsafe { libc::geteuid() }
}

#[test]
fn mfa_test_login_runs_a_permit_stack() {
    let stack = PamStack::from_text(
        "demo",
        "auth required pam_permit.so\naccount required pam_permit.so\n",
    );
    let dir = stack.dir().to_str().unwrap();
    let out = mfa_with_input(
        None,
        &["test-login", "--pam-dir", dir, "--service", "demo", "alice"],
        "",
    );
    assert!(out.status.success(), "{}", output_text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("PAM result: success"),
        "{}",
        output_text(&out)
    );
}

#[test]
fn mfa_test_login_reports_failure_of_a_deny_stack() {
    let stack = PamStack::from_text(
        "demo",
        "auth required pam_deny.so\naccount required pam_permit.so\n",
    );
    let dir = stack.dir().to_str().unwrap();
    let out = mfa_with_input(
        None,
        &["test-login", "--pam-dir", dir, "--service", "demo", "alice"],
        "",
    );
    assert_eq!(out.status.code(), Some(1), "{}", output_text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("PAM result: Authentication failure (PAM_AUTH_ERR, 7)"),
        "{}",
        output_text(&out)
    );
}

#[test]
fn mfa_test_login_shows_prompts_and_reads_answers_from_stdin() {
    if !std::path::Path::new(PAM_MATRIX).exists() {
        eprintln!("skipped: {PAM_MATRIX} missing (apt-get install libpam-wrapper)");
        return;
    }
    let stack = PamStack::from_text("demo", "");
    let passdb = stack.write_file("passdb", "alice:s3cret:demo\n");
    stack.write_file(
        "demo",
        &format!(
            "auth required {PAM_MATRIX} passdb={}\naccount required pam_permit.so\n",
            passdb.display()
        ),
    );
    let dir = stack.dir().to_str().unwrap();
    let args = [
        "test-login",
        "--pam-dir",
        dir,
        "--service",
        "demo",
        "--rhost",
        "192.0.2.9",
        "alice",
    ];

    let good = mfa_with_input(None, &args, "s3cret\n");
    assert!(good.status.success(), "{}", output_text(&good));
    let stdout = String::from_utf8_lossy(&good.stdout);
    assert!(stdout.contains("Password:"), "{}", output_text(&good));
    assert!(
        !stdout.contains("s3cret"),
        "the echo-off answer is not shown: {}",
        output_text(&good)
    );

    let bad = mfa_with_input(None, &args, "wrong\n");
    assert!(!bad.status.success(), "{}", output_text(&bad));

    // No answer at all: the conversation fails, and so does the login.
    let none = mfa_with_input(None, &args, "");
    assert!(!none.status.success(), "{}", output_text(&none));
}

#[test]
fn pam_stack_records_the_conversation_and_runs_out_loudly() {
    if !std::path::Path::new(PAM_MATRIX).exists() {
        eprintln!("skipped: {PAM_MATRIX} missing");
        return;
    }
    let stack = PamStack::from_text("svc", "");
    let passdb = stack.write_file("passdb", "alice:pw:svc\n");
    stack.write_file(
        "svc",
        &format!(
            "auth required {PAM_MATRIX} passdb={}\naccount required pam_permit.so\n",
            passdb.display()
        ),
    );
    let (rc, t) = stack.login("alice", &["pw", "extra"]);
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}");
    assert_eq!(t.prompts().len(), 1, "{t}");
    assert_eq!(t.seen[0].0, Style::EchoOff);
    assert_eq!(t.unused_answers, vec!["extra".to_string()]);

    let (rc, t) = stack.login("alice", &[]);
    assert_ne!(rc, codes::PAM_SUCCESS, "{t}");
    assert!(t.ran_out_of_answers(), "{t}");
}

#[test]
fn harness_drives_a_totp_login_through_the_real_module() {
    let secret = "JBSWY3DPEHPK3PXP";
    let bus = Bus::start();
    let mut daemon = Daemon::start(&bus, "[limits]\nmax_failures = 3\n");
    let uri = enroll_totp(&bus, "alice", secret, 6, "SHA1", 30);
    assert!(uri.starts_with("otpauth://totp/"), "{uri}");
    let pam = PamStack::new(&bus, &daemon);

    let (rc, t) = pam.login("alice", &["000000"]);
    assert_eq!(rc, codes::PAM_AUTH_ERR, "{t}\n{}", daemon.log());
    assert!(t.contains("Verification code"), "{t}");

    // State survives a restart; a code for this moment is accepted.
    daemon.restart();
    let code = oathtool_code(secret, "SHA1", 6, 30, None);
    let (rc, t) = pam.login("alice", &[&code]);
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", daemon.log());
}

#[test]
fn daemon_can_run_as_an_unprivileged_uid() {
    if mfa_tests_euid() != 0 {
        eprintln!("skipped: needs root to start the daemon as another uid");
        return;
    }
    let (uid, gid) = (65534, 65534); // nobody
    let bus = Bus::start_with_owner(uid);
    let daemon = Daemon::start_as(&bus, "", uid, gid);
    assert_eq!(
        bus.name_owner_uid(MFAD_BUS_NAME),
        Some(uid),
        "{}",
        daemon.log()
    );
    assert_eq!(daemon.uid(), uid);
}
