//! Which store backend the harness's daemons use: `MFA_TEST_STORE=files` (the default, records
//! under the daemon's state dir) or `MFA_TEST_STORE=postgres` (`[store] kind = "postgres"`).
//!
//! With `postgres`, every daemon [`crate::Daemon`] starts whose config does not set `[store]`
//! itself gets a fresh database of its own on the shared server ([`crate::postgres::shared`]),
//! migrated with `mfad --migrate`, its URL and sealing key as mode-0600 files in the daemon's
//! temp dir owned by the daemon's uid. The `[store]` table is in the daemon's config file, so a
//! restart, a reload and the `mfa` CLI run with that config all reach the same database. The
//! database is dropped when the daemon is.
//!
//! Tests that are about the file backend itself are listed, with why, in
//! `tests/black_box_files_only.txt` ([`FILES_ONLY`]); `scripts/test.sh` skips them by name in the
//! postgres run, and a daemon started by one of them under `postgres` panics instead of
//! quietly passing.

use std::fs;
use std::os::unix::fs::{PermissionsExt, chown};
use std::path::Path;
use std::process::Command;

use crate::artifacts::build_once;
use crate::cli::output_text;
use crate::daemon::Daemon;
use crate::postgres::{self, Database};
use mfad::store::UserRecord;
use mfad::store::pg::row;
use mfad::store::pg::sealing::Keys;

/// The black-box tests that only mean something with the file backend: one `module::test`
/// per line, a reason after it; `#` starts a comment.
pub const FILES_ONLY: &str = include_str!("../black_box_files_only.txt");

/// The sealing key every test database uses (32 zero bytes: test data only).
const KEYS: &str = "k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";

fn keys() -> Keys {
    Keys::parse(KEYS).expect("the test key")
}

/// The backend `MFA_TEST_STORE` asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StoreBackend {
    Files,
    Postgres,
}

impl StoreBackend {
    /// `MFA_TEST_STORE`: unset, `""` or `files` is [`StoreBackend::Files`], `postgres` is
    /// [`StoreBackend::Postgres`]; anything else panics (a typo must not test the files again).
    pub fn current() -> StoreBackend {
        match std::env::var("MFA_TEST_STORE").as_deref() {
            Err(_) | Ok("" | "files") => StoreBackend::Files,
            Ok("postgres") => StoreBackend::Postgres,
            Ok(other) => panic!("MFA_TEST_STORE={other:?}: expected \"files\" or \"postgres\""),
        }
    }
}

/// The `module::test` names of [`FILES_ONLY`] with their reasons.
pub fn files_only_tests() -> Vec<(&'static str, &'static str)> {
    FILES_ONLY
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| match l.split_once(char::is_whitespace) {
            Some((name, why)) => (name, why.trim()),
            None => (l, ""),
        })
        .collect()
}

/// A daemon's own migrated database; dropped (with its connections) on drop.
pub struct PgStore {
    db: Database,
    /// The `[store]` table naming the URL and key files.
    pub toml: String,
}

impl Drop for PgStore {
    fn drop(&mut self) {
        let server = postgres::shared();
        let _ = server.try_psql(
            "postgres",
            &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.db.name),
        );
    }
}

impl PgStore {
    fn psql(&self, sql: &str) -> String {
        postgres::shared().psql(&self.db.name, sql)
    }
}

