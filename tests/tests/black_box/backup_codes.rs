//! Backup codes through the real CLI, module, bus and daemon: ten shown once, each logs in
//! once (also when logins race with the same code), and the prompt warns when few are left.

use mfa_tests::*;
use std::sync::Arc;

/// `mfa admin backup-codes USER` → the ten codes as printed ("12345 67890").
fn backup_codes(bus: &Bus, user: &str) -> Vec<String> {
    let out = mfa(bus, &["admin", "backup-codes", user]);
    assert!(out.status.success(), "{}", output_text(&out));
    let codes: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::trim)
        .filter(|l| l.len() == 11 && l.chars().all(|c| c.is_ascii_digit() || c == ' '))
        .map(str::to_string)
        .collect();
    assert_eq!(codes.len(), 10, "{}", output_text(&out));
    codes
}

#[test]
fn each_backup_code_logs_in_exactly_once() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    let codes = backup_codes(&bus, "alice");
    let pam = PamStack::new(&bus, &daemon);
    let (rc, t) = pam.login("alice", &[&codes[0]]);
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", daemon.log());
    assert!(
        daemon.log().contains("method=backup outcome=granted"),
        "{}",
        daemon.log()
    );
    let (rc, t) = pam.login("alice", &[&codes[0]]);
    assert_eq!(rc, codes::PAM_AUTH_ERR, "used up: {t}");
    assert_eq!(
        pam.login("alice", &[&codes[1].replace(' ', "")]).0,
        codes::PAM_SUCCESS
    );
    let status =
        String::from_utf8_lossy(&mfa(&bus, &["admin", "status", "alice"]).stdout).into_owned();
    assert!(status.contains("backup_codes_left: 8"), "{status}");
    // Nothing of a code is in the daemon's stored record or log.
    let state = daemon.stored_record("alice").expect("state");
    for code in &codes {
        let plain = code.replace(' ', "");
        assert!(
            !state.contains(&plain) && !daemon.log().contains(&plain),
            "code {plain} leaked"
        );
    }
}

#[test]
fn one_backup_code_submitted_by_8_logins_at_once_succeeds_exactly_once() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "[limits]\nmax_failures = 100\nfree_failures = 100\n");
    let code = backup_codes(&bus, "alice").remove(0);
    let pam = Arc::new(PamStack::new(&bus, &daemon));
    let results = pam.race("alice", &code, 8);
    assert_eq!(
        results
            .iter()
            .filter(|&&rc| rc == codes::PAM_SUCCESS)
            .count(),
        1,
        "{results:?}\n{}",
        daemon.log()
    );
}

#[test]
fn the_prompt_warns_when_two_or_fewer_codes_are_left() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    let codes = backup_codes(&bus, "alice");
    let pam = PamStack::new(&bus, &daemon);
    for code in &codes[..8] {
        let (rc, t) = pam.login("alice", &[code]);
        assert_eq!(rc, codes::PAM_SUCCESS, "{t}");
        assert!(
            !t.contains("backup code"),
            "no warning with 3 or more left: {t}"
        );
    }
    let (rc, t) = pam.login("alice", &[&codes[8]]);
    assert_eq!(rc, codes::PAM_SUCCESS);
    assert!(t.prompts()[0].contains("Only 2 backup codes left"), "{t}");
    assert!(
        t.prompts()[0].ends_with("Backup code (or verification code): "),
        "only backup codes: named first: {t}"
    );
    let (_, t) = pam.login("alice", &[&codes[9]]);
    assert!(t.prompts()[0].contains("Only 1 backup code left"), "{t}");
    let (rc, t) = pam.login("alice", &["1234567890"]);
    assert_eq!(rc, codes::PAM_AUTH_ERR);
    assert!(t.prompts()[0].contains("no backup codes left"), "{t}");
}

#[test]
fn new_backup_codes_replace_the_old_ones() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    let old = backup_codes(&bus, "alice");
    let new = backup_codes(&bus, "alice");
    let pam = PamStack::new(&bus, &daemon);
    if !new.contains(&old[0]) {
        assert_eq!(pam.login("alice", &[&old[0]]).0, codes::PAM_AUTH_ERR);
    }
    assert_eq!(
        pam.login("alice", &[&new[0]]).0,
        codes::PAM_SUCCESS,
        "{}",
        daemon.log()
    );
}

/// A record written before hashes were PHC strings: one code, hashed as bare hex with the
/// parameters implied (argon2id m=19456 t=2 p=1, the salt string's bytes as salt).
const LEGACY_SALT: &str = "00112233445566778899aabbccddeeff";
const LEGACY_CODE: &str = "1234567890";

#[test]
fn a_backup_code_stored_in_the_legacy_hex_format_still_logs_in_once() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    backup_codes(&bus, "alice");
    let legacy = mfad::argon2_phc::legacy_hex(LEGACY_CODE, LEGACY_SALT).expect("legacy hash");
    assert_eq!(legacy.len(), 64, "bare hex, no parameters");
    // What an older mfad saved (and `mfad --migrate-store` copies into a database as it is).
    let record = mfad::store::UserRecord {
        version: 1,
        backup: Some(mfad::store::BackupCodes {
            salt: LEGACY_SALT.to_string(),
            hashes: vec![legacy],
        }),
        ..Default::default()
    };
    daemon.write_record("alice", &record);
    let pam = PamStack::new(&bus, &daemon);
    let (rc, t) = pam.login("alice", &[LEGACY_CODE]);
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", daemon.log());
    let (rc, t) = pam.login("alice", &[LEGACY_CODE]);
    assert_eq!(rc, codes::PAM_AUTH_ERR, "used up: {t}");
}

#[test]
fn new_backup_codes_are_stored_as_phc_strings_with_their_parameters() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    backup_codes(&bus, "alice");
    let state = daemon.stored_record("alice").expect("state");
    let phc = state.matches("$argon2id$v=19$m=19456,t=2,p=1$").count();
    assert_eq!(phc, 10, "{state}");
}
