//! The file backend: one TOML file per user under `<state_dir>/users/`, written crash-safely,
//! and an in-process lock per user. Nothing here ever opens a path a caller gave: names are
//! validated and joined to our own dir.
//!
//! Saves that only change login state are not fsynced (`deferred.rs`, `restart_fence.rs`);
//! every other save is, and also refreshes a synced copy in `<state_dir>/users-synced/`, which
//! a load falls back to if a power loss left the record file unreadable.

mod deferred;
mod locks;
mod power_loss;
pub(crate) mod restart_fence;
mod user_store;

pub use user_store::FileStore;

use super::{StoreError, UserRecord, account_name, is_valid_username};
use crate::private_files::atomic::{self, Flush};
use crate::private_files::check_private_dir;
use std::io::Read;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

/// A user file larger than this is corrupt, not data (bounded input).
const MAX_RECORD_BYTES: u64 = 64 * 1024;
/// Size of the decoy write: about an enrolled record with TOTP and backup codes.
const DECOY_BYTES: usize = 1024;
/// The widest TOTP window (`[totp] window`) the config accepts.
const MAX_WINDOW: u64 = 10;

#[derive(Debug, Clone)]
pub(super) struct Store {
    root: PathBuf,
    users: PathBuf,
    /// The last synced version of each record (see the module comment).
    synced: PathBuf,
}