/// `s` as an SQL string literal.
fn sql_string(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// What the harness reads and writes of a daemon's store, from whichever backend it runs on.
impl Daemon {
    /// `user`'s stored record as text, None without one: the file `users/USER.toml`, or the
    /// row's record as JSON (its secrets sealed; the TOTP step is in a column of its own).
    pub fn stored_record(&self, user: &str) -> Option<String> {
        match self.pg_store() {
            None => fs::read_to_string(self.state_dir().join(format!("users/{user}.toml"))).ok(),
            Some(store) => {
                let out = store.psql(&format!(
                    "SELECT record::text FROM users WHERE name = {}",
                    sql_string(user)
                ));
                (!out.trim().is_empty()).then_some(out)
            }
        }
    }

    /// Whether `user` has a stored record.
    pub fn has_record(&self, user: &str) -> bool {
        self.stored_record(user).is_some()
    }

    /// Replaces `user`'s record with one the daemon cannot read: not TOML (and so is its synced
    /// copy, when the file store keeps them), or JSON that is not a record.
    pub fn corrupt_record(&self, user: &str) {
        match self.pg_store() {
            None => {
                for dir in ["users", "users-synced"] {
                    let dir = self.state_dir().join(dir);
                    if dir.is_dir() {
                        fs::write(dir.join(format!("{user}.toml")), "this is [not toml")
                            .expect("corrupt the record");
                    }
                }
            }
            Some(store) => {
                store.psql(&format!(
                    "INSERT INTO users (name, record) VALUES ({}, '\"not a record\"') \
                     ON CONFLICT (name) DO UPDATE SET record = EXCLUDED.record",
                    sql_string(user)
                ));
            }
        }
    }

    /// `user`'s record as the daemon reads it (secrets opened), None without one.
    pub fn read_record(&self, user: &str) -> Option<UserRecord> {
        match self.pg_store() {
            None => self
                .stored_record(user)
                .map(|text| toml::from_str(&text).expect("a record file")),
            Some(store) => {
                let out = store.psql(&format!(
                    "SELECT totp_last_step, record::text FROM users WHERE name = {}",
                    sql_string(user)
                ));
                let (step, json) = out.trim_end().split_once('|')?;
                let json = serde_json::from_str(json).expect("a record row");
                let step = step.parse().expect("totp_last_step");
                Some(row::from_row(&keys(), user, json, step).expect("a record that opens"))
            }
        }
    }

    /// Stores `record` as `user`'s, as the daemon would have saved it (secrets sealed in the
    /// database), e.g. in a format an older mfad wrote, which `mfad --migrate-store` carries
    /// into the database as it is.
    pub fn write_record(&self, user: &str, record: &UserRecord) {
        match self.pg_store() {
            None => {
                let users = self.state_dir().join("users");
                let temp = users.join(format!("{user}.harness-tmp"));
                let text = toml::to_string(record).expect("a record as TOML");
                fs::write(&temp, text).expect("write the record");
                fs::set_permissions(&temp, fs::Permissions::from_mode(0o600)).expect("chmod");
                fs::rename(&temp, users.join(format!("{user}.toml"))).expect("rename");
            }
            Some(store) => {
                let json = row::to_json(&keys(), user, record).expect("seal the record");
                let step = record.totp.as_ref().map_or(0, |t| t.last_step);
                store.psql(&format!(
                    "INSERT INTO users (name, record, totp_last_step) \
                     VALUES ({0}, {1}::jsonb, {step}) ON CONFLICT (name) DO UPDATE \
                     SET record = EXCLUDED.record, totp_last_step = EXCLUDED.totp_last_step",
                    sql_string(user),
                    sql_string(&json.to_string())
                ));
            }
        }
    }

    /// Sets the time a "first seen" marker holds (e.g. `enrollment-grace-start`), as the
    /// daemon would have stored it (stop the daemon first: it reads it at start).
    pub fn set_marker(&self, name: &str, unix: u64) {
        match self.pg_store() {
            None => fs::write(self.state_dir().join(name), unix.to_string()).expect("marker"),
            Some(store) => {
                store.psql(&format!(
                    "INSERT INTO markers (name, first_seen) VALUES ({0}, {unix}) \
                     ON CONFLICT (name) DO UPDATE SET first_seen = {unix}",
                    sql_string(name)
                ));
            }
        }
    }
}

/// True when `config_toml_extra` has a `[store]` table of its own (a fleet test's).
fn sets_store(config_toml_extra: &str) -> bool {
    config_toml_extra.lines().any(|l| l.trim() == "[store]")
}

/// With `MFA_TEST_STORE=postgres` and no `[store]` in the test's config: a fresh migrated
/// database for a daemon running as `uid`/`gid` whose scratch directory is `dir`. Panics when
/// the current test is listed in [`FILES_ONLY`].
pub fn for_daemon(dir: &Path, config_toml_extra: &str, uid: u32, gid: u32) -> Option<PgStore> {
    if StoreBackend::current() != StoreBackend::Postgres || sets_store(config_toml_extra) {
        return None;
    }
    if let Some((name, why)) = listed_files_only_test() {
        panic!("{name} is files-only ({why}): {SKIP_IT}");
    }
    let db = postgres::shared().database();
    let secret = |name: &str, text: &str| {
        let path = dir.join(name);
        fs::write(&path, text).expect("write store secret");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).expect("chmod");
        path
    };
    let (url, keys) = (secret("store-url", &db.url), secret("store-keys", KEYS));
    let toml = format!(
        "\n[store]\nkind = \"postgres\"\nurl_file = \"{}\"\nkey_file = \"{}\"\n",
        url.display(),
        keys.display()
    );
    let config = dir.join("store-migrate.toml");
    fs::write(&config, &toml).expect("write migrate config");
    fs::set_permissions(&config, fs::Permissions::from_mode(0o600)).expect("chmod");
    let out = Command::new(&build_once().mfad)
        .arg("--config")
        .arg(&config)
        .arg("--migrate")
        .output()
        .expect("run mfad --migrate");
    assert!(
        out.status.success(),
        "mfad --migrate: {}",
        output_text(&out)
    );
    // Migrated as root; the daemon reads them as its own uid (root or its own).
    for path in [&url, &keys] {
        chown(path, Some(uid), Some(gid)).expect("chown store secret");
    }
    Some(PgStore { db, toml })
}

const SKIP_IT: &str = "with MFA_TEST_STORE=postgres it is skipped by name \
     (tests/black_box_files_only.txt, scripts/test.sh)";

/// The current test's entry in [`FILES_ONLY`], if listed (libtest runs each test on a thread
/// named after it).
fn listed_files_only_test() -> Option<(&'static str, &'static str)> {
    let thread = std::thread::current();
    let name = thread.name()?;
    files_only_tests().into_iter().find(|(t, _)| *t == name)
}

/// For a files-only test that starts no daemon of the harness itself (one that runs a tool
/// that does): panics unless the test is listed in [`FILES_ONLY`], and under
/// `MFA_TEST_STORE=postgres`, so it never passes there without testing anything.
pub fn files_backend_only() {
    let thread = std::thread::current();
    let name = thread.name().unwrap_or("?");
    let Some((_, why)) = listed_files_only_test() else {
        panic!("{name}: list it in tests/black_box_files_only.txt, with why it is files-only");
    };
    if StoreBackend::current() == StoreBackend::Postgres {
        panic!("{name} is files-only ({why}): {SKIP_IT}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_files_only_list_parses_to_names_with_reasons() {
        for (name, why) in files_only_tests() {
            assert!(name.contains("::"), "{name}: module::test");
            assert!(!why.is_empty(), "{name}: say why it is files-only");
        }
    }

    #[test]
    fn a_store_table_of_the_tests_own_is_seen() {
        assert!(sets_store("[limits]\n[store]\nkind = \"postgres\"\n"));
        assert!(!sets_store("[limits]\nmax_failures = 3\n"));
    }
}
