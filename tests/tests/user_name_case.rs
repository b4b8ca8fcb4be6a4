//! `Alice` and `alice` are one account where the directory is case-insensitive (SSSD, AD):
//! mfad keys records by the name NSS reports (pw_name), so both spellings share one record,
//! one last used step and one failure counter. The directory is simulated by an LD_PRELOAD'ed
//! getpwnam_r (tests/shims/case_insensitive_nss.c) in the real daemon.

use mfa_tests::*;
use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const NO_DELAYS: &str = "[limits]\nmax_failures = 100\nfree_failures = 100\n";

/// Compiles the shim once and puts it in LD_PRELOAD for everything this test starts (the
/// daemon included); the value is the same for every test of this file.
fn preload_case_insensitive_nss() {
    static SHIM: OnceLock<PathBuf> = OnceLock::new();
    let shim = SHIM.get_or_init(|| {
        let source = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("shims/case_insensitive_nss.c");
        let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("case_insensitive_nss.so");
        let built = Command::new("cc")
            .args(["-shared", "-fPIC", "-o"])
            .arg(&out)
            .arg(&source)
            .arg("-ldl")
            .output()
            .expect("cc (Debian package gcc)");
        assert!(built.status.success(), "{}", output_text(&built));
        // SAFETY (set_var): every test of this file sets the same value before it starts
        // anything; nothing reads LD_PRELOAD concurrently in this process.
        unsafe { std::env::set_var("LD_PRELOAD", &out) };
        out
    });
    assert!(shim.is_file());
    ensure_user("alice");
}

fn failures(bus: &Bus, user: &str) -> String {
    let out = mfa(bus, &["admin", "status", user]);
    assert!(out.status.success(), "{}", output_text(&out));
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("failures:")
                .map(|v| v.trim().to_string())
        })
        .unwrap_or_else(|| panic!("no failures line: {}", output_text(&out)))
}

#[test]
fn alice_and_capital_alice_share_one_record_so_a_code_used_by_one_is_refused_to_the_other() {
    preload_case_insensitive_nss();
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    enroll_totp(&bus, "Alice", SECRET, 6, "SHA1", 30);
    let state = daemon.state_dir().join("users");
    assert!(state.join("alice.toml").is_file(), "keyed by pw_name");
    assert!(!state.join("Alice.toml").exists(), "no second record");
    let code = oathtool_code(SECRET, "SHA1", 6, 30, None);
    let pam = PamStack::new(&bus, &daemon);
    let (rc, t) = pam.login("Alice", &[&code]);
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", daemon.log());
    let (rc, t) = pam.login("alice", &[&code]);
    assert_eq!(rc, codes::PAM_AUTH_ERR, "replay across spellings: {t}");
}

#[test]
fn wrong_codes_under_either_spelling_count_against_one_account() {
    preload_case_insensitive_nss();
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, NO_DELAYS);
    enroll_totp(&bus, "alice", SECRET, 6, "SHA1", 30);
    // A code of 1970: as good as any wrong code.
    let wrong = oathtool_code(SECRET, "SHA1", 6, 30, Some(0));
    let pam = PamStack::new(&bus, &daemon);
    for user in ["Alice", "alice", "ALICE"] {
        let (rc, t) = pam.login(user, &[&wrong]);
        assert_eq!(rc, codes::PAM_AUTH_ERR, "{user}: {t}\n{}", daemon.log());
    }
    assert_eq!(failures(&bus, "alice"), "3");
    assert_eq!(failures(&bus, "Alice"), "3");
}
