//! The file backend: one TOML file per user under `<state_dir>/users/`, written crash-safely,
//! and an in-process lock per user. Nothing here ever opens a path a caller gave: names are
//! validated and joined to our own dir.

pub(crate) mod atomic;
mod dir_check;
mod locks;
mod user_store;

pub use dir_check::check_private_dir;
pub use user_store::FileStore;

use super::{StoreError, UserRecord, account_name, is_valid_username};
use std::io::Read;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

/// A user file larger than this is corrupt, not data (bounded input).
const MAX_RECORD_BYTES: u64 = 64 * 1024;
/// Size of the decoy write: about an enrolled record with TOTP and backup codes.
const DECOY_BYTES: usize = 1024;

#[derive(Debug, Clone)]
pub(super) struct Store {
    root: PathBuf,
    users: PathBuf,
}

impl Store {
    /// Check the state directory (ours, not writable by others), create `users/`, and clean up
    /// temp files left by a crash.
    pub fn open(state_dir: &Path) -> Result<Store, String> {
        check_private_dir(state_dir)?;
        let users = state_dir.join("users");
        if !users.exists() {
            std::fs::DirBuilder::new()
                .mode(0o700)
                .create(&users)
                .map_err(|e| format!("{}: cannot create: {e}", users.display()))?;
        }
        check_private_dir(&users)?;
        atomic::remove_stale_temp_files(&users).map_err(|e| format!("{}: {e}", users.display()))?;
        Ok(Store {
            root: state_dir.to_path_buf(),
            users,
        })
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

    pub fn load(&self, user: &str) -> Result<Option<UserRecord>, StoreError> {
        let path = self.users.join(Self::file_name(user)?);
        let file = std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC | libc::O_NONBLOCK)
            .open(&path);
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

    /// Durably replace the user's record; returns only after the data and the rename are on disk.
    pub fn save(&self, user: &str, record: &UserRecord) -> Result<(), StoreError> {
        let name = Self::file_name(user)?;
        let text = toml::to_string(record).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        atomic::write_atomically(&self.users, &name, text.as_bytes())
            .map_err(StoreError::Unavailable)
    }

    pub fn remove(&self, user: &str) -> Result<bool, StoreError> {
        let path = self.users.join(Self::file_name(user)?);
        match std::fs::remove_file(&path) {
            Ok(()) => {
                std::fs::File::open(&self.users)
                    .and_then(|d| d.sync_all())
                    .map_err(StoreError::Unavailable)?;
                Ok(true)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(StoreError::Unavailable(e)),
        }
    }

    /// A durable write of the same kind and size as a user's record, for failures of names
    /// that have none (so a wrong answer costs the same time whoever is named).
    pub fn write_decoy(&self) -> Result<(), StoreError> {
        let filler = toml::to_string(&UserRecord::new()).unwrap_or_default();
        let text = format!(
            "{filler}{}",
            " ".repeat(DECOY_BYTES.saturating_sub(filler.len()))
        );
        atomic::write_atomically(&self.users, ".failure-decoy", text.as_bytes())
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
                atomic::write_atomically(&self.root, name, now.to_string().as_bytes())
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

#[cfg(test)]
mod tests;
