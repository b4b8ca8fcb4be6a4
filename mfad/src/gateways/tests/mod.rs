//! Gateways against loopback stubs that check what the provider checks, a test script for
//! `exec`, and set-up with the secrets read (the secret-file rules are tested in mfa_config).
//! Shared helpers here.

mod exec_tests;
mod http_tests;
mod setup_tests;
mod stub;
mod twilio_tests;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use super::{Delivery, Gateways};
use crate::config::Config;

pub const SID: &str = "AC0123456789abcdef0123456789abcdef";
pub const TOKEN: &str = "twilio-test-token";
/// A number the stub accepts.
pub const TO: &str = "+31612345678";
pub const CODE: &str = "493817";
pub const MESSAGE: &str = "493817 is your sign-in code for host1. It expires in 5 minutes.";

/// A private directory under the system's temp dir, removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new() -> TempDir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("mfad-gw-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        set_mode(&dir, 0o700);
        TempDir(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    /// Writes `name` with `content` and `mode`.
    pub fn file(&self, name: &str, content: &str, mode: u32) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, content).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        set_mode(&path, mode);
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn set_mode(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

pub fn parse(text: &str) -> Config {
    Config::parse(text).unwrap_or_else(|p| panic!("{text}\n{p:#?}"))
}

pub fn gateways(text: &str) -> Gateways {
    Gateways::from_config(&parse(text), None).unwrap_or_else(|e| panic!("{e}"))
}

/// A `[gateways.NAME]` of kind twilio pointing at `base_url`, its token in `token_file`.
pub fn twilio_table(name: &str, base_url: &str, token_file: &Path, timeout: u64) -> String {
    format!(
        "[gateways.{name}]\nkind = \"twilio\"\ntimeout = {timeout}\nbase_url = \"{base_url}\"\n\
         account_sid = \"{SID}\"\nauth_token_file = \"{}\"\nfrom = \"+15005550006\"\n",
        token_file.display()
    )
}

pub fn order(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| (*n).to_owned()).collect()
}

/// The outcomes of `d` (which go to the log) hold neither the text, nor the code, nor the
/// number.
pub fn assert_loggable(d: &Delivery) {
    let mut texts: Vec<String> = d.attempts.iter().map(|a| a.outcome.to_string()).collect();
    texts.push(d.outcome.to_string());
    for t in texts {
        for secret in [MESSAGE, CODE, TO, &TO[1..]] {
            assert!(!t.contains(secret), "{t:?} holds {secret:?}");
        }
    }
}

/// `(gateway, class)` of every attempt.
pub fn tried(d: &Delivery) -> Vec<(&str, &'static str)> {
    d.attempts
        .iter()
        .map(|a| (a.gateway.as_str(), a.outcome.class()))
        .collect()
}
