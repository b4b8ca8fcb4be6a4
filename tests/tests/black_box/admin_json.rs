//! `--json` of `mfa status`, `mfa admin status`, `list` and `log` through the real CLI, bus and
//! daemon, each parsed into typed structs that mirror docs/json-output.md exactly: every
//! documented field is required (present, possibly null) and an undocumented one is refused
//! (`deny_unknown_fields`), so a field added without documenting it fails here. And
//! `mfa admin status` shows times for people, with "delayed until" during a cooldown.

use mfa_tests::*;
use serde::Deserialize;
use serde::de::{DeserializeOwned, Deserializer};
use std::collections::BTreeMap;
use std::io::Write;
use std::process::{Command, Output, Stdio};

const SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
/// Two wrong codes start a ten-minute cooldown (and nothing locks).
const COOLDOWN_AFTER_TWO: &str =
    "[limits]\nmax_failures = 10\nfree_failures = 1\ndelay_base = 600\ndelay_max = 600\n";

/// A documented field that may be null but must be there (serde would take a missing
/// `Option` as null; the schema says the key is always present).
#[derive(Debug)]
struct Nullable<T>(Option<T>);

impl<'de, T: DeserializeOwned> Deserialize<'de> for Nullable<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match serde_json::Value::deserialize(d)? {
            serde_json::Value::Null => Ok(Nullable(None)),
            v => T::deserialize(v)
                .map(|t| Nullable(Some(t)))
                .map_err(serde::de::Error::custom),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Totp {
    algorithm: String,
    digits: u32,
    period: u32,
    enrolled_at: Nullable<u64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // the schema's shape is the check; no test enrolls a phone here
struct Phone {
    masked: String,
    verified_at: Nullable<u64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // the schema's shape is the check; no test enrolls push here
struct Push {
    gateway: String,
    enrolled_at: Nullable<u64>,
}

/// docs/json-output.md, "Account".
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Account {
    user: String,
    methods: Vec<String>,
    locked: bool,
    delayed_until: Nullable<u64>,
    failures: u32,
    last_failure: Nullable<u64>,
    backup_codes_left: Nullable<u32>,
    totp: Nullable<Totp>,
    phone: Nullable<Phone>,
    push: Nullable<Push>,
}

/// docs/json-output.md, `mfa admin status USER --json`: `schema` and an Account.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AdminStatus {
    schema: u32,
    user: String,
    methods: Vec<String>,
    locked: bool,
    delayed_until: Nullable<u64>,
    failures: u32,
    last_failure: Nullable<u64>,
    backup_codes_left: Nullable<u32>,
    totp: Nullable<Totp>,
    phone: Nullable<Phone>,
    push: Nullable<Push>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LastLogin {
    time: u64,
    service: String,
    rhost: Nullable<String>,
    method: String,
}

/// docs/json-output.md, `mfa status --json`: an AdminStatus plus the owner's fields.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OwnStatus {
    schema: u32,
    user: String,
    methods: Vec<String>,
    locked: bool,
    delayed_until: Nullable<u64>,
    failures: u32,
    last_failure: Nullable<u64>,
    backup_codes_left: Nullable<u32>,
    totp: Nullable<Totp>,
    phone: Nullable<Phone>,
    push: Nullable<Push>,
    language: String,
    preferred: Vec<String>,
    last_login: Nullable<LastLogin>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Unreadable {
    user: String,
    error: String,
}

/// docs/json-output.md, `mfa admin list --json`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct List {
    schema: u32,
    users: Vec<Account>,
    unreadable: Vec<Unreadable>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LogEntry {
    time: Nullable<u64>,
    time_utc: Nullable<String>,
    kind: Nullable<String>,
    fields: BTreeMap<String, String>,
    line: String,
}

/// docs/json-output.md, `mfa admin log --json`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Log {
    schema: u32,
    entries: Vec<LogEntry>,
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `mfa ARGS…` as root, which must succeed; returns stdout.
fn mfa_ok(bus: &Bus, args: &[&str]) -> String {
    let out = mfa(bus, args);
    assert!(out.status.success(), "mfa {args:?}: {}", output_text(&out));
    stdout(&out)
}

/// `mfa ARGS…` parsed as `T`; any schema mismatch fails with the output shown.
fn mfa_json<T: DeserializeOwned>(bus: &Bus, args: &[&str]) -> T {
    let text = mfa_ok(bus, args);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("mfa {args:?}: {e}\n{text}"))
}

/// `mfa ARGS…` run as `uid` (the daemon knows a caller by its uid).
fn mfa_as(uid: u32, bus: &Bus, args: &[&str]) -> Output {
    let mut cmd = as_user(uid, build_once().mfa.to_str().expect("utf-8 path"));
    cmd.args(args)
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env("DBUS_SYSTEM_BUS_ADDRESS", bus.address())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("run mfa as user");
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(b"");
    }
    child.wait_with_output().expect("mfa output")
}

fn right_code() -> String {
    oathtool_code(SECRET, "SHA1", 6, 30, None)
}

fn a_wrong_code() -> String {
    wrong_code(SECRET, "SHA1", 6, 30)
}

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// `2026-12-06 04:10 UTC` for a Unix time, by date(1), not by the code under test.
fn utc_minute(t: u64) -> String {
    let out = Command::new("date")
        .args(["-u", "-d", &format!("@{t}"), "+%Y-%m-%d %H:%M UTC"])
        .output()
        .expect("date");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[test]
fn admin_status_json_has_every_documented_field_and_no_other() {
    let bus = Bus::start();
    let _daemon = Daemon::start(&bus, "");
    enroll_totp(&bus, "alice", SECRET, 6, "SHA1", 30);
    mfa_ok(&bus, &["admin", "backup-codes", "alice"]);
    let before = unix_now();

    let status: AdminStatus = mfa_json(&bus, &["admin", "status", "alice", "--json"]);
    assert_eq!(status.schema, 1);
    assert_eq!(status.user, "alice");
    assert_eq!(status.methods, ["totp", "backup"]);
    assert!(!status.locked);
    assert!(status.delayed_until.0.is_none());
    assert_eq!(status.failures, 0);
    assert!(status.last_failure.0.is_none(), "0 = never is null");
    assert_eq!(status.backup_codes_left.0, Some(10));
    let totp = status.totp.0.expect("totp object");
    assert_eq!(
        (totp.algorithm.as_str(), totp.digits, totp.period),
        ("SHA1", 6, 30)
    );
    let enrolled = totp.enrolled_at.0.expect("enrolled_at");
    assert!(enrolled.abs_diff(before) < 120, "{enrolled} vs {before}");
    assert!(status.phone.0.is_none() && status.push.0.is_none());

    // Nobody enrolled: the same shape, empty.
    let nobody: AdminStatus = mfa_json(&bus, &["admin", "status", "nobody", "--json"]);
    assert!(
        nobody.methods.is_empty() && nobody.totp.0.is_none(),
        "{nobody:?}"
    );
}

#[test]
fn admin_list_json_lists_readable_accounts_and_unreadable_records_apart() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    let empty: List = mfa_json(&bus, &["admin", "list", "--json"]);
    assert!(empty.users.is_empty() && empty.unreadable.is_empty());
    enroll_totp(&bus, "alice", SECRET, 6, "SHA1", 30);
    enroll_totp(&bus, "bob", SECRET, 6, "SHA1", 30);
    let pam = PamStack::new(&bus, &daemon);
    pam.login("bob", &[&a_wrong_code()]);
    daemon.corrupt_record("carol");

    let list: List = mfa_json(&bus, &["admin", "list", "--json"]);
    assert_eq!(list.schema, 1);
    let names: Vec<&str> = list.users.iter().map(|a| a.user.as_str()).collect();
    assert_eq!(names, ["alice", "bob"], "{list:?}");
    for account in &list.users {
        assert_eq!(account.methods, ["totp"]);
        assert!(!account.locked && account.delayed_until.0.is_none());
        assert!(account.totp.0.is_some() && account.backup_codes_left.0.is_none());
        assert!(account.phone.0.is_none() && account.push.0.is_none());
    }
    assert_eq!(list.users[0].failures, 0);
    assert_eq!(list.users[1].failures, 1);
    assert!(list.users[1].last_failure.0.is_some());
    assert_eq!(list.unreadable.len(), 1, "{list:?}");
    assert_eq!(list.unreadable[0].user, "carol");
    assert!(!list.unreadable[0].error.is_empty());
}

#[test]
fn admin_log_json_has_one_parsed_entry_per_audit_line() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    enroll_totp(&bus, "alice", SECRET, 6, "SHA1", 30);
    let pam = PamStack::new(&bus, &daemon);
    let (rc, t) = pam.login("alice", &[&right_code()]);
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}");

    let log: Log = mfa_json(&bus, &["admin", "log", "alice", "--json"]);
    assert_eq!(log.schema, 1);
    let text = mfa_ok(&bus, &["admin", "log", "alice"]);
    assert_eq!(log.entries.len(), text.lines().count(), "{text}");
    for entry in &log.entries {
        let time = entry.time.0.expect("a daemon line parses");
        assert_eq!(entry.time_utc.0.as_deref(), Some(iso(time).as_str()));
        assert_eq!(entry.fields.get("user").map(String::as_str), Some("alice"));
        assert!(text.contains(&entry.line), "{} not in\n{text}", entry.line);
    }
    let granted = log
        .entries
        .iter()
        .find(|e| e.fields.get("outcome").map(String::as_str) == Some("granted"))
        .unwrap_or_else(|| panic!("no granted decision: {log:?}"));
    assert_eq!(granted.kind.0.as_deref(), Some("decision"));
    assert_eq!(
        granted.fields.get("method").map(String::as_str),
        Some("totp")
    );

    let none: Log = mfa_json(&bus, &["admin", "log", "nobody", "--json"]);
    assert!(
        none.entries.is_empty(),
        "an empty log is an empty list: {none:?}"
    );
}

