//! Errors a person can act on: when mfad is not there, when the bus is not there, or when a
//! non-root user calls an admin command, `mfa` says what is wrong and what to do, and never
//! shows the bus's internals (`org.freedesktop.DBus.Error.*`, the policy rule it matched).

use mfa_tests::*;
use std::process::{Command, Output, Stdio};

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `mfa ARGS…` as uid/gid 65534 (nobody), against `bus`, stdin not a tty.
fn mfa_as_nobody(bus: &Bus, args: &[&str]) -> Output {
    Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
        .arg(&build_once().mfa)
        .args(args)
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env("DBUS_SYSTEM_BUS_ADDRESS", bus.address())
        .stdin(Stdio::null())
        .output()
        .expect("setpriv mfa")
}

#[test]
fn mfa_status_without_a_daemon_says_mfad_is_not_running_and_how_to_start_it() {
    let bus = Bus::start();
    let out = mfa(&bus, &["status"]);
    let err = stderr(&out);
    assert!(!out.status.success(), "{}", output_text(&out));
    assert!(
        err.contains("mfad is not running: start it with `systemctl start mfad`")
            && err.contains("service mfad start"),
        "{}",
        output_text(&out)
    );
    assert!(!err.contains("org.freedesktop"), "{}", output_text(&out));
}

#[test]
fn admin_commands_without_a_daemon_say_mfad_is_not_running() {
    let bus = Bus::start();
    let out = mfa(&bus, &["admin", "list"]);
    let err = stderr(&out);
    assert!(!out.status.success(), "{}", output_text(&out));
    assert!(err.contains("mfad is not running"), "{}", output_text(&out));
    assert!(!err.contains("org.freedesktop"), "{}", output_text(&out));
}

#[test]
fn a_non_root_admin_call_says_only_root_may_and_not_the_policy_rule() {
    assert!(
        unsafe { libc::geteuid() } == 0,
        "this test acts as another uid and must run as root"
    );
    let bus = Bus::start();
    let _daemon = Daemon::start(&bus, "");
    for args in [&["admin", "list"][..], &["admin", "unlock", "alice"]] {
        let out = mfa_as_nobody(&bus, args);
        let err = stderr(&out);
        assert!(!out.status.success(), "{args:?}: {}", output_text(&out));
        assert_eq!(
            err.trim(),
            "mfa: only root may do this: run it with sudo",
            "{args:?}: {}",
            output_text(&out)
        );
    }
}

#[test]
fn no_system_bus_at_all_says_to_start_dbus() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = mfa_command()
        .arg("status")
        .env(
            "DBUS_SYSTEM_BUS_ADDRESS",
            format!("unix:path={}", dir.path().join("no_socket").display()),
        )
        .stdin(Stdio::null())
        .output()
        .expect("mfa");
    let err = stderr(&out);
    assert!(!out.status.success(), "{}", output_text(&out));
    assert!(
        err.contains("cannot reach the system bus") && err.contains("start dbus"),
        "{}",
        output_text(&out)
    );
    assert!(!err.contains("org.freedesktop"), "{}", output_text(&out));
}

const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

#[test]
fn the_same_right_code_twice_says_it_was_already_used_and_counts_as_a_failure() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    let pam = PamStack::new(&bus, &daemon);
    enroll_totp(&bus, "alice", SECRET, 6, "SHA1", 30);
    let code = oathtool_code(SECRET, "SHA1", 6, 30, None);
    let (rc, first) = pam.login("alice", &[&code]);
    assert_eq!(rc, codes::PAM_SUCCESS, "{first}\n{}", daemon.log());
    let (rc, again) = pam.login("alice", &[&code]);
    assert_eq!(rc, codes::PAM_AUTH_ERR, "{again}");
    assert!(
        again.contains("This code was already used: wait for the next code."),
        "{again}"
    );
    assert!(!again.contains("Wrong verification code."), "{again}");
    assert!(daemon.log().contains("outcome=denied-replayed"));
    let status = mfa(&bus, &["admin", "status", "alice"]);
    assert!(
        String::from_utf8_lossy(&status.stdout).contains("failures: 1"),
        "{}",
        output_text(&status)
    );
}

#[test]
fn a_wrong_code_still_says_wrong_not_already_used() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    let pam = PamStack::new(&bus, &daemon);
    enroll_totp(&bus, "alice", SECRET, 6, "SHA1", 30);
    let (rc, t) = pam.login("alice", &[&wrong_code(SECRET, "SHA1", 6, 30)]);
    assert_eq!(rc, codes::PAM_AUTH_ERR, "{t}");
    assert!(t.contains("Wrong verification code."), "{t}");
    assert!(!t.contains("already used"), "{t}");
}
