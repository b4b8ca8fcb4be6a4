//! `mfad --check-config`, start-up and `mfa doctor` share one loader: each broken gateway
//! secret file that makes the daemon refuse to start fails the check too, with the same
//! problem line (key and line number), and the doctor reports it.

use std::fs;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use mfa_tests::*;
use tempfile::TempDir;

/// Where the test config puts `auth_token_file`.
const SECRET_KEY_LINE: usize = 10;
const SECRET_KEY: &str = "gateways.tw.auth_token_file";
/// No bus: a daemon that wrongly got past the loader fails later, for another reason.
const NO_BUS: &str = "unix:path=/nonexistent/mfa-test-bus";

/// A config whose `[sms]` sends through a twilio gateway reading its token from `secret`.
fn config_text(state: &Path, secret: &Path) -> String {
    format!(
        "[daemon]\nstate_dir = \"{}\"\n\n[sms]\ngateways = [\"tw\"]\n\n[gateways.tw]\nkind = \"twilio\"\n\
         account_sid = \"AC0123456789abcdef0123456789abcdef\"\nauth_token_file = \"{}\"\n\
         from = \"+15005550006\"\nbase_url = \"http://127.0.0.1:9\"\n",
        state.display(),
        secret.display()
    )
}

/// A scratch directory with a private state dir and a config pointing at the secret that
/// `make` creates (given the directory, it returns the secret's path).
struct Setup {
    dir: TempDir,
    config: PathBuf,
}

fn setup(make: impl FnOnce(&Path) -> PathBuf) -> Setup {
    let dir = tempfile::Builder::new()
        .prefix("mfa-secret-")
        .tempdir()
        .expect("tempdir");
    let state = dir.path().join("state");
    fs::create_dir(&state).expect("state");
    fs::set_permissions(&state, fs::Permissions::from_mode(0o700)).expect("chmod state");
    let secret = make(dir.path());
    let config = dir.path().join("mfad.toml");
    fs::write(&config, config_text(&state, &secret)).expect("config");
    fs::set_permissions(&config, fs::Permissions::from_mode(0o600)).expect("chmod config");
    Setup { dir, config }
}

fn secret_file(dir: &Path, bytes: &[u8], mode: u32) -> PathBuf {
    let path = dir.join("token");
    fs::write(&path, bytes).expect("secret");
    fs::set_permissions(&path, fs::Permissions::from_mode(mode)).expect("chmod secret");
    path
}

fn mfad(config: &Path, extra: &[&str]) -> Output {
    Command::new(&build_once().mfad)
        .args(extra)
        .arg("--config")
        .arg(config)
        .env("DBUS_SYSTEM_BUS_ADDRESS", NO_BUS)
        .env_remove("CREDENTIALS_DIRECTORY")
        .output()
        .expect("run mfad")
}

/// The line the check prints for the secret's key.
fn secret_problem(text: &str) -> Option<&str> {
    text.lines().find(|l| l.contains(SECRET_KEY))
}

type Case = (&'static str, fn(&Path) -> PathBuf, &'static str);

/// Each broken secret and a word of the reason the daemon gives.
const BROKEN: &[Case] = &[
    ("mode 0644", |d| secret_file(d, b"tok\n", 0o644), "others"),
    ("mode 0666", |d| secret_file(d, b"tok\n", 0o666), "others"),
    ("mode 0604", |d| secret_file(d, b"tok\n", 0o604), "others"),
    ("mode 0620", |d| secret_file(d, b"tok\n", 0o620), "group"),
    ("mode 0660", |d| secret_file(d, b"tok\n", 0o660), "group"),
    ("empty", |d| secret_file(d, b"", 0o600), "empty"),
    ("two lines", |d| secret_file(d, b"tok\nen\n", 0o600), "line"),
    (
        "5,000 bytes",
        |d| secret_file(d, &[b'a'; 5000], 0o600),
        "larger",
    ),
    (
        "not UTF-8",
        |d| secret_file(d, b"\xff\xfe\n", 0o600),
        "UTF-8",
    ),
    ("wrong owner", wrong_owner, "owned by uid"),
    (
        "symlink",
        |d| {
            let target = secret_file(d, b"tok\n", 0o600);
            let link = d.join("link");
            symlink(target, &link).expect("symlink");
            link
        },
        "symbolic link",
    ),
    (
        "FIFO",
        |d| {
            let path = d.join("fifo");
            let made = Command::new("mkfifo")
                .args(["-m", "0600"])
                .arg(&path)
                .status();
            assert!(made.is_ok_and(|s| s.success()), "mkfifo");
            path
        },
        "not a regular file",
    ),
    (
        "directory",
        |d| {
            let path = d.join("dir");
            fs::create_dir(&path).expect("mkdir");
            fs::set_permissions(&path, fs::Permissions::from_mode(0o700)).expect("chmod");
            path
        },
        "not a regular file",
    ),
    (
        "/dev/zero",
        |_| PathBuf::from("/dev/zero"),
        "not a regular file",
    ),
    ("missing", |d| d.join("nothing-here"), "does not exist"),
    (
        "owner writable by others",
        |d| secret_file(d, b"tok\n", 0o602),
        "others",
    ),
];

