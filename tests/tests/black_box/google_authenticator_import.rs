//! Migration from google-authenticator-libpam: state files written by the real
//! `google-authenticator` CLI are imported, and the user logs in with a code computed by
//! `oathtool` for that secret and with one of the file's scratch codes.

use mfa_tests::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Runs the real google-authenticator CLI non-interactively and returns the file it wrote.
fn ga_file(dir: &Path, name: &str, args: &[&str]) -> PathBuf {
    let path = dir.join(name);
    let out = Command::new("google-authenticator")
        .args(["-f", "-q", "-Q", "NONE", "-s"])
        .arg(&path)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("google-authenticator (Debian package libpam-google-authenticator)");
    assert!(path.is_file(), "{}", output_text(&out));
    path
}

fn secret_of(file: &Path) -> String {
    std::fs::read_to_string(file)
        .expect("GA file")
        .lines()
        .next()
        .unwrap_or_default()
        .to_string()
}

fn scratch_codes(file: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(file).expect("GA file");
    text.lines()
        .filter(|l| l.len() == 8 && l.bytes().all(|b| b.is_ascii_digit()))
        .map(str::to_string)
        .collect()
}

#[test]
fn imported_totp_file_logs_in_with_oathtool_code_and_scratch_code() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    let dir = tempfile::tempdir().expect("tempdir");
    let file = ga_file(
        dir.path(),
        "alice.ga",
        &["-t", "-d", "-r", "3", "-R", "30", "-w", "3", "-e", "5"],
    );
    let out = mfa(
        &bus,
        &[
            "admin",
            "import-google-authenticator",
            "alice",
            file.to_str().expect("utf-8"),
        ],
    );
    assert!(out.status.success(), "{}", output_text(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("5 scratch codes as backup codes"),
        "{}",
        output_text(&out)
    );
    let pam = PamStack::new(&bus, &daemon);
    let code = oathtool_code(&secret_of(&file), "SHA1", 6, 30, None);
    let (rc, t) = pam.login("alice", &[&code]);
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", daemon.log());
    let scratch = scratch_codes(&file);
    assert_eq!(scratch.len(), 5);
    assert_eq!(
        pam.login("alice", &[&scratch[0]]).0,
        codes::PAM_SUCCESS,
        "{}",
        daemon.log()
    );
    assert_eq!(
        pam.login("alice", &[&scratch[0]]).0,
        codes::PAM_AUTH_ERR,
        "a scratch code works once"
    );
}

#[test]
fn imported_step_size_and_window_are_kept() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "[totp]\nwindow = 1\n");
    let dir = tempfile::tempdir().expect("tempdir");
    let file = ga_file(
        dir.path(),
        "bob.ga",
        &["-t", "-D", "-u", "-S", "60", "-w", "17", "-e", "1"],
    );
    let out = mfa(
        &bus,
        &[
            "admin",
            "import-google-authenticator",
            "bob",
            file.to_str().expect("utf-8"),
        ],
    );
    assert!(out.status.success(), "{}", output_text(&out));
    // Three 60-second steps ago: outside the config's ±1, inside the file's WINDOW_SIZE 17 (±8).
    let old = oathtool_code(&secret_of(&file), "SHA1", 6, 60, Some(now_unix() - 180));
    let pam = PamStack::new(&bus, &daemon);
    let (rc, t) = pam.login("bob", &[&old]);
    let state = daemon.stored_record("bob").unwrap_or_default();
    assert_eq!(
        rc,
        codes::PAM_SUCCESS,
        "{t}\n{}\n{state}\n{}",
        daemon.log(),
        output_text(&out)
    );
}

#[test]
fn hotp_file_is_refused_clearly() {
    let bus = Bus::start();
    let _daemon = Daemon::start(&bus, "");
    let dir = tempfile::tempdir().expect("tempdir");
    let file = ga_file(
        dir.path(),
        "carol.ga",
        &["-c", "-w", "3", "-r", "3", "-R", "30", "-e", "2"],
    );
    let out = mfa(
        &bus,
        &[
            "admin",
            "import-google-authenticator",
            "carol",
            file.to_str().expect("utf-8"),
        ],
    );
    assert!(!out.status.success(), "{}", output_text(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("counter-based (HOTP)"),
        "{}",
        output_text(&out)
    );
    let status =
        String::from_utf8_lossy(&mfa(&bus, &["admin", "status", "carol"]).stdout).into_owned();
    assert!(
        status.contains("methods: \n"),
        "nothing was imported: {status}"
    );
}

#[test]
fn a_symlinked_state_file_is_not_followed() {
    let bus = Bus::start();
    let _daemon = Daemon::start(&bus, "");
    let dir = tempfile::tempdir().expect("tempdir");
    let link = dir.path().join("evil.ga");
    std::os::unix::fs::symlink("/etc/shadow", &link).expect("symlink");
    let out = mfa(
        &bus,
        &[
            "admin",
            "import-google-authenticator",
            "eve",
            link.to_str().expect("utf-8"),
        ],
    );
    assert!(!out.status.success(), "{}", output_text(&out));
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("root:"),
        "{}",
        output_text(&out)
    );
}

#[test]
fn a_short_legacy_secret_is_imported_with_a_warning_and_works() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    let dir = tempfile::tempdir().expect("tempdir");
    // What older google-authenticator versions wrote: an 80-bit secret (16 base32 characters).
    let file = dir.path().join("dave.ga");
    std::fs::write(
        &file,
        "JBSWY3DPEHPK3PXP\n\" RATE_LIMIT 3 30\n\" WINDOW_SIZE 3\n\" TOTP_AUTH\n",
    )
    .expect("write");
    let out = mfa(
        &bus,
        &[
            "admin",
            "import-google-authenticator",
            "dave",
            file.to_str().expect("utf-8"),
        ],
    );
    assert!(out.status.success(), "{}", output_text(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("only 80 bits"),
        "{}",
        output_text(&out)
    );
    let pam = PamStack::new(&bus, &daemon);
    let (rc, t) = pam.login(
        "dave",
        &[&oathtool_code("JBSWY3DPEHPK3PXP", "SHA1", 6, 30, None)],
    );
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", daemon.log());
}
