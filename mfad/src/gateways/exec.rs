//! `kind = "exec"`: runs a program directly (no shell), each argument a template filled in on
//! its own, so `;`, `$(...)` and quotes in the text reach the program as they are. The program
//! gets an empty environment but `PATH`, `/` as its directory, the stdin template on its
//! standard input, and no output channel to us. It runs in its own process group, which is
//! killed at the timeout.
//!
//! Exit status: 0 sent; 65 (`EX_DATAERR`) the number is wrong; 77 (`EX_NOPERM`) refused as
//! fraud or policy; 78 (`EX_CONFIG`) configuration; anything else, a signal or the timeout:
//! passing.

use std::process::Stdio;
use std::time::Duration;

use nix::sys::signal::{Signal, killpg};
use nix::unistd::Pid;
use tokio::io::AsyncWriteExt;
use tokio::process::Command;

use super::outcome::Outcome;
use crate::config::{ExecGateway, templates};

const PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

pub(super) struct Exec {
    config: ExecGateway,
}

impl Exec {
    pub fn new(config: &ExecGateway) -> Self {
        Exec {
            config: config.clone(),
        }
    }

    pub async fn send_sms(
        &self,
        timeout: Duration,
        to: &str,
        message: &str,
        code: &str,
    ) -> Outcome {
        let phone = self.config.phone_format.apply(to);
        let values = [
            ("phone", phone.as_str()),
            ("message", message),
            ("code", code),
        ];
        let argv: Vec<String> = self
            .config
            .argv
            .iter()
            .map(|a| templates::render(a, &values))
            .collect();
        let stdin_text = templates::render(&self.config.stdin, &values);
        let Some((program, args)) = argv.split_first() else {
            return Outcome::ConfigOrAuth("argv is empty".to_owned());
        };
        let mut command = Command::new(program);
        command
            .args(args)
            .env_clear()
            .env("PATH", PATH)
            .current_dir("/")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .kill_on_drop(true);
        let mut child = match command.spawn() {
            Ok(c) => c,
            Err(e) => {
                return Outcome::ConfigOrAuth(format!("cannot run {program}: {}", e.kind()));
            }
        };
        let pid = child.id();
        let mut stdin = child.stdin.take();
        let run = async {
            if let Some(mut pipe) = stdin.take() {
                // A program that does not read its input may close it early: not an error.
                let _ = pipe.write_all(stdin_text.as_bytes()).await;
                let _ = pipe.shutdown().await;
            }
            child.wait().await
        };
        let status = tokio::time::timeout(timeout, run).await;
        match status {
            Ok(Ok(status)) => match status.code() {
                Some(0) => Outcome::Accepted { id: String::new() },
                Some(65) => Outcome::RecipientPermanent("exit status 65: number refused".into()),
                Some(77) => Outcome::FraudOrPolicy("exit status 77: refused by policy".into()),
                Some(78) => Outcome::ConfigOrAuth("exit status 78: configuration error".into()),
                Some(n) => Outcome::Transient(format!("exit status {n}")),
                None => Outcome::Transient("killed by a signal".to_owned()),
            },
            Ok(Err(e)) => Outcome::Transient(format!("cannot wait for {program}: {}", e.kind())),
            Err(_) => {
                kill_group(pid);
                // Reap it (kill_on_drop would too, but without waiting).
                let _ = child.kill().await;
                Outcome::Transient(format!("killed at the timeout ({} s)", timeout.as_secs()))
            }
        }
    }
}

/// SIGKILL to the process group the child leads, so its own children die with it.
fn kill_group(pid: Option<u32>) {
    if let Some(pid) = pid.and_then(|p| i32::try_from(p).ok())
        && pid > 0
    {
        let _ = killpg(Pid::from_raw(pid), Signal::SIGKILL);
    }
}
