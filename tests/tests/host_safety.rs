//! The module must be a good guest in sshd and sudo: no threads created in the host (sudo's
//! SIGCHLD handling breaks with them), and nothing left behind.

use mfa_tests::*;
use std::io::Write;
use std::process::{Command, Stdio};

const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

#[test]
fn a_whole_login_creates_no_thread_in_the_host_process() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    enroll_totp(&bus, "alice", SECRET, 6, "SHA1", 30);
    let pam = PamStack::new(&bus, &daemon);
    let trace = pam.dir().join("clone.trace");
    let dir = pam.dir().to_string_lossy().into_owned();
    let mut child = Command::new("strace")
        .args(["-f", "-e", "trace=clone,clone3,fork,vfork", "-o"])
        .arg(&trace)
        .arg(&build_once().mfa)
        .args([
            "test-login",
            "--pam-dir",
            &dir,
            "--service",
            pam.service(),
            "alice",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("strace (Debian package strace)");
    let code = oathtool_code(SECRET, "SHA1", 6, 30, None);
    if let Some(mut stdin) = child.stdin.take() {
        writeln!(stdin, "{code}").expect("write code");
    }
    let out = child.wait_with_output().expect("strace output");
    assert!(
        out.status.success(),
        "{}\n{}",
        output_text(&out),
        daemon.log()
    );
    let traced = std::fs::read_to_string(&trace).expect("trace file");
    let spawned: Vec<&str> = traced
        .lines()
        .filter(|l| l.contains("clone") || l.contains("fork("))
        .collect();
    assert!(
        spawned.is_empty(),
        "the login created threads or processes:\n{traced}"
    );
    assert!(
        traced.contains("exited with 0"),
        "the trace covered the run:\n{traced}"
    );
}
