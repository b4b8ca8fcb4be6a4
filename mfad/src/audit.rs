//! Every decision goes to syslog (facility authpriv), or to stderr with `--log-stderr` (tests,
//! or when no syslog socket exists). Only names and outcomes are logged: never a secret, never a
//! typed code.

use std::io::Write;
use std::sync::Mutex;
use syslog::{Facility, Formatter3164, LoggerBackend};

enum Sink {
    Syslog(syslog::Logger<LoggerBackend, Formatter3164>),
    Stderr,
}

pub struct Audit {
    sink: Mutex<Sink>,
}

/// One authentication decision.
pub struct Decision<'a> {
    pub user: &'a str,
    pub service: &'a str,
    pub rhost: &'a str,
    pub caller_uid: u32,
    pub method: &'a str,
    pub outcome: &'a str,
}

#[derive(Clone, Copy)]
pub enum Level {
    Info,
    Notice,
    Warning,
    Error,
}

impl Audit {
    pub fn open(to_stderr: bool) -> Audit {
        let sink = if to_stderr {
            Sink::Stderr
        } else {
            let formatter = Formatter3164 {
                facility: Facility::LOG_AUTHPRIV,
                hostname: None,
                process: "mfad".into(),
                pid: std::process::id(),
            };
            match syslog::unix(formatter) {
                Ok(logger) => Sink::Syslog(logger),
                Err(_) => Sink::Stderr,
            }
        };
        Audit {
            sink: Mutex::new(sink),
        }
    }

    pub fn decision(&self, d: &Decision) {
        let line = format!(
            "decision user={} service={} rhost={} caller_uid={} method={} outcome={}",
            clean(d.user),
            clean(d.service),
            clean(d.rhost),
            d.caller_uid,
            d.method,
            d.outcome
        );
        let level = if d.outcome == "granted" {
            Level::Info
        } else {
            Level::Notice
        };
        self.log(level, &line);
    }

    pub fn log(&self, level: Level, message: &str) {
        let Ok(mut sink) = self.sink.lock() else {
            return;
        };
        match &mut *sink {
            Sink::Syslog(logger) => {
                let _ = match level {
                    Level::Info => logger.info(message),
                    Level::Notice => logger.notice(message),
                    Level::Warning => logger.warning(message),
                    Level::Error => logger.err(message),
                };
            }
            Sink::Stderr => {
                let tag = match level {
                    Level::Info => "info",
                    Level::Notice => "notice",
                    Level::Warning => "warning",
                    Level::Error => "error",
                };
                let _ = writeln!(std::io::stderr(), "mfad[{tag}]: {message}");
            }
        }
    }
}

/// Values come from callers: no control characters, no spaces that would split the line, bounded.
fn clean(value: &str) -> String {
    if value.is_empty() {
        return "-".into();
    }
    value
        .chars()
        .take(128)
        .map(|c| {
            if c.is_control() || c.is_whitespace() || c == '=' {
                '?'
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caller_values_cannot_forge_log_fields() {
        assert_eq!(clean("alice outcome=granted\nx"), "alice?outcome?granted?x");
        assert_eq!(clean(""), "-");
        assert_eq!(clean(&"a".repeat(500)).len(), 128);
    }
}
