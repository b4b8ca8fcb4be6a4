//! Every decision goes to syslog (facility authpriv), or to stderr with `--log-stderr` (tests,
//! or when no syslog socket exists). Decisions and admin actions also go to the daemon's own
//! record, `<state_dir>/audit.log` ([`record`]), which `mfa admin log` reads back. Only names and
//! outcomes are logged: never a secret, never a typed code.

pub mod limit;
pub mod line_id;
pub mod pending;
pub mod record;

use record::{RecordFile, clean};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use syslog::{Facility, Formatter3164, LoggerBackend};

enum Sink {
    Syslog(syslog::Logger<LoggerBackend, Formatter3164>),
    Stderr,
}

pub struct Audit {
    sink: Mutex<Sink>,
    /// The record file; `None` when the state directory was unusable at start (the daemon then
    /// refuses to start anyway).
    record: Mutex<Option<Files>>,
    record_dir: Option<PathBuf>,
    /// The last append failed (reported once until an append works again).
    record_failing: std::sync::atomic::AtomicBool,
}

/// Root callers' lines go to `audit.log`; other callers' lines, rate-limited, to
/// `audit-user.log`, so a user's noise can never rotate root's records away.
struct Files {
    root: RecordFile,
    user: RecordFile,
    limiter: limit::Limiter,
}

impl Files {
    fn open(dir: &Path) -> std::io::Result<Files> {
        Ok(Files {
            root: RecordFile::with_limit(dir, test_knobs::max_bytes(record::MAX_BYTES))?,
            user: RecordFile::open_user(dir, test_knobs::max_bytes(record::USER_MAX_BYTES))?,
            limiter: limit::Limiter::default(),
        })
    }

    /// Writes `line` for a caller (`None`: the daemon itself, or root).
    fn append(&mut self, caller_uid: Option<u32>, now: u64, line: &str) -> std::io::Result<()> {
        let Some(uid) = caller_uid.filter(|&uid| uid != 0) else {
            return self.root.append(line);
        };
        let (admitted, closed) = self.limiter.admit(uid, now);
        for (uid, lines) in closed {
            let (uid, lines) = (uid.to_string(), lines.to_string());
            let summary = record::format_line(
                now,
                "suppressed",
                &[("caller_uid", &uid), ("lines", &lines)],
            );
            self.user.append(&summary)?;
        }
        if admitted {
            self.user.append(line)?;
        }
        Ok(())
    }
}

/// Debug builds only: knobs the black-box tests turn through the environment.
mod test_knobs {
    /// `MFAD_TEST_AUDIT_MAX_BYTES` replaces the rotation size (release builds: never).
    pub fn max_bytes(default: u64) -> u64 {
        if cfg!(debug_assertions) {
            std::env::var("MFAD_TEST_AUDIT_MAX_BYTES")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(default)
        } else {
            default
        }
    }
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

/// One change (or refused attempt) through the Admin interface.
pub struct AdminAction<'a> {
    /// What was asked: `enroll-totp`, `import-totp`, `backup-codes`, `unlock`, `remove`, `reset`,
    /// or for a refused caller the name of the call.
    pub action: &'a str,
    /// The user acted on ("" when none).
    pub user: &'a str,
    /// The method concerned ("" when none).
    pub method: &'a str,
    pub caller_uid: u32,
    /// `done`, `failed` or `refused` (never an error text: it might quote an argument).
    pub outcome: &'a str,
}

#[derive(Clone, Copy)]
pub enum Level {
    Info,
    Notice,
    Warning,
    Error,
    /// Someone must act now (a user reported a sign-in as not theirs).
    Alert,
}

impl Audit {
    /// Syslog (or stderr), plus the record in `state_dir` when that directory is ours and
    /// private (otherwise the record is off and the reason logged).
    pub fn open(to_stderr: bool, state_dir: &Path) -> Audit {
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
        let mut audit = Audit {
            sink: Mutex::new(sink),
            record: Mutex::new(None),
            record_dir: None,
            record_failing: std::sync::atomic::AtomicBool::new(false),
        };
        let opened = crate::private_files::check_private_dir(state_dir).and_then(|()| {
            Files::open(state_dir)
                .map_err(|e| format!("{}: {e}", state_dir.join(record::FILE_NAME).display()))
        });
        match opened {
            Ok(file) => {
                audit.record = Mutex::new(Some(file));
                audit.record_dir = Some(state_dir.to_path_buf());
            }
            Err(e) => audit.log(Level::Error, &format!("no audit record: {e}")),
        }
        audit
    }

