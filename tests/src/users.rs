//! Real local accounts for tests that act as a user (the daemon names a caller by its uid).

use std::process::Command;

/// The uid of `name`, creating the account (no home, no password) the first time.
pub fn ensure_user(name: &str) -> u32 {
    let lookup = || {
        Command::new("id")
            .args(["-u", name])
            .output()
            .ok()
            .filter(|o| o.status.success())
            .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
    };
    if let Some(uid) = lookup() {
        return uid;
    }
    // Parallel tests may race to create the same account: whoever loses finds it created.
    let _ = Command::new("useradd")
        .args(["-M", "-s", "/bin/sh", name])
        .status();
    lookup().unwrap_or_else(|| panic!("cannot create test user {name}"))
}

/// A command run as `uid` (its own gid), for a caller the bus sees as that user.
pub fn as_user(uid: u32, program: &str) -> Command {
    let mut cmd = Command::new("setpriv");
    cmd.args([
        &format!("--reuid={uid}"),
        &format!("--regid={uid}"),
        "--clear-groups",
        "--",
    ])
    .arg(program);
    cmd
}
