//! The orchestrator's side of the driver processes: spawns them, hands each its share of a
//! batch, releases them together once all are ready (the start barrier) and collects results.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use crate::protocol::{self, BatchHeader, Job, LoginResult};

struct Driver {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

/// What one batch measured over all drivers.
pub struct BatchOutcome {
    pub results: Vec<LoginResult>,
    /// From the first driver's start to the last one's end (one monotonic clock).
    pub wall_ns: u64,
    /// Threads each driver had before its first login of the batch.
    pub tasks_before: Vec<usize>,
}

pub struct Pool {
    drivers: Vec<Driver>,
}

impl Driver {
    fn line(&mut self) -> Result<String, String> {
        let mut line = String::new();
        match self.stdout.read_line(&mut line) {
            Ok(0) => Err("a driver process ended early (see its stderr above)".into()),
            Ok(_) => Ok(line.trim_end().to_string()),
            Err(e) => Err(format!("reading a driver: {e}")),
        }
    }

    fn send(&mut self, text: &str) -> Result<(), String> {
        writeln!(self.stdin, "{text}")
            .and_then(|()| self.stdin.flush())
            .map_err(|e| format!("writing to a driver: {e}"))
    }
}

impl Pool {
    /// `count` driver processes: this same program with `--driver`.
    pub fn spawn(count: usize) -> Result<Pool, String> {
        let exe = std::env::current_exe().map_err(|e| format!("own path: {e}"))?;
        let drivers = (0..count)
            .map(|_| {
                let mut child = Command::new(&exe)
                    .arg("--driver")
                    .stdin(Stdio::piped())
                    .stdout(Stdio::piped())
                    .stderr(Stdio::inherit())
                    .spawn()
                    .map_err(|e| format!("cannot start a driver: {e}"))?;
                let stdin = child.stdin.take().ok_or("driver stdin")?;
                let stdout = BufReader::new(child.stdout.take().ok_or("driver stdout")?);
                Ok(Driver {
                    child,
                    stdin,
                    stdout,
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        Ok(Pool { drivers })
    }

    /// Runs `jobs` (dealt round-robin to the drivers) with the service in `header`.
    pub fn run(&mut self, header: &BatchHeader, jobs: &[Job]) -> Result<BatchOutcome, String> {
        let n = self.drivers.len();
        let mut tasks_before = Vec::with_capacity(n);
        for (d, driver) in self.drivers.iter_mut().enumerate() {
            let share: Vec<&Job> = jobs.iter().skip(d).step_by(n).collect();
            let mut text = protocol::encode_header(&BatchHeader {
                jobs: share.len(),
                ..header.clone()
            })?;
            for job in share {
                text.push('\n');
                text.push_str(&protocol::encode_job(job)?);
            }
            driver.send(&text)?;
        }
        for driver in &mut self.drivers {
            let ready = driver.line()?;
            let tasks = protocol::decode_numbers(&ready, "ready")
                .and_then(|v| v.first().copied())
                .ok_or_else(|| format!("driver said {ready:?}, not ready"))?;
            tasks_before.push(tasks as usize);
        }
        for driver in &mut self.drivers {
            driver.send("go")?;
        }
        let mut results = Vec::with_capacity(jobs.len());
        let (mut first_start, mut last_end) = (u64::MAX, 0u64);
        for driver in &mut self.drivers {
            loop {
                let line = driver.line()?;
                if let Some(r) = protocol::decode_result(&line) {
                    results.push(r);
                    continue;
                }
                match protocol::decode_numbers(&line, "done").as_deref() {
                    Some(&[start, end]) => {
                        first_start = first_start.min(start);
                        last_end = last_end.max(end);
                        break;
                    }
                    _ => return Err(format!("driver said {line:?}")),
                }
            }
        }
        Ok(BatchOutcome {
            results,
            wall_ns: last_end.saturating_sub(first_start),
            tasks_before,
        })
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        for driver in &mut self.drivers {
            let _ = driver.send("quit");
        }
        for driver in &mut self.drivers {
            let _ = driver.child.wait();
        }
    }
}
