//! `mfa test-login` on a real pseudo-terminal: a password prompt turns echo off (newlines still
//! echo), and the terminal is put back as it was both after an answer and after Ctrl-C.
//! Needs pam_unix.so (Debian's essential libpam-modules), which prompts "Password: ".

// This harness waits on a real child process behind a real terminal: real time is what it needs.
#![allow(clippy::disallowed_methods)]

use std::fs;
use std::io::Read;
use std::os::fd::OwnedFd;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use nix::fcntl::{FcntlArg, OFlag, fcntl};
use nix::pty::openpty;
use nix::sys::termios::{LocalFlags, tcgetattr};

const DEADLINE: Duration = Duration::from_secs(20);

/// A PAM stack `t` with only pam_unix in a private directory, removed when dropped.
struct PamDir(PathBuf);

impl PamDir {
    fn new(name: &str) -> PamDir {
        let dir = std::env::temp_dir().join(format!("mfa-cli-echo-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        fs::write(dir.join("t"), "auth required pam_unix.so\n")
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        PamDir(dir)
    }
}

impl Drop for PamDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// `mfa test-login` with the pseudo-terminal as its controlling terminal and stdio.
struct OnTerminal {
    master: fs::File,
    child: Child,
    seen: String,
}

impl OnTerminal {
    fn start(pam: &PamDir) -> OnTerminal {
        let pty = openpty(None, None).unwrap_or_else(|e| panic!("openpty: {e}"));
        let slave: OwnedFd = pty.slave;
        let io = |fd: &OwnedFd| Stdio::from(fd.try_clone().unwrap_or_else(|e| panic!("{e}")));
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_mfa"));
        cmd.args([
            "test-login",
            "--service",
            "t",
            "--no-account",
            "nobody",
            "--pam-dir",
        ])
        .arg(&pam.0)
        .stdin(io(&slave))
        .stdout(io(&slave))
        .stderr(io(&slave));
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            cmd.pre_exec(|| {
                nix::unistd::setsid()?;
                if libc::ioctl(0, libc::TIOCSCTTY, 0) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = cmd.spawn().unwrap_or_else(|e| panic!("mfa: {e}"));
        drop(cmd);
        drop(slave);
        let master = fs::File::from(pty.master);
        let flags = fcntl(&master, FcntlArg::F_GETFL).unwrap_or_else(|e| panic!("{e}"));
        let nonblocking = OFlag::from_bits_truncate(flags) | OFlag::O_NONBLOCK;
        fcntl(&master, FcntlArg::F_SETFL(nonblocking)).unwrap_or_else(|e| panic!("{e}"));
        OnTerminal {
            master,
            child,
            seen: String::new(),
        }
    }

    fn wait_for_output(&mut self, text: &str) {
        let start = Instant::now();
        let mut buf = [0u8; 1024];
        while !self.seen.contains(text) {
            assert!(start.elapsed() < DEADLINE, "no {text:?} in {:?}", self.seen);
            match self.master.read(&mut buf) {
                Ok(n) if n > 0 => self.seen.push_str(&String::from_utf8_lossy(&buf[..n])),
                _ => std::thread::sleep(Duration::from_millis(20)),
            }
        }
    }

    /// What is left to read once the program has ended (EIO or nothing more ends it).
    fn read_the_rest(&mut self) {
        let mut buf = [0u8; 1024];
        while let Ok(n) = self.master.read(&mut buf) {
            if n == 0 {
                break;
            }
            self.seen.push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    }

    fn echo_flags(&self) -> (bool, bool) {
        let t = tcgetattr(&self.master).unwrap_or_else(|e| panic!("tcgetattr: {e}"));
        (
            t.local_flags.contains(LocalFlags::ECHO),
            t.local_flags.contains(LocalFlags::ECHONL),
        )
    }

    fn type_bytes(&mut self, bytes: &[u8]) {
        let n = nix::unistd::write(&self.master, bytes).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(n, bytes.len());
    }

    fn wait_for_exit(&mut self) -> ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap_or_else(|e| panic!("{e}")) {
                self.read_the_rest();
                return status;
            }
            if start.elapsed() > DEADLINE {
                let _ = self.child.kill();
                panic!("mfa test-login did not end; saw {:?}", self.seen);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

#[test]
fn a_password_prompt_turns_echo_off_and_an_answer_turns_it_back_on() {
    let pam = PamDir::new("answer");
    let mut term = OnTerminal::start(&pam);
    term.wait_for_output("Password: ");
    assert_eq!(
        term.echo_flags(),
        (false, true),
        "echo off, newline still echoed"
    );
    term.type_bytes(b"not-the-password\n");
    let status = term.wait_for_exit();
    assert_eq!(status.code(), Some(1), "{:?}", term.seen);
    assert_eq!(term.echo_flags(), (true, false), "the terminal as it was");
    assert!(term.seen.contains("PAM_AUTH_ERR"), "{:?}", term.seen);
    assert!(!term.seen.contains("not-the-password"), "{:?}", term.seen);
}

#[test]
fn ctrl_c_at_a_password_prompt_puts_echo_back_and_ends_by_the_signal() {
    let pam = PamDir::new("interrupt");
    let mut term = OnTerminal::start(&pam);
    term.wait_for_output("Password: ");
    assert_eq!(term.echo_flags(), (false, true));
    term.type_bytes(b"\x03");
    let status = term.wait_for_exit();
    assert_eq!(status.signal(), Some(libc::SIGINT), "{status:?}");
    assert_eq!(term.echo_flags(), (true, false), "the terminal as it was");
}