    /// Where the record lives (for reading it back), if it is kept.
    pub fn record_dir(&self) -> Option<&Path> {
        self.record_dir.as_deref()
    }

    /// Appends one line to the record: `kind` (lowercase letters and `-`, e.g. `decision`,
    /// `admin`, `enroll`) and `key=value` fields, values cleaned. Never pass a secret or a code.
    /// A failure is logged (once per run of failures), never fatal.
    /// A line with a `caller_uid` other than 0 goes to the non-root callers' record.
    pub fn record(&self, kind: &str, fields: &[(&str, &str)]) {
        let now = crate::clock::unix_now();
        self.record_line(&record::format_line(now, kind, fields));
    }

    /// Appends a line made by [`record::format_line`], to the file its `caller_uid` picks.
    pub fn record_line(&self, line: &str) {
        use std::sync::atomic::Ordering;
        let now = crate::clock::unix_now();
        let caller_uid = record::Entry::parse(line).and_then(|e| {
            e.get("caller_uid")
                .map(|uid| uid.parse::<u32>().unwrap_or(u32::MAX))
        });
        let result = match self.record.lock() {
            Ok(mut guard) => match guard.as_mut() {
                Some(files) => files.append(caller_uid, now, line),
                None => return,
            },
            Err(_) => return,
        };
        match result {
            Ok(()) => self.record_failing.store(false, Ordering::Relaxed),
            Err(e) => {
                if !self.record_failing.swap(true, Ordering::Relaxed) {
                    self.log(Level::Error, &format!("cannot write the audit record: {e}"));
                }
            }
        }
    }

    /// Opens the record files by name again on the next line (SIGHUP, after logrotate).
    pub fn reopen(&self) {
        if let Ok(mut guard) = self.record.lock()
            && let Some(files) = guard.as_mut()
        {
            files.root.reopen();
            files.user.reopen();
        }
    }

    /// Records an Admin call: a change (`done`/`failed`) or a refused caller (`refused`).
    /// Goes to the record only; the caller logs its own syslog text.
    pub fn admin(&self, a: &AdminAction) {
        let uid = a.caller_uid.to_string();
        self.record(
            "admin",
            &[
                ("action", a.action),
                ("user", a.user),
                ("method", a.method),
                ("caller_uid", &uid),
                ("outcome", a.outcome),
            ],
        );
    }

    pub fn decision(&self, d: &Decision) {
        self.write_decision(d, &self.decision_line(d));
    }

    /// The record line of a decision, with a line id (`id=`) so that start-up recovery can
    /// tell whether it was written.
    pub fn decision_line(&self, d: &Decision) -> String {
        let uid = d.caller_uid.to_string();
        let id = line_id::new_line_id();
        record::format_line(
            crate::clock::unix_now(),
            "decision",
            &[
                ("user", d.user),
                ("service", d.service),
                ("rhost", d.rhost),
                ("caller_uid", &uid),
                ("method", d.method),
                ("outcome", d.outcome),
                ("id", &id),
            ],
        )
    }

    /// Logs a decision and appends its record line (from [`Audit::decision_line`]).
    pub fn write_decision(&self, d: &Decision, record_line: &str) {
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
        self.record_line(record_line);
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
                    Level::Alert => logger.alert(message),
                };
            }
            Sink::Stderr => {
                let tag = match level {
                    Level::Info => "info",
                    Level::Notice => "notice",
                    Level::Warning => "warning",
                    Level::Error => "error",
                    Level::Alert => "alert",
                };
                // One write per line (stderr is unbuffered: `writeln!` wrote each piece).
                let line = format!("mfad[{tag}]: {message}\n");
                let _ = std::io::stderr().write_all(line.as_bytes());
            }
        }
    }
}
