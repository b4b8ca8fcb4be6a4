//! Running the real `mfa` CLI.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use crate::artifacts::build_once;
use crate::bus::Bus;

/// `target/debug/mfa` with a clean D-Bus environment (stdin, stdout and stderr left to the
/// caller). Set `DBUS_SYSTEM_BUS_ADDRESS` yourself, or use [`mfa`].
pub fn mfa_command() -> Command {
    let mut cmd = Command::new(&build_once().mfa);
    cmd.env_remove("DBUS_SYSTEM_BUS_ADDRESS")
        .env_remove("DBUS_SESSION_BUS_ADDRESS");
    cmd
}

/// Runs `mfa ARGS…` against `bus` with stdin closed (not a tty) and returns its output.
pub fn mfa(bus: &Bus, args: &[&str]) -> Output {
    mfa_with_input(Some(bus), args, "")
}

/// `mfa ARGS…` as uid/gid 65534 (nobody), against `bus`, stdin not a tty.
pub fn mfa_as_nobody(bus: &Bus, args: &[&str]) -> Output {
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

/// Runs `mfa ARGS…` with `input` on stdin (a pipe, not a tty), against `bus` if given.
pub fn mfa_with_input(bus: Option<&Bus>, args: &[&str], input: &str) -> Output {
    let mut cmd = mfa_command();
    cmd.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(bus) = bus {
        cmd.env("DBUS_SYSTEM_BUS_ADDRESS", bus.address());
    }
    let mut child = cmd.spawn().expect("cannot run mfa");
    let mut stdin = child.stdin.take().expect("piped stdin");
    // The CLI may exit before reading everything; a broken pipe is not the test's concern.
    let _ = stdin.write_all(input.as_bytes());
    drop(stdin);
    child.wait_with_output().expect("mfa output")
}

/// Status, stdout and stderr of a finished command, for assertion messages.
pub fn output_text(out: &Output) -> String {
    format!(
        "status: {}\n--- stdout ---\n{}--- stderr ---\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}
