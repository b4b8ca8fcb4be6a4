//! `<state_dir>/budgets.toml`: the send timestamps of every budget key, replaced crash-safely
//! after each counted send. A file that cannot be read is an error, never an empty budget.

use std::collections::BTreeMap;
use std::io::Read;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::checks::Bucket;
use crate::private_files::atomic::{Flush, TEMP_PREFIX, write_atomically};

pub(super) const FILE_NAME: &str = "budgets.toml";
const VERSION: u32 = 1;
/// A larger file is corrupt, not data (bounded input).
const MAX_BYTES: u64 = 16 * 1024 * 1024;

/// Send timestamps (Unix seconds) per key.
pub(super) type Sends = BTreeMap<String, Vec<u64>>;

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct State {
    version: u32,
    #[serde(default)]
    user: Sends,
    #[serde(default)]
    nonroot_user: Sends,
    #[serde(default)]
    number: Sends,
    #[serde(default)]
    prefix: Sends,
    #[serde(default)]
    country: Sends,
    #[serde(default)]
    gateway: Sends,
}

impl State {
    fn empty() -> State {
        State {
            version: VERSION,
            user: Sends::new(),
            nonroot_user: Sends::new(),
            number: Sends::new(),
            prefix: Sends::new(),
            country: Sends::new(),
            gateway: Sends::new(),
        }
    }

    pub(super) fn bucket(&mut self, bucket: Bucket) -> &mut Sends {
        match bucket {
            Bucket::User => &mut self.user,
            Bucket::NonrootUser => &mut self.nonroot_user,
            Bucket::Number => &mut self.number,
            Bucket::Prefix => &mut self.prefix,
            Bucket::Country => &mut self.country,
            Bucket::Gateway => &mut self.gateway,
        }
    }

    /// The state in `dir`, or an empty one if there is no file yet. Removes temp files a crash
    /// left behind (they never replaced the file, so they hold nothing acknowledged).
    pub(super) fn load(dir: &Path) -> Result<State, String> {
        remove_stale_temp_files(dir)?;
        let path = dir.join(FILE_NAME);
        let shown = path.display();
        let file = std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC | libc::O_NONBLOCK)
            .open(&path);
        let file = match file {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(State::empty()),
            Err(e) => return Err(format!("{shown}: {e}")),
        };
        let meta = file.metadata().map_err(|e| format!("{shown}: {e}"))?;
        if !meta.is_file() {
            return Err(format!("{shown}: not a regular file"));
        }
        let mut text = String::new();
        file.take(MAX_BYTES + 1)
            .read_to_string(&mut text)
            .map_err(|e| format!("{shown}: {e}"))?;
        if text.len() as u64 > MAX_BYTES {
            return Err(format!("{shown}: corrupt: larger than {MAX_BYTES} bytes"));
        }
        let state: State = toml::from_str(&text)
            .map_err(|e| format!("{shown}: corrupt: {}", e.message().trim_end()))?;
        if state.version != VERSION {
            return Err(format!(
                "{shown}: unsupported version {} (this mfad writes {VERSION})",
                state.version
            ));
        }
        Ok(state)
    }

    /// Durably replace the file; returns only once the data and the rename are on disk.
    pub(super) fn save(&self, dir: &Path) -> Result<(), String> {
        let text = toml::to_string(self).map_err(|e| e.to_string())?;
        write_atomically(dir, FILE_NAME, text.as_bytes(), Flush::Now)
            .map_err(|e| format!("{}: {e}", dir.join(FILE_NAME).display()))
    }
}

fn remove_stale_temp_files(dir: &Path) -> Result<(), String> {
    let ours = format!("{TEMP_PREFIX}{FILE_NAME}.");
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("{}: {e}", dir.display()))?;
        if entry.file_name().to_string_lossy().starts_with(&ours) {
            std::fs::remove_file(entry.path())
                .map_err(|e| format!("{}: {e}", entry.path().display()))?;
        }
    }
    Ok(())
}