impl Store {
    /// Check the state directory (ours, not writable by others), create `users/` and
    /// `users-synced/`, and clean up temp files left by a crash.
    pub fn open(state_dir: &Path) -> Result<Store, String> {
        check_private_dir(state_dir)?;
        Ok(Store {
            root: state_dir.to_path_buf(),
            users: private_subdir(state_dir, "users")?,
            synced: private_subdir(state_dir, "users-synced")?,
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The record file of the account `user` names (see account_name.rs: one per account).
    fn file_name(user: &str) -> Result<String, StoreError> {
        if !is_valid_username(user) {
            return Err(StoreError::InvalidName);
        }
        let user = account_name::canonical(user);
        if is_valid_username(&user) {
            Ok(format!("{user}.toml"))
        } else {
            Err(StoreError::InvalidName)
        }
    }

    /// The user's record; if its file cannot be read as one, its last synced version, which
    /// may miss the latest logins: every TOTP step up to now then counts as used.
    pub fn load(&self, user: &str) -> Result<Option<UserRecord>, StoreError> {
        let name = Self::file_name(user)?;
        match read_record(&self.users.join(&name)) {
            Err(StoreError::Corrupt(why)) => match read_record(&self.synced.join(&name)) {
                Ok(Some(mut record)) => {
                    fence_steps(&mut record, crate::clock::unix_now());
                    Ok(Some(record))
                }
                _ => Err(StoreError::Corrupt(why)),
            },
            other => other,
        }
    }

    /// Replace the user's record. `Flush::Now` returns only after the data and the rename are
    /// on disk, and refreshes the synced copy; `Flush::Later` leaves the fsync to the kernel.
    pub fn save(&self, user: &str, record: &UserRecord, flush: Flush) -> Result<(), StoreError> {
        let name = Self::file_name(user)?;
        let text = toml::to_string(record).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        // A record an older mfad wrote has no synced copy yet: this save makes it.
        let flush = if self.synced.join(&name).exists() {
            flush
        } else {
            Flush::Now
        };
        if flush == Flush::Later {
            power_loss::keep_synced_content(&self.root, &self.users, &name);
        }
        atomic::write_atomically(&self.users, &name, text.as_bytes(), flush)
            .map_err(StoreError::Unavailable)?;
        if flush == Flush::Now {
            power_loss::synced(&self.root, &name);
            atomic::write_atomically(&self.synced, &name, text.as_bytes(), Flush::Now)
                .map_err(StoreError::Unavailable)?;
        }
        Ok(())
    }

    pub fn remove(&self, user: &str) -> Result<bool, StoreError> {
        let name = Self::file_name(user)?;
        // The copy first: a crash in between leaves a record without a copy, never the reverse.
        remove_synced(&self.synced, &name)?;
        remove_synced(&self.users, &name)
    }

    /// A write of the same kind and size as a user's record after a wrong code (not synced,
    /// like that one), for failures of names that have none: a wrong answer costs the same
    /// time whoever is named.
    pub fn write_decoy(&self) -> Result<(), StoreError> {
        let filler = toml::to_string(&UserRecord::new()).unwrap_or_default();
        let text = format!(
            "{filler}{}",
            " ".repeat(DECOY_BYTES.saturating_sub(filler.len()))
        );
        atomic::write_atomically(&self.users, ".failure-decoy", text.as_bytes(), Flush::Later)
            .map_err(StoreError::Unavailable)
    }

    /// When something was first seen (e.g. the grace period's start): the time stored under
    /// `name` in the state directory, or `now`, durably stored on first use.
    pub fn first_seen(&self, name: &str, now: u64) -> Result<u64, StoreError> {
        let path = self.root.join(name);
        match std::fs::read_to_string(&path) {
            Ok(text) => text
                .trim()
                .parse()
                .map_err(|_| StoreError::Corrupt(format!("{name}: not a time"))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let text = now.to_string();
                atomic::write_atomically(&self.root, name, text.as_bytes(), Flush::Now)
                    .map_err(StoreError::Unavailable)?;
                Ok(now)
            }
            Err(e) => Err(StoreError::Unavailable(e)),
        }
    }

    /// Every user with a record, sorted.
    pub fn users(&self) -> Result<Vec<String>, StoreError> {
        let mut names = Vec::new();
        for entry in std::fs::read_dir(&self.users).map_err(StoreError::Unavailable)? {
            let name = entry
                .map_err(StoreError::Unavailable)?
                .file_name()
                .to_string_lossy()
                .into_owned();
            if let Some(user) = name.strip_suffix(".toml").filter(|u| is_valid_username(u)) {
                names.push(user.to_string());
            }
        }
        names.sort();
        Ok(names)
    }
}

/// `<state_dir>/<name>`, created 0700 if missing, checked private, cleared of crash leftovers.
fn private_subdir(state_dir: &Path, name: &str) -> Result<PathBuf, String> {
    let dir = state_dir.join(name);
    if !dir.exists() {
        std::fs::DirBuilder::new()
            .mode(0o700)
            .create(&dir)
            .map_err(|e| format!("{}: cannot create: {e}", dir.display()))?;
    }
    check_private_dir(&dir)?;
    atomic::remove_stale_temp_files(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    Ok(dir)
}

/// A record file: None when there is none; bounded, never through a symlink.
fn read_record(path: &Path) -> Result<Option<UserRecord>, StoreError> {
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC | libc::O_NONBLOCK)
        .open(path);
    let file = match file {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(StoreError::Unavailable(e)),
    };
    if !file.metadata().map_err(StoreError::Unavailable)?.is_file() {
        return Err(StoreError::Corrupt("not a regular file".into()));
    }
    let mut text = String::new();
    file.take(MAX_RECORD_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(StoreError::Unavailable)?;
    if text.len() as u64 > MAX_RECORD_BYTES {
        return Err(StoreError::Corrupt("file too large".into()));
    }
    let record: UserRecord =
        toml::from_str(&text).map_err(|e| StoreError::Corrupt(e.message().to_string()))?;
    Ok(Some(record))
}

/// Every step a code could have been accepted for until `now` counts as used (the widest
/// window the config allows is 10 steps).
fn fence_steps(record: &mut UserRecord, now: u64) {
    if let Some(totp) = record.totp.as_mut() {
        // The config's window is not known here: take the widest it allows.
        let window = totp.window.unwrap_or(0).max(MAX_WINDOW);
        let used_before = (now / totp.period.max(1)).saturating_add(window);
        totp.last_step = totp.last_step.max(used_before);
    }
}

/// Remove `dir/name` and sync the directory; false when there was none.
fn remove_synced(dir: &Path, name: &str) -> Result<bool, StoreError> {
    match std::fs::remove_file(dir.join(name)) {
        Ok(()) => {
            std::fs::File::open(dir)
                .and_then(|d| d.sync_all())
                .map_err(StoreError::Unavailable)?;
            Ok(true)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(StoreError::Unavailable(e)),
    }
}

#[cfg(test)]
mod tests;
