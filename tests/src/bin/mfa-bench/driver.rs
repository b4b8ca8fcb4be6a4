//! The driver process: runs the logins it is sent, one PAM transaction each
//! (`pam_start` → `pam_authenticate` → `pam_end`, like sshd or sudo), and reports each one's
//! time and the threads the process had afterwards. Single-threaded, so any extra thread was
//! made by a PAM module.

use std::io::{BufRead, Write};

use mfa_tests::pam_app::{self, Conversation, Style};

use crate::procfs::{monotonic_ns, own_threads};
use crate::protocol::{self, BatchHeader, Job, Kind, LoginResult};
use crate::totp::{DIGITS, PERIOD, hotp, wrong_code};

/// Answers every prompt with the one code (pam_permit asks nothing).
struct CodeAnswer(String);

impl Conversation for CodeAnswer {
    fn prompt(&mut self, style: Style, _text: &str) -> Option<String> {
        Some(if style.is_prompt() {
            self.0.clone()
        } else {
            String::new()
        })
    }
}

fn now_step() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
        / PERIOD
}

/// One login. The code and the GA state reset happen before the clock starts.
fn login(header: &BatchHeader, job: &Job) -> Result<LoginResult, String> {
    let step = now_step();
    let code = match header.kind {
        Kind::Right => hotp(&job.secret, step, DIGITS),
        Kind::Wrong => wrong_code(&job.secret, step),
    };
    if let Some((template, live)) = &job.reset {
        std::fs::copy(template, live)
            .map_err(|e| format!("reset {} from {}: {e}", live.display(), template.display()))?;
    }
    let mut conv = CodeAnswer(code);
    let request = pam_app::Request {
        service: &header.service,
        user: &job.user,
        confdir: Some(&header.confdir),
        rhost: Some("192.0.2.10"),
        tty: Some("ssh"),
    };
    let start = monotonic_ns();
    let outcome = pam_app::authenticate(&request, &mut conv, false);
    let nanos = monotonic_ns() - start;
    Ok(LoginResult {
        code: outcome.code,
        nanos,
        tasks_after: own_threads(),
    })
}

fn read_line(input: &mut impl BufRead) -> Result<Option<String>, String> {
    let mut line = String::new();
    match input.read_line(&mut line) {
        Ok(0) => Ok(None),
        Ok(_) => Ok(Some(line.trim_end().to_string())),
        Err(e) => Err(format!("driver stdin: {e}")),
    }
}

/// Serves batches until `quit` or the end of input.
pub fn serve() -> Result<(), String> {
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let mut out = std::io::stdout().lock();
    let io = |e: std::io::Error| format!("driver stdout: {e}");
    while let Some(line) = read_line(&mut input)? {
        if line == "quit" {
            break;
        }
        let header =
            protocol::decode_header(&line).ok_or_else(|| format!("bad batch line {line:?}"))?;
        let mut jobs = Vec::with_capacity(header.jobs);
        for _ in 0..header.jobs {
            let line = read_line(&mut input)?.ok_or("input ended inside a batch")?;
            jobs.push(protocol::decode_job(&line).ok_or_else(|| format!("bad job {line:?}"))?);
        }
        writeln!(out, "ready {}", own_threads()).map_err(io)?;
        out.flush().map_err(io)?;
        if read_line(&mut input)?.as_deref() != Some("go") {
            return Err("expected go".into());
        }
        let start = monotonic_ns();
        let mut results = Vec::with_capacity(jobs.len());
        for job in &jobs {
            results.push(login(&header, job)?);
        }
        let end = monotonic_ns();
        for r in &results {
            writeln!(out, "{}", protocol::encode_result(r)).map_err(io)?;
        }
        writeln!(out, "done {start} {end}").map_err(io)?;
        out.flush().map_err(io)?;
    }
    Ok(())
}
