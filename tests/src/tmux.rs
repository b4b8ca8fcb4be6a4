//! A program in a real pseudo-terminal (tmux), typed at and read like a person would.

use std::process::Command;
use std::time::Duration;

use crate::wait::try_wait_for;

/// Each terminal has its own tmux server (`-L`): with one shared server, one test
/// killing the last session stops the server under another test's `new-session`
/// ("server exited unexpectedly").
pub struct Tmux {
    name: String,
}

impl Tmux {
    /// Starts `command` (a shell command line) in a new detached 200×50 session.
    pub fn start(command: &str) -> Tmux {
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let name = format!("mfa-test-{}-{n}", std::process::id());
        let ok = tmux(&name)
            .args(["new-session", "-d", "-s", &name, "-x", "200", "-y", "50"])
            .arg(format!("{command}; echo EXIT=$?; sleep 30"))
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "tmux new-session (Debian package tmux)");
        Tmux { name }
    }

    /// What the terminal shows now (with scrollback).
    pub fn screen(&self) -> String {
        tmux(&self.name)
            .args(["capture-pane", "-p", "-J", "-S", "-200", "-t", &self.name])
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .unwrap_or_default()
    }

    /// Waits until the screen contains `text`; panics with the screen after `secs`.
    pub fn wait_for(&self, text: &str, secs: u64) -> String {
        try_wait_for(Duration::from_secs(secs), || {
            Some(self.screen()).filter(|screen| screen.contains(text))
        })
        .unwrap_or_else(|| panic!("waited for {text:?}; the screen shows:\n{}", self.screen()))
    }

    /// Types `text` and Enter.
    pub fn type_line(&self, text: &str) {
        let ok = tmux(&self.name)
            .args(["send-keys", "-t", &self.name, "-l", text])
            .status()
            .is_ok_and(|s| s.success());
        let enter = tmux(&self.name)
            .args(["send-keys", "-t", &self.name, "Enter"])
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok && enter, "tmux send-keys");
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = tmux(&self.name).arg("kill-server").status();
    }
}

/// `tmux` talking to this terminal's own server.
fn tmux(name: &str) -> Command {
    let mut command = Command::new("tmux");
    command.args(["-L", name]);
    command
}
