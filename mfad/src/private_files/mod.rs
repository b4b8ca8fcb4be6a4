//! The daemon's files on disk, below everything that keeps state there (the store, the audit
//! record, the send budgets): the state directory must be ours and private (a directory, not a
//! symlink, owned by the daemon's effective uid, writable by nobody else), and a file is
//! replaced atomically ([`atomic`]).

pub mod atomic;

use std::os::unix::fs::MetadataExt;
use std::path::Path;

pub fn check_private_dir(dir: &Path) -> Result<(), String> {
    let shown = dir.display();
    let meta =
        std::fs::symlink_metadata(dir).map_err(|e| format!("state directory {shown}: {e}"))?;
    if meta.file_type().is_symlink() {
        return Err(format!(
            "state directory {shown} is a symlink; point state_dir at the real directory"
        ));
    }
    if !meta.is_dir() {
        return Err(format!("state directory {shown} is not a directory"));
    }
    let euid = nix::unistd::geteuid().as_raw();
    if meta.uid() != euid {
        return Err(format!(
            "state directory {shown} is owned by uid {}, not by the daemon (uid {euid}): chown it",
            meta.uid()
        ));
    }
    let mode = meta.mode() & 0o7777;
    if mode & 0o022 != 0 {
        return Err(format!(
            "state directory {shown} is writable by other users (mode {mode:04o}): chmod 0700 it"
        ));
    }
    Ok(())
}
