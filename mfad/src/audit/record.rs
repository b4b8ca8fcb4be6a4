//! The daemon's own audit record: `<state_dir>/audit.log`, one line per decision or admin action,
//! read back by `mfa admin log` (syslog is not on every host, and tests have none). The line
//! format is [`mfa_proto::audit_line`]'s, shared with the CLI that reads it.
//!
//! The file is opened `O_APPEND | O_CLOEXEC | O_NOFOLLOW`, mode 0600; each line goes out in one
//! `write()`. When a line would take the file past [`MAX_BYTES`] the generations shift
//! (`audit.log.1` … `.5`, the oldest falls off) and a new file is started, so the record stays
//! bounded. Sysadmins' view of all this: `docs/audit-record.md`.

use std::fs::File;
use std::io::Write;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

pub use mfa_proto::audit_line::{Entry, clean, format_line, iso8601};
pub use tail::tail;

mod tail;

pub const FILE_NAME: &str = "audit.log";
/// The newest rotated generation of the root callers' record.
pub const OLD_FILE_NAME: &str = "audit.log.1";
/// The current file is rotated before it would grow past this.
pub const MAX_BYTES: u64 = 4 * 1024 * 1024;
/// Rotated generations of `audit.log` kept (`.1` newest … `.5` oldest).
pub const GENERATIONS: u32 = 5;
/// Non-root callers' lines: a record of their own, so their noise never pushes out root's.
pub const USER_FILE_NAME: &str = "audit-user.log";
/// `audit-user.log` rotates at this size.
pub const USER_MAX_BYTES: u64 = 1024 * 1024;
/// Rotated generations of `audit-user.log` kept.
pub const USER_GENERATIONS: u32 = 2;
/// Ends a line a crash cut short, so that it cannot pass for a whole one.
const CUT_MARK: &[u8] = b"\t(cut short)\n";
/// The open record file; rotates itself. Not shared: the caller serialises appends.
pub struct RecordFile {
    dir: PathBuf,
    name: &'static str,
    generations: u32,
    file: Option<File>,
    max_bytes: u64,
    /// The file is known to end with a whole line (we wrote the last one).
    clean_end: bool,
}

fn open_append(path: &Path) -> std::io::Result<File> {
    let file = std::fs::OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .mode(0o600)
        .custom_flags(libc::O_CLOEXEC | libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(std::io::Error::other(format!(
            "{}: not a regular file",
            path.display()
        )));
    }
    // A file left by an older version or an admin's copy: private again.
    if meta.mode() & 0o077 != 0 {
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(file)
}

impl RecordFile {
    /// Opens (creating) `<dir>/audit.log`. `dir` must already be checked private.
    pub fn open(dir: &Path) -> std::io::Result<RecordFile> {
        RecordFile::with_limit(dir, MAX_BYTES)
    }

    /// As [`RecordFile::open`] with another rotation size (tests).
    pub fn with_limit(dir: &Path, max_bytes: u64) -> std::io::Result<RecordFile> {
        RecordFile::named(dir, FILE_NAME, max_bytes, GENERATIONS)
    }

    /// Opens (creating) `<dir>/audit-user.log`, the non-root callers' record.
    pub fn open_user(dir: &Path, max_bytes: u64) -> std::io::Result<RecordFile> {
        RecordFile::named(dir, USER_FILE_NAME, max_bytes, USER_GENERATIONS)
    }

    fn named(
        dir: &Path,
        name: &'static str,
        max_bytes: u64,
        generations: u32,
    ) -> std::io::Result<RecordFile> {
        let file = open_append(&dir.join(name))?;
        Ok(RecordFile {
            dir: dir.to_path_buf(),
            name,
            generations,
            file: Some(file),
            max_bytes,
            clean_end: false,
        })
    }

    /// Appends one line (a newline is added) in one write, rotating first when it would not fit.
    /// After a crash cut the last line, the first write ends that line first (with a mark that
    /// keeps it from parsing).
    pub fn append(&mut self, line: &str) -> std::io::Result<()> {
        let current = self.dir.join(self.name);
        let file = match self.file.take().filter(|f| still_at(f, &current)) {
            Some(f) => f,
            // The last attempt failed, or the file was renamed (logrotate) or reopened on SIGHUP.
            None => {
                self.clean_end = false;
                open_append(&current)?
            }
        };
        let mut size = file.metadata()?.len();
        let mut file = if size > 0 && size + line.len() as u64 + 1 > self.max_bytes {
            drop(file);
            self.rotate()?;
            size = 0;
            open_append(&current)?
        } else {
            file
        };
        let mut bytes = Vec::with_capacity(line.len() + 2);
        if size > 0 && !self.clean_end {
            let mut last = [0u8];
            std::os::unix::fs::FileExt::read_exact_at(&file, &mut last, size - 1)?;
            if last[0] != b'\n' {
                // A field without `=`: the cut line ends here and never parses.
                bytes.extend_from_slice(CUT_MARK);
            }
        }
        bytes.extend_from_slice(line.as_bytes());
        bytes.push(b'\n');
        self.clean_end = false;
        file.write_all(&bytes)?;
        self.clean_end = true;
        self.file = Some(file);
        Ok(())
    }
}

impl RecordFile {
    /// Shifts `.1`… up one generation (the oldest falls off) and makes the current file `.1`.
    fn rotate(&self) -> std::io::Result<()> {
        let generation = |n: u32| self.dir.join(format!("{}.{n}", self.name));
        for n in (1..self.generations).rev() {
            match std::fs::rename(generation(n), generation(n + 1)) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
                _ => {}
            }
        }
        std::fs::rename(self.dir.join(self.name), generation(1))
    }

    /// The next append opens the file by name again (SIGHUP after an outside rotation).
    pub fn reopen(&mut self) {
        self.file = None;
    }
}

/// The open file is still the one at `path` (not renamed away or replaced).
fn still_at(file: &File, path: &Path) -> bool {
    match (file.metadata(), std::fs::symlink_metadata(path)) {
        (Ok(open), Ok(named)) => open.dev() == named.dev() && open.ino() == named.ino(),
        _ => false,
    }
}

#[cfg(test)]
mod tests;
