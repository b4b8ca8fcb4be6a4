//! A fleet on one PostgreSQL (`[store] kind = "postgres"`): several real daemons, each on its
//! own private bus (its own "host"), one database from tests/src/postgres.rs. Enroll once, log
//! in everywhere; a code, a lock and a budget hold fleet-wide; a database that is down fails
//! the logins closed, promptly, and the daemon goes on once it is back.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::process::Command;
use std::time::{Duration, Instant};

use mfa_tests::postgres::{self, Server};
use mfa_tests::*;

use crate::fleet_setup::{Fleet, mfad_command, migrated_fleet};

const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

fn code() -> String {
    oathtool_code(SECRET, "SHA1", 6, 30, None)
}

#[test]
fn a_user_enrolled_through_one_host_logs_in_on_another_and_the_code_is_then_used_everywhere() {
    let (_db, fleet) = migrated_fleet("");
    let (bus_a, daemon_a, pam_a) = fleet.host();
    let (_bus_b, daemon_b, pam_b) = fleet.host();
    enroll_totp(&bus_a, "alice", SECRET, 6, "SHA1", 30);
    let code = code();
    let (rc, t) = pam_b.login("alice", &[&code]);
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", daemon_b.log());
    let (rc, t) = pam_a.login("alice", &[&code]);
    assert_eq!(
        rc,
        codes::PAM_AUTH_ERR,
        "the same code on host A is a replay: {t}"
    );
    assert!(
        daemon_a.log().contains("outcome=denied-replayed"),
        "{}",
        daemon_a.log()
    );
}

#[test]
fn ten_daemons_on_one_database_accept_one_right_code_once_of_64_tries() {
    let (_db, fleet) = migrated_fleet("");
    let hosts: Vec<(Bus, Daemon, PamStack)> = (0..10).map(|_| fleet.host()).collect();
    enroll_totp(&hosts[0].0, "racer", SECRET, 6, "SHA1", 30);
    let code = code();
    let granted = std::thread::scope(|s| {
        let tries: Vec<_> = (0..64)
            .map(|i| {
                let pam = &hosts[i % hosts.len()].2;
                let code = &code;
                s.spawn(move || pam.login("racer", &[code]).0)
            })
            .collect();
        tries
            .into_iter()
            .map(|t| t.join())
            .filter(|rc| matches!(rc, Ok(rc) if *rc == codes::PAM_SUCCESS))
            .count()
    });
    let logs: String = hosts.iter().map(|h| h.1.log()).collect();
    assert_eq!(granted, 1, "exactly one accept across the fleet\n{logs}");
}

#[test]
fn an_account_locked_through_one_host_is_refused_on_another() {
    let (_db, fleet) = migrated_fleet("[limits]\nmax_failures = 2\nfree_failures = 2\n");
    let (bus_a, _daemon_a, pam_a) = fleet.host();
    let (_bus_b, daemon_b, pam_b) = fleet.host();
    enroll_totp(&bus_a, "alice", SECRET, 6, "SHA1", 30);
    let wrong = wrong_code(SECRET, "SHA1", 6, 30);
    assert_eq!(pam_a.login("alice", &[&wrong]).0, codes::PAM_AUTH_ERR);
    assert_eq!(pam_a.login("alice", &[&wrong]).0, codes::PAM_MAXTRIES);
    let (rc, t) = pam_b.login("alice", &[&code()]);
    assert_eq!(rc, codes::PAM_MAXTRIES, "{t}\n{}", daemon_b.log());
}

#[test]
fn a_database_that_is_down_fails_logins_closed_promptly_and_they_work_again_when_it_is_back() {
    let server = Server::private();
    let db = server.database();
    let fleet = Fleet::on(&db.url, "");
    assert!(fleet.migrate().0);
    let (bus, mut daemon, _) = fleet.host();
    // failmode=open lets a login through only when the daemon cannot be reached; a daemon
    // that answers "unavailable" keeps it closed.
    let pam = PamStack::with_args(&bus, &daemon, &["failmode=open"]);
    enroll_totp(&bus, "alice", SECRET, 6, "SHA1", 30);
    server.stop();
    for _ in 0..3 {
        let began = Instant::now();
        let (rc, t) = pam.login("alice", &[&code()]);
        assert_eq!(rc, codes::PAM_AUTHINFO_UNAVAIL, "{t}\n{}", daemon.log());
        let took = began.elapsed();
        assert!(
            took < Duration::from_secs(4),
            "{took:?}: bounded by [store] timeout"
        );
    }
    assert!(daemon.is_running(), "{}", daemon.log());
    assert!(
        daemon.log().contains("the database is unreachable"),
        "{}",
        daemon.log()
    );
    server.start();
    let back = wait_for_success(&pam, Duration::from_secs(15));
    assert!(
        back,
        "logins work again once the database is back\n{}",
        daemon.log()
    );
}

