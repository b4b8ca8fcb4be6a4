//! The verdict on a config file, as the daemon gives it at start-up: the file is read and
//! validated, then every gateway secret a method would send with is read. Start-up, reload
//! (SIGHUP), `mfad --check-config` and `mfa doctor` all come through here, so every reason the
//! daemon refuses a config is reported by the checks too, with its key and line. The daemon
//! then builds its live gateways (`mfad/src/startup.rs`); nothing here opens a connection.

use std::path::Path;

use crate::gateway_secrets::{Credentials, SetupProblem, read_gateway_secret};
use crate::key_lines::line_of_key;
use crate::{Config, Problem};

/// Who is loading.
#[derive(Debug, Clone, Copy)]
pub enum Mode<'a> {
    /// The daemon starting or reloading: `credentials_dir` is `$CREDENTIALS_DIRECTORY` as it
    /// found it (systemd `LoadCredential=`).
    Start { credentials_dir: Option<&'a Path> },
    /// A check (`--check-config`, `mfa doctor`): as start-up, except that `*_credential`
    /// secrets are read only when a credentials directory is known.
    Check { credentials_dir: Option<&'a Path> },
}

impl<'a> Mode<'a> {
    /// Where this mode finds `*_credential` secrets.
    pub fn credentials(self) -> Credentials<'a> {
        match self {
            Mode::Start { credentials_dir } => Credentials::Dir(credentials_dir),
            Mode::Check {
                credentials_dir: Some(dir),
            } => Credentials::Dir(Some(dir)),
            Mode::Check {
                credentials_dir: None,
            } => Credentials::Unknown,
        }
    }
}

/// Reads and validates `path`, then reads every gateway secret the daemon would need.
pub fn check(path: &Path, mode: Mode) -> Result<Config, Vec<Problem>> {
    let (config, text) = Config::load_with_text(path)?;
    crate::store_secrets::read_store_secrets(&config.store, mode.credentials(), &text)?;
    if !uses_gateways(&config) {
        return Ok(config);
    }
    let mut problems = Vec::new();
    for (name, gateway) in &config.gateways {
        read_gateway_secret(name, gateway, mode.credentials(), &mut problems);
    }
    if problems.is_empty() {
        Ok(config)
    } else {
        Err(problems.iter().map(|p| located(&text, p)).collect())
    }
}

/// Whether any method sends through gateways (only then are their secrets read).
pub fn uses_gateways(c: &Config) -> bool {
    !(c.sms.gateways.is_empty() && c.voice.gateways.is_empty() && c.push.gateways.is_empty())
}

/// A gateway problem as a config problem: `gateways.NAME.KEY` and the key's line in `text`.
pub fn located(text: &str, p: &SetupProblem) -> Problem {
    if p.gateway.is_empty() {
        return Problem::file(p.message.clone());
    }
    let (key, line) = if p.key.is_empty() {
        let key = format!("gateways.{}", p.gateway);
        (key, line_of_key(text, &["gateways", &p.gateway, "kind"]))
    } else {
        let key = format!("gateways.{}.{}", p.gateway, p.key);
        (key, line_of_key(text, &["gateways", &p.gateway, &p.key]))
    };
    Problem::new(key, line, p.message.clone())
}
