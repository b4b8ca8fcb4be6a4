//! A screen locker (or its daemon) started by a test: in a process group of its own, its output
//! kept in a file, the whole group killed on drop so nothing outlives the test.

use std::fs;
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus};
use std::time::Duration;

use tempfile::TempDir;

use crate::wait::try_wait_for;

pub struct Locker {
    what: String,
    child: Child,
    dir: TempDir,
    /// The test's own account the locker runs as: whatever still runs as it at the end was
    /// started by this test (xsecurelock's helpers leave the tree as daemons).
    account_uid: Option<u32>,
}

impl Locker {
    /// Spawns `command` (already set up: user, environment) as `what` ("i3lock").
    pub fn spawn(what: &str, mut command: Command) -> Locker {
        let dir = tempfile::Builder::new()
            .prefix("mfa-locker-")
            .tempdir()
            .expect("temp dir for the locker's output");
        let log = fs::File::create(dir.path().join("output.log")).expect("locker log");
        let child = command
            .stdout(log.try_clone().expect("dup log"))
            .stderr(log)
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {what}: {e}"));
        Locker {
            what: what.to_string(),
            child,
            dir,
            account_uid: None,
        }
    }

    /// As [`Locker::spawn`] for a program run as `uid`, an account of this test alone: on drop
    /// every process of that account goes too.
    pub fn spawn_as(what: &str, command: Command, uid: u32) -> Locker {
        let mut locker = Locker::spawn(what, command);
        locker.account_uid = Some(uid).filter(|&uid| uid != 0);
        locker
    }

    /// Its exit status once it ended (None while it runs).
    pub fn exited(&mut self) -> Option<ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    /// Waits up to `timeout` for it to end.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<ExitStatus> {
        try_wait_for(timeout, || self.exited())
    }

    /// What it printed so far.
    pub fn output(&self) -> String {
        fs::read_to_string(self.output_path()).unwrap_or_default()
    }

    fn output_path(&self) -> PathBuf {
        self.dir.path().join("output.log")
    }

    /// True when a child process of it runs `program` (xscreensaver's dialog, `xscreensaver-auth`).
    pub fn has_child(&self, program: &str) -> bool {
        let me = self.child.id().to_string();
        let Ok(entries) = fs::read_dir("/proc") else {
            return false;
        };
        entries.flatten().any(|entry| {
            let stat = fs::read_to_string(entry.path().join("stat")).unwrap_or_default();
            // "pid (comm) state ppid …": comm may hold spaces, so split after its ')'.
            let Some((name, rest)) = stat.split_once(" (").and_then(|(_, r)| r.rsplit_once(") "))
            else {
                return false;
            };
            name == program && rest.split(' ').nth(1) == Some(me.as_str())
        })
    }

    /// "i3lock (pid 42)" for messages.
    pub fn name(&self) -> String {
        format!("{} (pid {})", self.what, self.child.id())
    }
}

/// `(pid, parent pid)` of every process.
fn parents() -> Vec<(u32, u32)> {
    let Ok(entries) = fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|entry| {
            let pid = entry.file_name().to_str()?.parse().ok()?;
            let stat = fs::read_to_string(entry.path().join("stat")).ok()?;
            let (_, rest) = stat.rsplit_once(") ")?;
            Some((pid, rest.split(' ').nth(1)?.parse().ok()?))
        })
        .collect()
}

/// The processes whose real uid is `uid`.
fn processes_of(uid: u32) -> Vec<u32> {
    let Ok(entries) = fs::read_dir("/proc") else {
        return Vec::new();
    };
    let wanted = uid.to_string();
    entries
        .flatten()
        .filter_map(|entry| {
            let pid = entry.file_name().to_str()?.parse().ok()?;
            let status = fs::read_to_string(entry.path().join("status")).ok()?;
            let real = status.lines().find_map(|l| l.strip_prefix("Uid:"))?;
            (real.split_whitespace().next() == Some(wanted.as_str())).then_some(pid)
        })
        .collect()
}

/// `root` and all its descendants.
fn tree(root: u32) -> Vec<u32> {
    let all = parents();
    let mut found = vec![root];
    let mut at = 0;
    while at < found.len() {
        let parent = found[at];
        found.extend(
            all.iter()
                .filter(|(_, pp)| *pp == parent)
                .map(|(pid, _)| *pid),
        );
        at += 1;
    }
    found
}

impl Drop for Locker {
    fn drop(&mut self) {
        // Its process group, and every descendant that made a group of its own (xscreensaver
        // puts each of its helpers in one).
        let mut pids = tree(self.child.id());
        if let Some(uid) = self.account_uid {
            pids.extend(processes_of(uid));
        }
        for pid in pids.iter().filter_map(|p| libc::pid_t::try_from(*p).ok()) {
            // SAFETY: signalling processes this test started (and their groups).
            unsafe {
                libc::kill(-pid, libc::SIGKILL);
                libc::kill(pid, libc::SIGKILL);
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
