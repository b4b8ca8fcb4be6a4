//! `mfa admin list`, `reset` and `log` through the real CLI, bus and daemon: the list shows
//! methods and lock state, a reset is a fresh start (and asks first), the log is the daemon's
//! own audit record (right and wrong logins, filtered by user, private, without codes or
//! secrets), and only root may use any of it.

use mfa_tests::*;
use std::os::unix::fs::MetadataExt;
use std::process::{Command, Output, Stdio};

const SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
/// One wrong code locks the account.
const LOCK_AFTER_ONE: &str = "[limits]\nmax_failures = 1\nfree_failures = 1\n";

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `mfa ARGS…` as root, which must succeed; returns stdout.
fn mfa_ok(bus: &Bus, args: &[&str]) -> String {
    let out = mfa(bus, args);
    assert!(out.status.success(), "mfa {args:?}: {}", output_text(&out));
    stdout(&out)
}

fn enroll(bus: &Bus, user: &str) {
    mfa_ok(bus, &["admin", "enroll-totp", user, "--secret", SECRET]);
}

fn right_code() -> String {
    oathtool_code(SECRET, "SHA1", 6, 30, None)
}

fn a_wrong_code() -> String {
    wrong_code(SECRET, "SHA1", 6, 30)
}

/// The row of `user` in `mfa admin list`, split on whitespace.
fn list_row(list: &str, user: &str) -> Option<Vec<String>> {
    list.lines()
        .find(|l| l.split_whitespace().next() == Some(user))
        .map(|l| l.split_whitespace().map(str::to_string).collect())
}

/// Digit runs of `text`: a code can only leak as one of these (timestamps are longer runs).
fn digit_runs(text: &str) -> Vec<&str> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .collect()
}

fn assert_no_code(text: &str, code: &str) {
    let code: String = code.chars().filter(char::is_ascii_digit).collect();
    assert!(
        !digit_runs(text).contains(&code.as_str()),
        "code {code} leaked:\n{text}"
    );
}

#[test]
fn list_shows_enrolled_users_with_methods_and_lock_state() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, LOCK_AFTER_ONE);
    let out = mfa_ok(&bus, &["admin", "list"]);
    assert_eq!(out, "no users enrolled\n");
    enroll(&bus, "alice");
    enroll(&bus, "bob");
    mfa_ok(&bus, &["admin", "backup-codes", "bob"]);
    mfa_ok(&bus, &["admin", "backup-codes", "dave"]);
    let pam = PamStack::new(&bus, &daemon);
    let (rc, t) = pam.login("alice", &[&a_wrong_code()]);
    assert_eq!(rc, codes::PAM_MAXTRIES, "{t}\n{}", daemon.log());
    // A record the daemon cannot read is listed as such, not hidden and not fatal.
    daemon.corrupt_record("carol");

    let list = mfa_ok(&bus, &["admin", "list"]);
    let header = list.lines().next().unwrap_or_default();
    assert_eq!(
        header.split_whitespace().collect::<Vec<_>>(),
        ["USER", "METHODS", "LOCKED", "FAILURES"],
        "{list}"
    );
    assert_eq!(
        list_row(&list, "alice").expect("alice listed"),
        ["alice", "totp", "yes", "1"],
        "{list}"
    );
    assert_eq!(
        list_row(&list, "bob").expect("bob listed"),
        ["bob", "totp,", "backup", "(10", "left)", "no", "0"],
        "{list}"
    );
    assert!(
        list.contains("totp, backup (10 left)"),
        "readable methods: {list}"
    );
    assert_eq!(
        list_row(&list, "dave").expect("dave listed"),
        ["dave", "backup", "(10", "left)", "no", "0"],
        "{list}"
    );
    let carol = list
        .lines()
        .find(|l| l.starts_with("carol "))
        .expect("carol");
    assert!(carol.contains("unreadable record"), "{list}");
    assert_eq!(list.lines().count(), 5, "header + 4 users: {list}");
    // Users are in name order.
    let names: Vec<&str> = list
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(names, ["alice", "bob", "carol", "dave"]);
}

