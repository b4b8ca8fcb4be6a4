//! `--json` output of `mfa status`, `mfa admin status`, `list` and `log`: the daemon's string
//! maps turned into typed objects with a `"schema": 1` version, documented field by field in
//! docs/json-output.md. Keys a newer daemon adds are left out until they are documented here
//! (a script must not see fields appear without a schema change); a value of the wrong type
//! fails the command rather than printing something a script would misread.

use serde::Serialize;
use std::collections::BTreeMap;

/// The version of every object printed with `--json`; raised on any incompatible change.
pub(crate) const SCHEMA: u32 = 1;

type Map = BTreeMap<String, String>;

/// One account as `mfa admin status --json` and each entry of `list --json` show it.
#[derive(Debug, Serialize)]
pub(crate) struct Account {
    user: String,
    methods: Vec<String>,
    locked: bool,
    delayed_until: Option<u64>,
    failures: u32,
    last_failure: Option<u64>,
    backup_codes_left: Option<u32>,
    totp: Option<Totp>,
    phone: Option<Phone>,
    push: Option<Push>,
}

#[derive(Debug, Serialize)]
struct Totp {
    algorithm: String,
    digits: u32,
    period: u32,
    enrolled_at: Option<u64>,
}

#[derive(Debug, Serialize)]
struct Phone {
    masked: String,
    verified_at: Option<u64>,
}

#[derive(Debug, Serialize)]
struct Push {
    gateway: String,
    enrolled_at: Option<u64>,
}

#[derive(Serialize)]
struct Versioned<T: Serialize> {
    schema: u32,
    #[serde(flatten)]
    body: T,
}

/// `mfa status --json`: the account plus what only its owner sees.
#[derive(Debug, Serialize)]
struct OwnStatus {
    #[serde(flatten)]
    account: Account,
    language: String,
    preferred: Vec<String>,
    last_login: Option<LastLogin>,
}

#[derive(Debug, Serialize)]
struct LastLogin {
    time: u64,
    service: String,
    rhost: Option<String>,
    method: String,
}

#[derive(Debug, Serialize)]
struct List {
    users: Vec<Account>,
    unreadable: Vec<Unreadable>,
}

#[derive(Debug, Serialize)]
struct Unreadable {
    user: String,
    error: String,
}

#[derive(Debug, Serialize)]
struct Log {
    entries: Vec<LogEntry>,
}

#[derive(Debug, Serialize)]
struct LogEntry {
    time: Option<u64>,
    time_utc: Option<String>,
    kind: Option<String>,
    fields: BTreeMap<String, String>,
    line: String,
}

/// A number from the daemon's map; absent is `None`, present but not a number is an error.
fn number<T: std::str::FromStr>(map: &Map, key: &str) -> Result<Option<T>, String> {
    map.get(key)
        .map(|v| {
            v.parse::<T>()
                .map_err(|_| format!("the daemon's {key} is not a number: {v:?}"))
        })
        .transpose()
}

/// A time in Unix seconds where 0 means "never".
fn time(map: &Map, key: &str) -> Result<Option<u64>, String> {
    Ok(number::<u64>(map, key)?.filter(|t| *t != 0))
}

fn list_of(map: &Map, key: &str) -> Vec<String> {
    map.get(key)
        .map(String::as_str)
        .unwrap_or("")
        .split(',')
        .filter(|m| !m.is_empty())
        .map(str::to_string)
        .collect()
}

fn text(map: &Map, key: &str) -> String {
    map.get(key).cloned().unwrap_or_default()
}

impl Account {
    pub(crate) fn from_status(map: &Map) -> Result<Account, String> {
        let totp = match map.get("totp.algorithm") {
            Some(algorithm) => Some(Totp {
                algorithm: algorithm.clone(),
                digits: number(map, "totp.digits")?.unwrap_or(0),
                period: number(map, "totp.period")?.unwrap_or(0),
                enrolled_at: time(map, "totp.enrolled_at")?,
            }),
            None => None,
        };
        let phone = match map.get("phone") {
            Some(masked) => Some(Phone {
                masked: masked.clone(),
                verified_at: time(map, "phone.verified_at")?,
            }),
            None => None,
        };
        let push = match map.get("push.gateway") {
            Some(gateway) => Some(Push {
                gateway: gateway.clone(),
                enrolled_at: time(map, "push.enrolled_at")?,
            }),
            None => None,
        };
        Ok(Account {
            user: text(map, "user"),
            methods: list_of(map, "methods"),
            locked: map.get("locked").is_some_and(|l| l == "yes"),
            delayed_until: time(map, "delayed_until")?,
            failures: number(map, "failures")?.unwrap_or(0),
            last_failure: time(map, "last_failure")?,
            backup_codes_left: number(map, "backup_codes_left")?,
            totp,
            phone,
            push,
        })
    }
}

