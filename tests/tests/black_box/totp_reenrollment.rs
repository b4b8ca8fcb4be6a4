//! Installing a TOTP secret the user already had (the same QR code enrolled again, the same
//! google-authenticator file imported again, or enrolled after removing it) keeps the highest
//! step already used with it: a code that logged in once stays used.

use mfa_tests::*;

const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

/// Logs in with the current code and returns that code.
fn log_in_once(bus: &Bus, daemon: &Daemon) -> String {
    let code = oathtool_code(SECRET, "SHA1", 6, 30, None);
    let pam = PamStack::new(bus, daemon);
    let (rc, t) = pam.login("alice", &[&code]);
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", daemon.log());
    code
}

fn assert_refused(bus: &Bus, daemon: &Daemon, code: &str) {
    let pam = PamStack::new(bus, daemon);
    let (rc, t) = pam.login("alice", &[code]);
    assert_eq!(
        rc,
        codes::PAM_AUTH_ERR,
        "a used code again: {t}\n{}",
        daemon.log()
    );
}

/// `mfa admin import-google-authenticator alice FILE` for a plain TOTP file holding SECRET.
fn import_secret(bus: &Bus) {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("alice.ga");
    std::fs::write(&file, format!("{SECRET}\n\" TOTP_AUTH\n")).expect("GA file");
    let out = mfa(
        bus,
        &[
            "admin",
            "import-google-authenticator",
            "alice",
            file.to_str().expect("utf-8"),
        ],
    );
    assert!(out.status.success(), "{}", output_text(&out));
}

#[test]
fn a_used_code_is_refused_after_the_same_secret_is_enrolled_again() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    enroll_totp(&bus, "alice", SECRET, 6, "SHA1", 30);
    let code = log_in_once(&bus, &daemon);
    enroll_totp(&bus, "alice", SECRET, 6, "SHA1", 30);
    assert_refused(&bus, &daemon, &code);
}

#[test]
fn a_used_code_is_refused_after_the_same_secret_is_imported_again() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    import_secret(&bus);
    let code = log_in_once(&bus, &daemon);
    import_secret(&bus);
    assert_refused(&bus, &daemon, &code);
}

#[test]
fn a_used_code_is_refused_after_the_secret_is_removed_and_enrolled_again() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    enroll_totp(&bus, "alice", SECRET, 6, "SHA1", 30);
    // A second method keeps the record (and its history) when TOTP is removed.
    let out = mfa(&bus, &["admin", "backup-codes", "alice"]);
    assert!(out.status.success(), "{}", output_text(&out));
    let code = log_in_once(&bus, &daemon);
    let out = mfa(&bus, &["admin", "remove", "alice", "totp"]);
    assert!(out.status.success(), "{}", output_text(&out));
    import_secret(&bus);
    assert_refused(&bus, &daemon, &code);
}
