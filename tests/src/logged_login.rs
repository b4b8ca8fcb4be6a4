//! A login whose module log lines the test can read. There is no syslog daemon in the test
//! environment, so the login runs in `mfa test-login` under pam_wrapper, whose `pam_syslog`
//! prints each line on stderr as `PWRAP_…[prog (pid)] - SYSLOG(<priority>): <text>` instead.
//! The module and libpam are the real ones; pam_wrapper only reads the stack from the
//! [`PamStack`]'s directory (`PAM_WRAPPER_SERVICE_DIR`), as sshd_e2e does.

use std::io::{Read, Write};
use std::process::{Child, ChildStdin, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::cli::mfa_command;
use crate::pam::PamStack;
use crate::wait::try_wait_for;

/// The finished login: the CLI's verdict, what it printed and what the module logged.
#[derive(Debug, Clone)]
pub struct LoggedOutcome {
    /// `mfa test-login` exits 0 only when the stack returned PAM_SUCCESS.
    pub success: bool,
    pub stdout: String,
    /// `(priority, text)` of every `pam_syslog` call, in order.
    pub syslog: Vec<(i32, String)>,
    pub stderr: String,
}

impl LoggedOutcome {
    /// True when the CLI reported this PAM code name (e.g. `PAM_AUTHINFO_UNAVAIL`).
    pub fn reported(&self, code_name: &str) -> bool {
        self.stdout.contains(&format!("{code_name}, "))
    }

    /// The log lines containing `needle`.
    pub fn log_lines(&self, needle: &str) -> Vec<&(i32, String)> {
        self.syslog
            .iter()
            .filter(|(_, t)| t.contains(needle))
            .collect()
    }
}

/// `mfa test-login` running the stack's service for `user`, answering from stdin.
pub struct LoggedLogin {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
}

fn drain(mut from: impl Read + Send + 'static) -> Arc<Mutex<String>> {
    let text = Arc::new(Mutex::new(String::new()));
    let sink = text.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = from.read(&mut buf) {
            if n == 0 {
                break;
            }
            let chunk = String::from_utf8_lossy(&buf[..n]).into_owned();
            sink.lock().expect("output").push_str(&chunk);
        }
    });
    text
}

impl LoggedLogin {
    /// Starts the login (PAM_RHOST 192.0.2.10, PAM_TTY ssh, like [`PamStack::login`]).
    pub fn start(pam: &PamStack, user: &str) -> LoggedLogin {
        let mut child = mfa_command()
            .args(["test-login", "--service", pam.service()])
            .args(["--rhost", "192.0.2.10", "--tty", "ssh", user])
            .env("LD_PRELOAD", "libpam_wrapper.so")
            .env("PAM_WRAPPER", "1")
            .env("PAM_WRAPPER_SERVICE_DIR", pam.dir())
            // 2 = errors, warnings and debug: every syslog priority from LOG_EMERG to LOG_DEBUG.
            .env("PAM_WRAPPER_DEBUGLEVEL", "2")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run mfa test-login under pam_wrapper");
        let stdout = drain(child.stdout.take().expect("piped stdout"));
        let stderr = drain(child.stderr.take().expect("piped stderr"));
        LoggedLogin {
            stdin: child.stdin.take(),
            child,
            stdout,
            stderr,
        }
    }

    /// Waits until the login printed `text` (a prompt); panics with the output after 20 s.
    pub fn wait_for(&self, text: &str) {
        let shown = try_wait_for(Duration::from_secs(20), || {
            self.stdout
                .lock()
                .expect("stdout")
                .contains(text)
                .then_some(())
        });
        assert!(
            shown.is_some(),
            "waited for {text:?}; stdout:\n{}\nstderr:\n{}",
            self.stdout.lock().expect("stdout"),
            self.stderr.lock().expect("stderr")
        );
    }

    /// Types one answer.
    pub fn type_line(&mut self, line: &str) {
        if let Some(stdin) = self.stdin.as_mut() {
            // The login may already be over; a broken pipe is then not the test's concern.
            let _ = writeln!(stdin, "{line}");
        }
    }

    /// Closes stdin, waits for the end (at most 60 s) and collects everything.
    pub fn finish(mut self) -> LoggedOutcome {
        self.stdin = None;
        let status = try_wait_for(Duration::from_secs(60), || {
            self.child.try_wait().ok().flatten()
        })
        .unwrap_or_else(|| {
            let _ = self.child.kill();
            panic!("mfa test-login did not finish");
        });
        // The drain threads end at EOF, right after the process exits.
        std::thread::sleep(Duration::from_millis(50));
        let stdout = self.stdout.lock().expect("stdout").clone();
        let stderr = self.stderr.lock().expect("stderr").clone();
        LoggedOutcome {
            success: status.success(),
            syslog: syslog_lines(&stderr),
            stdout,
            stderr,
        }
    }
}

/// A whole login answered with `answers` in order.
pub fn login_logged(pam: &PamStack, user: &str, answers: &[&str]) -> LoggedOutcome {
    let mut login = LoggedLogin::start(pam, user);
    for answer in answers {
        login.type_line(answer);
    }
    login.finish()
}

/// `… SYSLOG(4): text` → `(4, "text")`.
fn syslog_lines(stderr: &str) -> Vec<(i32, String)> {
    stderr
        .lines()
        .filter_map(|line| {
            let rest = &line[line.find("SYSLOG(")? + "SYSLOG(".len()..];
            let (priority, text) = rest.split_once("): ")?;
            Some((priority.parse().ok()?, text.to_string()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pam_wrapper_syslog_lines_are_parsed() {
        let err = "PWRAP_DEBUG[mfa (12)] - pwrap_load_lib_handle: Opened x\n\
                   PWRAP_WARN[mfa (12)] - SYSLOG(4): failmode=open: user=a\n";
        assert_eq!(
            syslog_lines(err),
            vec![(4, "failmode=open: user=a".to_string())]
        );
    }
}