#[test]
fn reset_removes_methods_failures_and_lock_for_a_fresh_start() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, LOCK_AFTER_ONE);
    enroll(&bus, "alice");
    mfa_ok(&bus, &["admin", "backup-codes", "alice"]);
    let pam = PamStack::new(&bus, &daemon);
    assert_eq!(
        pam.login("alice", &[&a_wrong_code()]).0,
        codes::PAM_MAXTRIES
    );
    let list = mfa_ok(&bus, &["admin", "list"]);
    let row = list_row(&list, "alice").unwrap();
    assert_eq!(row[row.len() - 2..], ["yes", "1"], "{list}");

    let out = mfa_ok(&bus, &["admin", "reset", "--yes", "alice"]);
    assert!(out.contains("alice: reset"), "{out}");
    assert!(!daemon.has_record("alice"), "the whole record is gone");
    assert_eq!(mfa_ok(&bus, &["admin", "list"]), "no users enrolled\n");
    let status = mfa_ok(&bus, &["admin", "status", "alice"]);
    assert!(
        status.contains("methods: \n") && status.contains("locked: no"),
        "{status}"
    );
    // Nothing enrolled under the default (deny) policy: the unenrolled treatment, counted as
    // an enrolled account's failure would be (locked after one).
    let (rc, t) = pam.login("alice", &[&right_code()]);
    assert_eq!(rc, codes::PAM_MAXTRIES, "{t}\n{}", daemon.log());
    // Unlike `remove`, no lock or failure survives: enrolled again, the right code works.
    enroll(&bus, "alice");
    let (rc, t) = pam.login("alice", &[&right_code()]);
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", daemon.log());

    let out = mfa_ok(&bus, &["admin", "reset", "--yes", "nobody-here"]);
    assert!(out.contains("nothing to reset"), "{out}");
    let out = mfa(&bus, &["admin", "reset", "--yes", "../etc"]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("not a valid user name"),
        "{}",
        output_text(&out)
    );
}

#[test]
fn reset_refuses_without_yes_when_stdin_is_not_a_tty() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    enroll(&bus, "alice");
    // Even a "y" on a pipe is no confirmation.
    for input in ["", "y\n", "yes\n"] {
        let out = mfa_with_input(Some(&bus), &["admin", "reset", "alice"], input);
        assert!(!out.status.success(), "{}", output_text(&out));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("not a terminal") && err.contains("--yes"),
            "{}",
            output_text(&out)
        );
    }
    assert!(daemon.has_record("alice"));
    let status = mfa_ok(&bus, &["admin", "status", "alice"]);
    assert!(status.contains("methods: totp"), "{status}");
    assert!(
        !std::fs::read_to_string(daemon.state_dir().join("audit.log"))
            .unwrap_or_default()
            .contains("action=reset"),
        "no reset was even asked of the daemon"
    );
}

/// `mfa admin reset USER` on a pseudo-terminal (util-linux `script`), answering `answer`.
fn reset_on_a_terminal(bus: &Bus, user: &str, answer: &str) -> Output {
    let mut child = Command::new("script")
        .args(["--quiet", "--return", "--command"])
        .arg(format!(
            "'{}' admin reset {user}",
            build_once().mfa.display()
        ))
        .arg("/dev/null")
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env("DBUS_SYSTEM_BUS_ADDRESS", bus.address())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("script (util-linux)");
    use std::io::Write;
    let mut stdin = child.stdin.take().expect("stdin");
    let _ = stdin.write_all(answer.as_bytes());
    drop(stdin);
    child.wait_with_output().expect("script output")
}

#[test]
fn reset_on_a_terminal_shows_what_goes_and_asks() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    enroll(&bus, "alice");
    let out = reset_on_a_terminal(&bus, "alice", "n\n");
    assert!(!out.status.success(), "{}", output_text(&out));
    let text = stdout(&out);
    assert!(
        text.contains("alice: methods totp; locked: no; failures: 0") && text.contains("[y/N]"),
        "{}",
        output_text(&out)
    );
    assert!(text.contains("alice: not reset"), "{}", output_text(&out));
    assert!(daemon.has_record("alice"));
    let out = reset_on_a_terminal(&bus, "alice", "y\n");
    assert!(out.status.success(), "{}", output_text(&out));
    assert!(
        stdout(&out).contains("alice: reset"),
        "{}",
        output_text(&out)
    );
    assert!(!daemon.has_record("alice"));
}

