//! Loading the daemon's configuration for start-up and reload (SIGHUP): the verdict on the file
//! and its secrets is [`mfa_config::check`]'s, shared with `mfad --check-config` and
//! `mfa doctor`; this half builds the live gateways from it.

use std::path::Path;
use std::sync::Arc;

pub use mfa_config::check::Mode;
use mfa_config::check::{located, uses_gateways};

use crate::config::{Config, Problem};
use crate::gateways::Gateways;

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
    match Gateways::load(&config, mode.credentials()) {
        Ok(gateways) => Ok(Loaded {
            config: Arc::new(config),
            gateways: Some(Arc::new(gateways)),
        }),
        Err(problems) => Err(problems.iter().map(|p| located(&text, p)).collect()),
    }
}
