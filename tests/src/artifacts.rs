//! Building and finding the real binaries (`cargo test` does not build the cdylib).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// Paths of the artefacts under test.
#[derive(Debug, Clone)]
pub struct Artifacts {
    /// `target/<profile>/libpam_mfa.so`
    pub pam_module: PathBuf,
    /// `target/<profile>/mfad`
    pub mfad: PathBuf,
    /// `target/<profile>/mfa`
    pub mfa: PathBuf,
}

/// The workspace root (the parent of this crate).
pub fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// `$CARGO_TARGET_DIR` (relative paths are taken from the workspace root) or `<root>/target`.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() {
                dir
            } else {
                workspace_root().join(dir)
            }
        }
        _ => workspace_root().join("target"),
    }
}

fn profile() -> &'static str {
    if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    }
}

fn build() -> Result<Artifacts, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(workspace_root())
        .args(["build", "-p", "pam_mfa", "-p", "mfad", "-p", "mfa_cli"]);
    if profile() == "release" {
        cmd.arg("--release");
    }
    let out = cmd
        .output()
        .map_err(|e| format!("cannot run cargo build: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "`cargo build -p pam_mfa -p mfad -p mfa_cli` failed ({}):\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let dir = target_dir().join(profile());
    let artifacts = Artifacts {
        pam_module: dir.join("libpam_mfa.so"),
        mfad: dir.join("mfad"),
        mfa: dir.join("mfa"),
    };
    for path in [&artifacts.pam_module, &artifacts.mfad, &artifacts.mfa] {
        if !path.is_file() {
            return Err(format!(
                "cargo build succeeded but {} is missing",
                path.display()
            ));
        }
    }
    Ok(artifacts)
}

/// Builds `pam_mfa` and `mfad` (module, daemon, CLI) once per test process and returns their
/// paths. Panics with cargo's output if the build fails.
pub fn build_once() -> &'static Artifacts {
    static BUILT: OnceLock<Result<Artifacts, String>> = OnceLock::new();
    match BUILT.get_or_init(build) {
        Ok(artifacts) => artifacts,
        Err(e) => panic!("{e}"),
    }
}