/// `2023-11-14T22:13:20Z`, by date(1).
fn iso(t: u64) -> String {
    let out = Command::new("date")
        .args(["-u", "-d", &format!("@{t}"), "+%Y-%m-%dT%H:%M:%SZ"])
        .output()
        .expect("date");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

#[test]
fn own_status_json_has_every_documented_field_and_no_other() {
    let user = "mfa-json-own";
    let uid = ensure_user(user);
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    enroll_totp(&bus, user, SECRET, 6, "SHA1", 30);
    let pam = PamStack::new(&bus, &daemon);
    let (rc, t) = pam.login(user, &[&right_code()]);
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", daemon.log());

    let out = mfa_as(uid, &bus, &["status", "--json"]);
    assert!(out.status.success(), "{}", output_text(&out));
    let text = stdout(&out);
    let status: OwnStatus = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert_eq!(status.schema, 1);
    assert_eq!(status.user, user);
    assert_eq!(status.methods, ["totp"]);
    assert_eq!(status.preferred, ["totp"]);
    assert_eq!(status.language, "en");
    assert!(!status.locked && status.failures == 0 && status.delayed_until.0.is_none());
    assert!(status.totp.0.is_some() && status.backup_codes_left.0.is_none());
    assert!(status.phone.0.is_none() && status.push.0.is_none());
    assert!(status.last_failure.0.is_none());
    let last = status.last_login.0.expect("a login happened");
    assert!(last.time.abs_diff(unix_now()) < 120);
    assert_eq!(last.method, "totp");
    assert!(!last.service.is_empty());
    assert_eq!(last.rhost.0.as_deref(), Some("192.0.2.10"));
}

#[test]
fn a_delayed_account_shows_until_when_in_words_and_in_json() {
    let user = "mfa-json-delay";
    let uid = ensure_user(user);
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, COOLDOWN_AFTER_TWO);
    enroll_totp(&bus, user, SECRET, 6, "SHA1", 30);
    let pam = PamStack::new(&bus, &daemon);
    pam.login(user, &[&a_wrong_code()]);
    pam.login(user, &[&a_wrong_code()]);
    let after = unix_now();

    let status: AdminStatus = mfa_json(&bus, &["admin", "status", user, "--json"]);
    assert!(!status.locked, "a cooldown is not a lock");
    assert_eq!(status.failures, 2);
    let until = status
        .delayed_until
        .0
        .expect("delayed_until during the cooldown");
    assert!(
        until > after && until <= after + 600,
        "{until} is the last failure + 600 s (now {after})"
    );
    let last_failure = status.last_failure.0.expect("last_failure");
    assert_eq!(until, last_failure + 600);

    let text = mfa_ok(&bus, &["admin", "status", user]);
    let locked = text
        .lines()
        .find(|l| l.starts_with("locked: "))
        .unwrap_or_else(|| panic!("no locked line:\n{text}"));
    let expected = format!("locked: no, delayed until {} (in ", utc_minute(until));
    assert!(locked.starts_with(&expected), "{locked:?} vs {expected:?}");
    // 600 s ahead: "in 9 min" or "in 10 min" (less only on a very slow run).
    let minutes = locked
        .strip_prefix(expected.as_str())
        .and_then(|rest| rest.strip_suffix(" min)"))
        .and_then(|n| n.parse::<u64>().ok());
    assert!(matches!(minutes, Some(1..=10)), "{locked}");
    let failure_line = format!("last_failure: {} (", utc_minute(last_failure));
    assert!(text.contains(&failure_line), "{failure_line:?} in\n{text}");
    assert!(text.contains(" ago)\n"), "how long ago:\n{text}");
    assert!(
        !text.contains(&until.to_string()),
        "no raw Unix seconds:\n{text}"
    );
    assert!(
        !text.contains(&last_failure.to_string()),
        "no raw Unix seconds:\n{text}"
    );

    // The user sees it too, in words and in JSON.
    let own = mfa_as(uid, &bus, &["status"]);
    let own = stdout(&own);
    let refused = format!("Codes refused until: {} (in ", utc_minute(until));
    assert!(own.contains(&refused), "{refused:?} in\n{own}");
    let own = stdout(&mfa_as(uid, &bus, &["status", "--json"]));
    let own: OwnStatus = serde_json::from_str(&own).unwrap_or_else(|e| panic!("{e}\n{own}"));
    assert_eq!(own.delayed_until.0, Some(until));

    // After an unlock the cooldown is gone from both.
    mfa_ok(&bus, &["admin", "unlock", user]);
    let status: AdminStatus = mfa_json(&bus, &["admin", "status", user, "--json"]);
    assert!(status.delayed_until.0.is_none(), "{status:?}");
    assert!(!mfa_ok(&bus, &["admin", "status", user]).contains("delayed"));
}
