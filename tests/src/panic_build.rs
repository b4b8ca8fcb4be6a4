//! The `panic-inject` test build of mfad and pam_mfa, in a target directory of its own so the
//! ordinary artefacts every other test uses are never the fault-injecting ones.

use crate::artifacts::{Artifacts, target_dir, workspace_root};
use std::process::Command;
use std::sync::OnceLock;

fn build() -> Result<Artifacts, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let dir = target_dir().join("panic-inject");
    let out = Command::new(cargo)
        .current_dir(workspace_root())
        .args(["build", "-p", "pam_mfa", "-p", "mfad", "-p", "mfa_cli"])
        .args(["--features", "mfad/panic-inject,pam_mfa/panic-inject"])
        .arg("--target-dir")
        .arg(&dir)
        .output()
        .map_err(|e| format!("cannot run cargo build: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "the panic-inject build failed ({}):\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let bin = dir.join("debug");
    Ok(Artifacts {
        pam_module: bin.join("libpam_mfa.so"),
        mfad: bin.join("mfad"),
        mfa: bin.join("mfa"),
    })
}

/// Builds (once per test process) and returns the fault-injecting artefacts. Panics with
/// cargo's output if the build fails.
pub fn panic_build() -> &'static Artifacts {
    static BUILT: OnceLock<Result<Artifacts, String>> = OnceLock::new();
    match BUILT.get_or_init(build) {
        Ok(artifacts) => artifacts,
        Err(e) => panic!("{e}"),
    }
}