fn wrong_owner(dir: &Path) -> PathBuf {
    let path = secret_file(dir, b"tok\n", 0o600);
    std::os::unix::fs::chown(&path, Some(65534), Some(65534)).expect("chown");
    path
}

#[test]
fn every_broken_secret_file_fails_the_check_with_key_and_line_and_the_daemon_refuses_for_the_same_reason()
 {
    let mut wrong = Vec::new();
    for (name, make, reason) in BROKEN {
        let s = setup(make);
        let check = mfad(&s.config, &["--check-config"]);
        let check_text = output_text(&check);
        let Some(problem) = secret_problem(&check_text) else {
            wrong.push(format!(
                "{name}: the check does not name {SECRET_KEY}:\n{check_text}"
            ));
            continue;
        };
        let located = problem.contains(&format!("line {SECRET_KEY_LINE}: {SECRET_KEY}: "));
        if check.status.code() != Some(1) || !located || !problem.contains(reason) {
            wrong.push(format!("{name}: check said:\n{check_text}"));
            continue;
        }
        let start = mfad(&s.config, &["--log-stderr"]);
        let start_text = output_text(&start);
        if start.status.success() || !start_text.contains(problem) {
            wrong.push(format!(
                "{name}: start-up did not refuse with {problem:?}:\n{start_text}"
            ));
        }
        drop(s.dir);
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
}

#[test]
fn a_good_secret_file_passes_the_check() {
    let s = setup(|d| secret_file(d, b"tok\n", 0o600));
    let out = mfad(&s.config, &["--check-config"]);
    assert!(out.status.success(), "{}", output_text(&out));
}

#[test]
fn every_problem_is_reported_not_only_the_first() {
    let s = setup(|d| secret_file(d, b"", 0o644));
    let text = fs::read_to_string(&s.config).expect("config");
    let second = format!(
        "{text}\n[gateways.other]\nkind = \"twilio\"\naccount_sid = \"AC0123456789abcdef0123456789abcdef\"\n\
         auth_token_file = \"/nonexistent/token\"\nfrom = \"+15005550006\"\n"
    );
    fs::write(&s.config, second).expect("config");
    let out = mfad(&s.config, &["--check-config"]);
    let text = output_text(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains(SECRET_KEY), "{text}");
    assert!(text.contains("gateways.other.auth_token_file"), "{text}");
    assert!(text.contains("2 problem(s)"), "{text}");
}

#[test]
fn mfa_doctor_reports_a_broken_secret_file_with_key_and_line() {
    let s = setup(|d| secret_file(d, b"tok\n", 0o644));
    let config = s.config.to_str().expect("utf-8 path");
    let out = mfa_command()
        .args(["doctor", "--skip-clock", "--config", config])
        .env("DBUS_SYSTEM_BUS_ADDRESS", NO_BUS)
        .output()
        .expect("run mfa doctor");
    let text = output_text(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    let line = format!("line {SECRET_KEY_LINE}: {SECRET_KEY}: ");
    assert!(
        text.lines()
            .any(|l| l.starts_with("[FAIL]") && l.contains(&line) && l.contains("others")),
        "{text}"
    );
}
