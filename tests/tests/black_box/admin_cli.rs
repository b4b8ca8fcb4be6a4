//! The `mfa admin` commands against the real daemon: enroll with a generated or given secret,
//! status, unlock, remove — and the enrolled secret works for a real login.

use mfa_tests::*;

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn enroll_totp_generates_a_secret_that_logs_in() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "[totp]\nissuer = \"testhost\"\n");
    let out = mfa(&bus, &["admin", "enroll-totp", "alice"]);
    assert!(out.status.success(), "{}", output_text(&out));
    let text = stdout(&out);
    let uri = text
        .lines()
        .find(|l| l.starts_with("otpauth://totp/testhost:alice?secret="))
        .expect("URI printed")
        .to_string();
    assert!(
        text.contains('▀') || text.contains('█'),
        "QR code drawn: {text}"
    );
    let secret = uri
        .split("secret=")
        .nth(1)
        .and_then(|s| s.split('&').next())
        .expect("secret in URI");
    assert_eq!(secret.len(), 32, "160-bit secret");
    let pam = PamStack::new(&bus, &daemon);
    let (rc, t) = pam.login("alice", &[&oathtool_code(secret, "SHA1", 6, 30, None)]);
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", daemon.log());
}

#[test]
fn enroll_totp_takes_a_given_secret_and_parameters() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    let secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    let out = mfa(
        &bus,
        &[
            "admin",
            "enroll-totp",
            "bob",
            "--secret",
            secret,
            "--digits",
            "8",
            "--algorithm",
            "SHA256",
            "--period",
            "60",
        ],
    );
    assert!(out.status.success(), "{}", output_text(&out));
    assert!(
        stdout(&out).contains("algorithm=SHA256&digits=8&period=60"),
        "{}",
        output_text(&out)
    );
    let pam = PamStack::new(&bus, &daemon);
    let (rc, t) = pam.login("bob", &[&oathtool_code(secret, "SHA256", 8, 60, None)]);
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", daemon.log());
}

#[test]
fn enroll_totp_refuses_bad_parameters_with_a_clear_error() {
    let bus = Bus::start();
    let _daemon = Daemon::start(&bus, "");
    let out = mfa(&bus, &["admin", "enroll-totp", "bob", "--digits", "9"]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("digits must be 6..=8"),
        "{}",
        output_text(&out)
    );
    let out = mfa(&bus, &["admin", "enroll-totp", "../etc"]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("not a valid user name"),
        "{}",
        output_text(&out)
    );
}

#[test]
fn status_unlock_and_remove_manage_a_user() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "[limits]\nmax_failures = 1\nfree_failures = 1\n");
    assert!(
        mfa(&bus, &["admin", "enroll-totp", "carol"])
            .status
            .success()
    );
    let pam = PamStack::new(&bus, &daemon);
    assert_eq!(
        pam.login("carol", &["00000000"]).0,
        codes::PAM_MAXTRIES,
        "{}",
        daemon.log()
    );
    let status = stdout(&mfa(&bus, &["admin", "status", "carol"]));
    assert!(
        status.contains("methods: totp") && status.contains("locked: yes"),
        "{status}"
    );
    let out = mfa(&bus, &["admin", "unlock", "carol"]);
    assert!(out.status.success(), "{}", output_text(&out));
    assert!(stdout(&mfa(&bus, &["admin", "status", "carol"])).contains("locked: no"));
    let out = mfa(&bus, &["admin", "remove", "carol", "totp"]);
    assert!(out.status.success(), "{}", output_text(&out));
    assert!(stdout(&mfa(&bus, &["admin", "status", "carol"])).contains("methods: \n"));
    // With nothing enrolled and the default policy, carol is denied, and her wrong answer is
    // counted as an enrolled account's would be (max_failures = 1: locked at once).
    assert_eq!(pam.login("carol", &["123456"]).0, codes::PAM_MAXTRIES);
}

/// Issue 10, point 9: a typo in the user name must not enroll a record silently.
#[test]
fn admin_commands_naming_an_account_this_host_lacks_warn_but_one_it_has_does_not() {
    let bus = Bus::start();
    let _daemon = Daemon::start(&bus, "");
    let ghost = "mfa-no-such-acct";
    for args in [
        vec!["admin", "enroll-totp", ghost],
        vec!["admin", "backup-codes", ghost],
    ] {
        let out = mfa(&bus, &args);
        assert!(out.status.success(), "{}", output_text(&out));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(&format!("this host has no account named {ghost}")),
            "{args:?}: {}",
            output_text(&out)
        );
    }
    let out = mfa(&bus, &["admin", "enroll-totp", "root"]);
    assert!(out.status.success(), "{}", output_text(&out));
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("no account"),
        "{}",
        output_text(&out)
    );
}
