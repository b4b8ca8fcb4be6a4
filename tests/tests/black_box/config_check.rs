//! The daemon's configuration and state directory are checked before anything is served.

use mfa_tests::*;
use std::os::unix::fs::PermissionsExt;
use std::process::Command;

fn check(config_text: &str) -> std::process::Output {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("mfad.toml");
    std::fs::write(&path, config_text).expect("write config");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    Command::new(&build_once().mfad)
        .arg("--check-config")
        .arg("--config")
        .arg(&path)
        .output()
        .expect("run mfad")
}

#[test]
fn check_config_names_every_bad_key_with_its_line() {
    let out = check(
        "[daemon]\nlanguage = \"en\"\n\n[limits]\nmax_failures = 101\nmax_failure = 3\n\n[totp]\ndigits = 9\n",
    );
    let text = output_text(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("line 5") && text.contains("limits.max_failures"),
        "{text}"
    );
    assert!(
        text.contains("line 6") && text.contains("limits.max_failure"),
        "{text}"
    );
    assert!(
        text.contains("line 9") && text.contains("totp.digits"),
        "{text}"
    );
}

#[test]
fn check_config_accepts_the_shipped_example() {
    let example = std::fs::read_to_string(workspace_root().join("etc/mfa/mfad.toml"))
        .expect("example config");
    let out = check(&example);
    assert!(out.status.success(), "{}", output_text(&out));
}

#[test]
fn daemon_refuses_to_start_with_a_bad_config() {
    let bus = Bus::start();
    let err = Daemon::try_start(&bus, "[limits]\nmax_failures = 1000\n")
        .err()
        .expect("must refuse");
    assert!(err.contains("limits.max_failures"), "{err}");
    assert!(!bus.name_has_owner(MFAD_BUS_NAME));
}

#[test]
fn daemon_refuses_a_state_directory_others_can_write() {
    let bus = Bus::start();
    let mut daemon = Daemon::start(&bus, "");
    daemon.stop();
    std::fs::set_permissions(daemon.state_dir(), std::fs::Permissions::from_mode(0o777))
        .expect("chmod");
    let out = Command::new(&build_once().mfad)
        .arg("--config")
        .arg(daemon.config_path())
        .arg("--log-stderr")
        .env("DBUS_SYSTEM_BUS_ADDRESS", bus.address())
        .output()
        .expect("run mfad");
    let text = output_text(&out);
    assert!(!out.status.success(), "{text}");
    assert!(text.contains("writable by other users"), "{text}");
}