fn wait_for_success(pam: &PamStack, within: Duration) -> bool {
    let began = Instant::now();
    while began.elapsed() < within {
        if pam.login("alice", &[&code()]).0 == codes::PAM_SUCCESS {
            return true;
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    false
}

#[test]
fn a_dump_of_the_fleets_database_reveals_no_seed() {
    let (db, fleet) = migrated_fleet("");
    let (bus, _daemon, _pam) = fleet.host();
    enroll_totp(&bus, "alice", SECRET, 6, "SHA1", 30);
    let dump = postgres::shared().psql(&db.name, "SELECT * FROM users");
    assert!(dump.contains("alice"), "{dump}");
    // The seed in base32, and its raw bytes ("1234567890" twice) as text and hex.
    for seed in [SECRET, "12345678901234567890", "3132333435363738393031"] {
        assert!(!dump.contains(seed), "{seed} in {dump}");
    }
}

#[test]
fn migrating_twice_changes_nothing_and_a_daemon_refuses_an_unmigrated_database() {
    let db = postgres::shared().database();
    let fleet = Fleet::on(&db.url, "");
    let bus = Bus::start();
    let refused = match Daemon::try_start(&bus, &fleet.store_toml) {
        Ok(_) => panic!("a daemon started on a database that was never migrated"),
        Err(e) => e,
    };
    assert!(refused.contains("run mfad --migrate"), "{refused}");
    let (ok, first) = fleet.migrate();
    assert!(ok && first.contains("applied migration 1"), "{first}");
    let (ok, second) = fleet.migrate();
    assert!(ok && second.contains("nothing to do"), "{second}");
    let daemon = Daemon::start(&bus, &fleet.store_toml);
    assert!(daemon.log().contains("ready"), "{}", daemon.log());
}

#[test]
fn a_hosts_files_move_to_the_database_once_and_its_users_then_log_in_on_the_fleet() {
    let (_db, fleet) = migrated_fleet("");
    let bus = Bus::start();
    // A host on files, whatever store the other tests' daemons use (MFA_TEST_STORE).
    const ON_FILES: &str = "[store]\nkind = \"files\"\n";
    let mut daemon = Daemon::start(&bus, ON_FILES);
    enroll_totp(&bus, "alice", SECRET, 6, "SHA1", 30);
    daemon.stop();
    let config = daemon.config_path().to_path_buf();
    let files_only = fs::read_to_string(&config)
        .expect("config")
        .replace(ON_FILES, "");
    fs::write(&config, format!("{files_only}\n{}", fleet.store_toml)).expect("config");
    let run = |extra: &[&str]| {
        let out = Command::new(&build_once().mfad)
            .arg("--config")
            .arg(&config)
            .args(["--migrate-store", "--from", "files", "--to", "postgres"])
            .args(extra)
            .output()
            .expect("run mfad");
        assert!(out.status.success(), "{}", output_text(&out));
        output_text(&out)
    };
    let dry = run(&["--dry-run"]);
    assert!(dry.contains("1 copied") && dry.contains("dry run"), "{dry}");
    let real = run(&[]);
    assert!(
        real.contains("1 copied"),
        "{real}: the dry run wrote nothing"
    );
    let config_arg = config.to_str().expect("utf-8");
    let through_cli = mfa(
        &bus,
        &[
            "admin",
            "migrate-store",
            "--from",
            "files",
            "--to",
            "postgres",
            "--config",
            config_arg,
        ],
    );
    let again = output_text(&through_cli);
    assert!(through_cli.status.success(), "{again}");
    assert!(
        again.contains("0 copied, 1 already there"),
        "mfa admin runs it: {again}"
    );
    let rotated = mfa(&bus, &["admin", "rotate-key", "--config", config_arg]);
    let said = output_text(&rotated);
    assert!(
        rotated.status.success() && said.contains("1 user row(s)"),
        "{said}"
    );
    // Another host of the fleet, which never saw the files, knows alice now.
    let (_bus_b, daemon_b, pam_b) = fleet.host();
    let (rc, t) = pam_b.login("alice", &[&code()]);
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", daemon_b.log());
}

#[test]
fn check_config_refuses_a_remote_database_in_plain_text_naming_the_key_and_line() {
    let fleet = Fleet::on("postgres://mfad:hunter2@db.example/mfa", "");
    let config = fleet.dir.path().join("remote.toml");
    fs::write(&config, &fleet.store_toml).expect("config");
    fs::set_permissions(&config, fs::Permissions::from_mode(0o600)).expect("chmod");
    let (ok, said) = mfad_command(&config, "--check-config");
    assert!(!ok, "{said}");
    assert!(
        said.contains("store.url_file") && said.contains("line 3"),
        "{said}"
    );
    assert!(
        said.contains("ca_file") && !said.contains("hunter2"),
        "{said}"
    );
}