#[test]
fn log_shows_a_right_and_a_wrong_login_without_the_codes() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    enroll(&bus, "alice");
    let pam = PamStack::new(&bus, &daemon);
    let right = right_code();
    let (rc, t) = pam.login("alice", &[&right]);
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", daemon.log());
    let wrong = a_wrong_code();
    let (rc, t) = pam.login("alice", &[&wrong]);
    assert_eq!(rc, codes::PAM_AUTH_ERR, "{t}\n{}", daemon.log());

    let log = mfa_ok(&bus, &["admin", "log"]);
    let lines: Vec<&str> = log.lines().collect();
    let granted = lines
        .iter()
        .position(|l| l.contains("outcome=granted"))
        .unwrap_or_else(|| panic!("granted login in the log:\n{log}"));
    let denied = lines
        .iter()
        .position(|l| l.contains("outcome=denied-wrong-code"))
        .unwrap_or_else(|| panic!("wrong login in the log:\n{log}"));
    assert!(granted < denied, "newest last:\n{log}");
    for i in [granted, denied] {
        let line = lines[i];
        for field in [
            " decision ",
            "user=alice",
            "service=mfa-test",
            "rhost=192.0.2.10",
            "method=totp",
            "caller_uid=0",
        ] {
            assert!(line.contains(field), "{field:?} in {line:?}");
        }
        // Readable: starts with the ISO-8601 UTC time.
        let time = line.split_whitespace().next().unwrap_or_default();
        assert!(
            time.len() == 20 && time.as_bytes()[10] == b'T' && time.ends_with('Z'),
            "{line:?}"
        );
    }
    let enrolled = lines
        .iter()
        .find(|l| l.contains(" admin ") && l.contains("action=enroll-totp"))
        .unwrap_or_else(|| panic!("the admin action in the log:\n{log}"));
    assert!(
        enrolled.contains("user=alice") && enrolled.contains("outcome=done"),
        "{enrolled}"
    );
    assert_no_code(&log, &right);
    assert_no_code(&log, &wrong);
    assert!(!log.contains(SECRET), "{log}");
    // The same decisions still go to the daemon's own log (stderr here, syslog in production).
    assert!(
        daemon.log().contains("decision user=alice"),
        "{}",
        daemon.log()
    );
}

#[test]
fn log_filtered_by_user_shows_only_that_user() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    enroll(&bus, "alice");
    enroll(&bus, "bob");
    let pam = PamStack::new(&bus, &daemon);
    assert_eq!(pam.login("alice", &[&right_code()]).0, codes::PAM_SUCCESS);
    assert_eq!(pam.login("bob", &[&right_code()]).0, codes::PAM_SUCCESS);
    assert_eq!(
        pam.login("alice", &[&a_wrong_code()]).0,
        codes::PAM_AUTH_ERR
    );
    assert_eq!(pam.login("bob", &[&a_wrong_code()]).0, codes::PAM_AUTH_ERR);

    let bob = mfa_ok(&bus, &["admin", "log", "bob"]);
    let lines: Vec<&str> = bob.lines().collect();
    assert_eq!(lines.len(), 3, "enroll + two logins:\n{bob}");
    assert!(
        lines.iter().all(|l| l.contains(" user=bob ")),
        "only bob:\n{bob}"
    );
    assert!(!bob.contains("alice"), "{bob}");
    assert!(lines[2].contains("outcome=denied-wrong-code"), "{bob}");

    let newest = mfa_ok(&bus, &["admin", "log", "bob", "--lines", "1"]);
    assert_eq!(newest.lines().count(), 1, "{newest}");
    assert!(newest.contains("user=bob") && newest.contains("outcome=denied-wrong-code"));
    let all = mfa_ok(&bus, &["admin", "log", "--lines", "100"]);
    assert_eq!(all.lines().count(), 6, "{all}");
    assert_eq!(
        mfa_ok(&bus, &["admin", "log", "--lines", "2"])
            .lines()
            .count(),
        2
    );

    let none = mfa_ok(&bus, &["admin", "log", "carol"]);
    assert_eq!(none, "no audit entries about carol\n");
    let out = mfa(&bus, &["admin", "log", "../etc/shadow"]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("not a valid user name"),
        "{}",
        output_text(&out)
    );
}

