//! The one loader of the daemon's configuration: start-up, reload (SIGHUP),
//! `mfad --check-config` and `mfa doctor` all go through [`load`], so every reason the daemon
//! refuses a config is reported by the checks too, with its key and line.

use std::path::Path;
use std::sync::Arc;

use crate::config::key_lines::line_of_key;
use crate::config::{Config, Problem};
use crate::gateways::{Credentials, Gateways, SetupProblem};

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

/// A configuration the daemon can run with.
pub struct Loaded {
    pub config: Arc<Config>,
    /// The gateways with their secrets read; `None` when no method uses any.
    pub gateways: Option<Arc<Gateways>>,
}

/// Reads and validates `path`, then reads every gateway secret the daemon would need.
pub fn load(path: &Path, mode: Mode) -> Result<Loaded, Vec<Problem>> {
    let (config, text) = Config::load_with_text(path)?;
    if !uses_gateways(&config) {
        return Ok(Loaded {
            config: Arc::new(config),
            gateways: None,
        });
    }
    let credentials = match mode {
        Mode::Start { credentials_dir } => Credentials::Dir(credentials_dir),
        Mode::Check {
            credentials_dir: Some(dir),
        } => Credentials::Dir(Some(dir)),
        Mode::Check {
            credentials_dir: None,
        } => Credentials::Unknown,
    };
    match Gateways::load(&config, credentials) {
        Ok(gateways) => Ok(Loaded {
            config: Arc::new(config),
            gateways: Some(Arc::new(gateways)),
        }),
        Err(problems) => Err(problems.iter().map(|p| located(&text, p)).collect()),
    }
}

/// Whether any method sends through gateways (only then are their secrets read).
fn uses_gateways(c: &Config) -> bool {
    !(c.sms.gateways.is_empty() && c.voice.gateways.is_empty() && c.push.gateways.is_empty())
}

/// A gateway problem as a config problem: `gateways.NAME.KEY` and the key's line.
fn located(text: &str, p: &SetupProblem) -> Problem {
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
