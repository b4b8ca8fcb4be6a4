//! Fail closed: no daemon, no bus, a hung daemon, a name owned by the wrong uid, or a bus
//! address smuggled in through the environment never let anyone in.

use mfa_tests::*;
use std::time::{Duration, Instant};

const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

#[test]
fn daemon_not_running_gives_authinfo_unavail_without_prompting() {
    let bus = Bus::start();
    let pam = PamStack::with_options(
        &bus,
        0,
        StackOptions {
            module_args: vec!["timeout=2".into()],
            ..Default::default()
        },
    );
    let started = Instant::now();
    let (rc, transcript) = pam.login("alice", &[]);
    assert_eq!(rc, codes::PAM_AUTHINFO_UNAVAIL, "{transcript}");
    assert!(transcript.prompts().is_empty());
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "returned within the timeout: {:?}",
        started.elapsed()
    );
}

#[test]
fn missing_bus_socket_gives_authinfo_unavail() {
    let bus = Bus::start();
    let dead = format!("unix:path={}/no-such-socket", bus.dir().display());
    let pam = PamStack::with_options(
        &bus,
        0,
        StackOptions {
            bus_address: Some(dead),
            ..Default::default()
        },
    );
    assert_eq!(pam.login("alice", &[]).0, codes::PAM_AUTHINFO_UNAVAIL);
}

#[test]
fn hung_daemon_times_out_with_authinfo_unavail() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    enroll_totp(&bus, "alice", SECRET, 6, "SHA1", 30);
    let pam = PamStack::with_args(&bus, &daemon, &["timeout=1"]);
    let pid = daemon.pid().expect("daemon pid") as i32;
    unsafe { libc::kill(pid, libc::SIGSTOP) };
    let started = Instant::now();
    let (rc, transcript) = pam.login("alice", &[]);
    let elapsed = started.elapsed();
    unsafe { libc::kill(pid, libc::SIGCONT) };
    assert_eq!(rc, codes::PAM_AUTHINFO_UNAVAIL, "{transcript}");
    assert!(
        elapsed < Duration::from_secs(4),
        "bounded by the module's timeout: {elapsed:?}"
    );
}

#[test]
fn name_owned_by_an_unexpected_uid_is_refused() {
    let bus = Bus::start_with_owner(65534);
    let daemon = Daemon::start_as(&bus, "", 65534, 65534);
    assert_eq!(bus.name_owner_uid(MFAD_BUS_NAME), Some(65534));
    // The module expects root as the owner; a daemon run by nobody must not be believed,
    // whatever it would answer.
    let pam = PamStack::with_options(
        &bus,
        daemon.uid(),
        StackOptions {
            daemon_uid: Some(0),
            ..Default::default()
        },
    );
    let (rc, transcript) = pam.login("alice", &["123456"]);
    assert_eq!(rc, codes::PAM_AUTHINFO_UNAVAIL, "{transcript}");
    assert!(
        transcript.prompts().is_empty(),
        "nothing asked of an impostor: {transcript}"
    );
}

#[test]
fn dbus_address_in_the_environment_is_ignored() {
    // A bus with a working daemon and an enrolled user, named only in the environment; the stack
    // has no bus= argument, so the module must use the fixed system socket and never this bus.
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    enroll_totp(&bus, "alice", SECRET, 6, "SHA1", 30);
    let module = &build_once().pam_module;
    let pam = PamStack::from_text(
        "envtest",
        &format!(
            "auth required {} daemon_uid={} nodelay\naccount required pam_permit.so\n",
            module.display(),
            daemon.uid()
        ),
    );
    let code = oathtool_code(SECRET, "SHA1", 6, 30, None);
    let dir = pam.dir().to_str().expect("utf-8 dir");
    let out = mfa_command()
        .env("DBUS_SYSTEM_BUS_ADDRESS", bus.address())
        .args([
            "test-login",
            "--pam-dir",
            dir,
            "--service",
            "envtest",
            "alice",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            if let Some(mut stdin) = child.stdin.take() {
                let _ = writeln!(stdin, "{code}");
            }
            child.wait_with_output()
        })
        .expect("run mfa test-login");
    assert!(!out.status.success(), "{}", output_text(&out));
    assert!(
        !daemon.log().contains("outcome=granted"),
        "the test bus was never used: {}",
        daemon.log()
    );
}

#[test]
fn bad_module_argument_fails_closed() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    let pam = PamStack::with_args(&bus, &daemon, &["failmode=sometimes"]);
    let (rc, _) = pam.login("alice", &["123456"]);
    assert_eq!(rc, codes::PAM_SERVICE_ERR);
}