fn versioned<T: Serialize>(body: T) -> Result<String, String> {
    let mut out = serde_json::to_string_pretty(&Versioned {
        schema: SCHEMA,
        body,
    })
    .map_err(|e| e.to_string())?;
    out.push('\n');
    Ok(out)
}

/// `mfa admin status USER --json`.
pub(crate) fn admin_status(map: &Map) -> Result<String, String> {
    versioned(Account::from_status(map)?)
}

/// `mfa status --json`.
pub(crate) fn own_status(map: &Map) -> Result<String, String> {
    let last_login = number::<u64>(map, "last_login.time")?.map(|time| LastLogin {
        time,
        service: text(map, "last_login.service"),
        rhost: map
            .get("last_login.rhost")
            .filter(|r| !r.is_empty() && *r != "-")
            .cloned(),
        method: text(map, "last_login.method"),
    });
    versioned(OwnStatus {
        account: Account::from_status(map)?,
        language: text(map, "language"),
        preferred: list_of(map, "preferred"),
        last_login,
    })
}

/// `mfa admin list --json`: readable records in `users`, the others in `unreadable`.
pub(crate) fn list(users: &BTreeMap<String, Map>) -> Result<String, String> {
    let mut list = List {
        users: Vec::new(),
        unreadable: Vec::new(),
    };
    for (user, status) in users {
        match status.get("error") {
            Some(error) => list.unreadable.push(Unreadable {
                user: user.clone(),
                error: error.clone(),
            }),
            None => list.users.push(Account::from_status(status)?),
        }
    }
    versioned(list)
}

/// `mfa admin log --json`: each audit line parsed; a line the CLI cannot parse keeps only
/// `line` (control characters replaced) with the other fields null or empty.
pub(crate) fn log(lines: &[String]) -> Result<String, String> {
    let entries = lines
        .iter()
        .map(|line| {
            let shown = super::render::render_log_line(line);
            match mfa_proto::audit_line::Entry::parse(line) {
                Some(e) => LogEntry {
                    time: Some(e.time),
                    time_utc: Some(mfa_proto::audit_line::iso8601(e.time)),
                    kind: Some(e.kind),
                    fields: e.fields.into_iter().collect(),
                    line: shown,
                },
                None => LogEntry {
                    time: None,
                    time_utc: None,
                    kind: None,
                    fields: BTreeMap::new(),
                    line: shown,
                },
            }
        })
        .collect();
    versioned(Log { entries })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> Map {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_status_map_becomes_typed_fields_with_the_schema_version() {
        let out = admin_status(&map(&[
            ("user", "alice"),
            ("methods", "totp,backup"),
            ("backup_codes_left", "7"),
            ("locked", "no"),
            ("delayed_until", "1796530740"),
            ("failures", "2"),
            ("last_failure", "1796530200"),
            ("totp.algorithm", "SHA1"),
            ("totp.digits", "6"),
            ("totp.period", "30"),
            ("totp.enrolled_at", "1796500000"),
            ("something.new", "x"),
        ]))
        .expect("valid");
        let v: serde_json::Value = serde_json::from_str(&out).expect("json");
        assert_eq!(v["schema"], 1);
        assert_eq!(v["methods"], serde_json::json!(["totp", "backup"]));
        assert_eq!(v["locked"], false);
        assert_eq!(v["delayed_until"], 1_796_530_740_u64);
        assert_eq!(v["failures"], 2);
        assert_eq!(v["totp"]["digits"], 6);
        assert!(v["phone"].is_null());
        assert!(v.get("something.new").is_none(), "{out}");
    }

    #[test]
    fn a_value_of_the_wrong_type_is_an_error_not_a_guess() {
        let err = admin_status(&map(&[("user", "a"), ("failures", "many")])).unwrap_err();
        assert!(err.contains("failures"), "{err}");
    }

    #[test]
    fn unreadable_records_are_listed_apart() {
        let users = BTreeMap::from([
            ("a".to_string(), map(&[("user", "a"), ("methods", "")])),
            (
                "b".to_string(),
                map(&[("user", "b"), ("error", "bad json")]),
            ),
        ]);
        let v: serde_json::Value =
            serde_json::from_str(&list(&users).expect("valid")).expect("json");
        assert_eq!(v["users"][0]["user"], "a");
        assert_eq!(v["unreadable"][0]["error"], "bad json");
    }

    #[test]
    fn a_foreign_log_line_keeps_only_its_text() {
        let good = mfa_proto::audit_line::format_line(1, "admin", &[("user", "a")]);
        let v: serde_json::Value =
            serde_json::from_str(&log(&[good, "junk\u{7}".into()]).expect("valid")).expect("json");
        assert_eq!(v["entries"][0]["fields"]["user"], "a");
        assert_eq!(v["entries"][0]["time_utc"], "1970-01-01T00:00:01Z");
        assert!(v["entries"][1]["time"].is_null());
        assert_eq!(v["entries"][1]["line"], "junk?");
    }
}