#[test]
fn the_audit_file_is_private_and_holds_no_code_or_secret() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    enroll(&bus, "alice");
    // A generated secret is shown once to the admin, never logged.
    let out = mfa_ok(&bus, &["admin", "enroll-totp", "bob"]);
    let generated = out
        .split("secret=")
        .nth(1)
        .and_then(|s| s.split('&').next())
        .expect("secret in the URI")
        .to_string();
    let backup_out = mfa_ok(&bus, &["admin", "backup-codes", "alice"]);
    let backup: Vec<String> = backup_out
        .lines()
        .map(str::trim)
        .filter(|l| l.len() == 11 && l.chars().all(|c| c.is_ascii_digit() || c == ' '))
        .map(str::to_string)
        .collect();
    assert_eq!(backup.len(), 10, "{backup_out}");
    let pam = PamStack::new(&bus, &daemon);
    let right = right_code();
    let wrong = a_wrong_code();
    assert_eq!(pam.login("alice", &[&right]).0, codes::PAM_SUCCESS);
    assert_eq!(pam.login("alice", &[&wrong]).0, codes::PAM_AUTH_ERR);
    assert_eq!(pam.login("alice", &[&backup[0]]).0, codes::PAM_SUCCESS);
    mfa_ok(&bus, &["admin", "unlock", "alice"]);
    mfa_ok(&bus, &["admin", "remove", "bob", "totp"]);
    mfa_ok(&bus, &["admin", "reset", "--yes", "alice"]);

    let path = daemon.state_dir().join("audit.log");
    let meta = std::fs::symlink_metadata(&path).expect("audit.log exists");
    assert!(meta.is_file());
    assert_eq!(meta.mode() & 0o7777, 0o600, "private");
    assert_eq!(meta.uid(), daemon.uid(), "owned by the daemon's user");
    let text = std::fs::read_to_string(&path).unwrap();
    for line in text.lines() {
        let entry = mfad::audit::record::Entry::parse(line)
            .unwrap_or_else(|| panic!("every line parses: {line:?}"));
        assert!(
            ["decision", "admin"].contains(&entry.kind.as_str()),
            "{line}"
        );
    }
    for action in ["enroll-totp", "backup-codes", "unlock", "remove", "reset"] {
        assert!(
            text.contains(&format!("\taction={action}\t")),
            "{action} recorded:\n{text}"
        );
    }
    assert!(text.contains("\tmethod=backup\toutcome=granted"), "{text}");
    for code in backup.iter().chain([&right, &wrong]) {
        assert_no_code(&text, code);
    }
    for secret in [SECRET, &generated] {
        assert!(!text.contains(secret), "secret leaked:\n{text}");
        assert!(!text.to_lowercase().contains(&secret.to_lowercase()));
    }
    // Nothing else of the record sits beside it.
    assert!(!daemon.state_dir().join("audit.log.1").exists());
}

#[test]
fn non_root_callers_are_refused() {
    assert!(
        unsafe { libc::geteuid() } == 0,
        "this test acts as another uid and must run as root"
    );
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    enroll(&bus, "alice");
    for args in [
        &["admin", "list"][..],
        &["admin", "log"],
        &["admin", "log", "alice"],
        &["admin", "reset", "--yes", "alice"],
    ] {
        let out = mfa_as_nobody(&bus, args);
        assert!(!out.status.success(), "{args:?}: {}", output_text(&out));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("only root may do this") && !err.contains("org.freedesktop"),
            "{args:?}: {}",
            output_text(&out)
        );
        assert!(out.stdout.is_empty(), "{args:?}: {}", output_text(&out));
    }
    assert!(daemon.has_record("alice"), "still enrolled");
    let list = mfa_ok(&bus, &["admin", "list"]);
    assert_eq!(list_row(&list, "alice").unwrap()[1], "totp", "{list}");
}

#[test]
fn the_daemon_refuses_and_records_non_root_callers_even_under_a_permissive_policy() {
    assert!(unsafe { libc::geteuid() } == 0, "must run as root");
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    enroll(&bus, "alice");
    // A mis-edited policy that lets everyone call Admin: the daemon must still say no.
    bus.allow_everyone_to_call("Admin");
    for args in [
        &["admin", "list"][..],
        &["admin", "log"],
        &["admin", "reset", "--yes", "alice"],
    ] {
        let out = mfa_as_nobody(&bus, args);
        assert!(!out.status.success(), "{args:?}: {}", output_text(&out));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("only root may do this") && !err.contains("org.freedesktop"),
            "refused by the daemon: {args:?}: {}",
            output_text(&out)
        );
    }
    assert!(daemon.has_record("alice"));
    let log = mfa_ok(&bus, &["admin", "log"]);
    for action in ["list", "log", "reset"] {
        assert!(
            log.lines().any(|l| l.contains(" admin ")
                && l.contains(&format!("action={action} "))
                && l.contains("caller_uid=65534")
                && l.contains("outcome=refused")),
            "refused {action} recorded:\n{log}"
        );
    }
}
