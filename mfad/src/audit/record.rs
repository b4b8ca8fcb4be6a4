//! The daemon's own audit record: `<state_dir>/audit.log`, one line per decision or admin action,
//! read back by `mfa admin log` (syslog is not on every host, and tests have none). The line
//! format is [`mfa_proto::audit_line`]'s, shared with the CLI that reads it.
//!
//! The file is opened `O_APPEND | O_CLOEXEC | O_NOFOLLOW`, mode 0600; each line goes out in one
//! `write()`. When a line would take the file past [`MAX_BYTES`] the generations shift
//! (`audit.log.1` … `.5`, the oldest falls off) and a new file is started, so the record stays
//! bounded. Sysadmins' view of all this: `docs/audit-record.md`.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

pub use mfa_proto::audit_line::{Entry, clean, format_line, iso8601};

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

/// Reads at most `cap` bytes from the end of `path`, starting at a line boundary. A missing
/// file is empty.
fn read_end(path: &Path, cap: u64) -> std::io::Result<String> {
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_CLOEXEC | libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path);
    let mut file = match file {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(String::new()),
        Err(e) => return Err(e),
    };
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(std::io::Error::other(format!(
            "{}: not a regular file",
            path.display()
        )));
    }
    let skip = meta.len().saturating_sub(cap);
    file.seek(SeekFrom::Start(skip))?;
    let mut bytes = Vec::new();
    file.take(cap).read_to_end(&mut bytes)?;
    if skip > 0 {
        // Started inside a line: drop its rest.
        let start = bytes
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |i| i + 1);
        bytes.drain(..start);
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// The files of one record, oldest first.
fn generations(name: &str, kept: u32) -> Vec<String> {
    let mut names: Vec<String> = (1..=kept).rev().map(|n| format!("{name}.{n}")).collect();
    names.push(name.to_string());
    names
}

/// The last `n` lines of the record in `dir` (root callers' and non-root callers' files, every
/// generation, merged by time), newest last, only those about `user` when given. Lines that do
/// not parse are left out.
pub fn tail(dir: &Path, user: Option<&str>, n: usize) -> std::io::Result<Vec<String>> {
    if n == 0 {
        return Ok(Vec::new());
    }
    let mut merged = tail_of(dir, &generations(FILE_NAME, GENERATIONS), user, n)?;
    merged.extend(tail_of(
        dir,
        &generations(USER_FILE_NAME, USER_GENERATIONS),
        user,
        n,
    )?);
    // Stable: lines of one second keep their order within each file.
    merged.sort_by_key(|(time, _)| *time);
    let skip = merged.len().saturating_sub(n);
    Ok(merged.into_iter().skip(skip).map(|(_, l)| l).collect())
}

/// The last `n` lines (with their time) of the files `names`, oldest file first.
fn tail_of(
    dir: &Path,
    names: &[String],
    user: Option<&str>,
    n: usize,
) -> std::io::Result<Vec<(u64, String)>> {
    let mut last = VecDeque::with_capacity(n.min(1024));
    // Twice the rotation size: a file that grew otherwise is read from its end only.
    let cap = 2 * MAX_BYTES;
    for name in names {
        let text = read_end(&dir.join(name), cap)?;
        // Only whole lines: a last line without its newline was cut by a crash.
        for line in text
            .split_inclusive('\n')
            .filter_map(|l| l.strip_suffix('\n'))
        {
            let Some(entry) = Entry::parse(line) else {
                continue;
            };
            if user.is_some_and(|u| entry.get("user") != Some(u)) {
                continue;
            }
            if last.len() == n {
                last.pop_front();
            }
            last.push_back((entry.time, line.to_string()));
        }
    }
    Ok(last.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::DirBuilderExt;

    /// A fresh private directory, removed on drop.
    struct TestDir(PathBuf);

    impl TestDir {
        fn path(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for TestDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn private_dir() -> TestDir {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("mfad-audit-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::DirBuilder::new()
            .mode(0o700)
            .create(&dir)
            .expect("temp dir");
        TestDir(dir)
    }

    fn decision(time: u64, user: &str, outcome: &str) -> String {
        format_line(
            time,
            "decision",
            &[
                ("user", user),
                ("service", "sshd"),
                ("rhost", "192.0.2.10"),
                ("caller_uid", "0"),
                ("method", "totp"),
                ("outcome", outcome),
            ],
        )
    }

    #[test]
    fn the_file_is_private_and_appended_line_by_line() {
        let dir = private_dir();
        let mut record = RecordFile::open(dir.path()).expect("open");
        record.append(&decision(1, "alice", "granted")).unwrap();
        record
            .append(&decision(2, "bob", "denied-wrong-code"))
            .unwrap();
        let path = dir.path().join(FILE_NAME);
        let meta = std::fs::metadata(&path).unwrap();
        assert_eq!(meta.mode() & 0o7777, 0o600);
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.lines().count(), 2);
        assert!(text.ends_with('\n'));
        // Reopening appends.
        drop(record);
        RecordFile::open(dir.path())
            .unwrap()
            .append(&decision(3, "carol", "granted"))
            .unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap().lines().count(), 3);
    }

    #[test]
    fn an_existing_loose_file_is_made_private() {
        let dir = private_dir();
        let path = dir.path().join(FILE_NAME);
        std::fs::write(&path, "").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        RecordFile::open(dir.path()).expect("open");
        assert_eq!(std::fs::metadata(&path).unwrap().mode() & 0o7777, 0o600);
    }

    #[test]
    fn a_symlink_is_not_followed() {
        let dir = private_dir();
        let target = dir.path().join("elsewhere");
        std::fs::write(&target, "").unwrap();
        std::os::unix::fs::symlink(&target, dir.path().join(FILE_NAME)).unwrap();
        assert!(RecordFile::open(dir.path()).is_err());
        std::fs::remove_file(dir.path().join(FILE_NAME)).unwrap();
        std::os::unix::fs::symlink(&target, dir.path().join(OLD_FILE_NAME)).unwrap();
        assert!(tail(dir.path(), None, 10).is_err());
    }

    #[test]
    fn rotation_keeps_five_old_files_and_bounds_the_size() {
        let dir = private_dir();
        let line_len = decision(1_700_000_000, "alice", "granted").len() as u64 + 1;
        let mut record = RecordFile::with_limit(dir.path(), 10 * line_len).expect("open");
        for i in 0..35 {
            record
                .append(&decision(1_700_000_000 + i, "alice", "granted"))
                .unwrap();
        }
        let current = std::fs::read_to_string(dir.path().join(FILE_NAME)).unwrap();
        let old = std::fs::read_to_string(dir.path().join(OLD_FILE_NAME)).unwrap();
        assert_eq!(
            current.lines().count(),
            5,
            "30 rotated away in three rounds"
        );
        assert_eq!(old.lines().count(), 10);
        assert!(current.len() as u64 <= 10 * line_len);
        assert!(old.contains("1700000029\t") && current.contains("1700000030\t"));
        let files: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(files.len(), 4, "the current file and three generations");
        for i in 35..100 {
            record
                .append(&decision(1_700_000_000 + i, "alice", "granted"))
                .unwrap();
        }
        let files: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(files.len(), 6, "the current file and five generations");
        let oldest = std::fs::read_to_string(dir.path().join("audit.log.5")).unwrap();
        assert!(oldest.starts_with("1700000040\t"), "{oldest}");
        assert_eq!(
            std::fs::metadata(dir.path().join(OLD_FILE_NAME))
                .unwrap()
                .mode()
                & 0o7777,
            0o600
        );
        // Reading spans the files, newest last.
        let last = tail(dir.path(), None, 17).unwrap();
        assert_eq!(last.len(), 17);
        assert!(last[0].starts_with("1700000083\t"), "{last:?}");
        assert!(last[16].starts_with("1700000099\t"), "{last:?}");
    }

    #[test]
    fn a_file_renamed_away_is_followed_by_a_new_one() {
        let dir = private_dir();
        let mut record = RecordFile::open(dir.path()).expect("open");
        record.append(&decision(1, "alice", "granted")).unwrap();
        std::fs::rename(dir.path().join(FILE_NAME), dir.path().join("rotated")).unwrap();
        record.append(&decision(2, "alice", "granted")).unwrap();
        let current = std::fs::read_to_string(dir.path().join(FILE_NAME)).unwrap();
        assert!(current.starts_with("2\t") && current.lines().count() == 1);
        let rotated = std::fs::read_to_string(dir.path().join("rotated")).unwrap();
        assert_eq!(rotated.lines().count(), 1);
    }

    #[test]
    fn tail_merges_root_and_user_records_by_time() {
        let dir = private_dir();
        let mut root = RecordFile::open(dir.path()).expect("open");
        let mut user = RecordFile::open_user(dir.path(), USER_MAX_BYTES).expect("open");
        root.append(&decision(1, "alice", "granted")).unwrap();
        user.append(&decision(2, "bob", "denied")).unwrap();
        root.append(&decision(3, "carol", "granted")).unwrap();
        let all = tail(dir.path(), None, 10).unwrap();
        let times: Vec<_> = all.iter().map(|l| &l[..2]).collect();
        assert_eq!(times, ["1\t", "2\t", "3\t"]);
    }

    #[test]
    fn a_line_longer_than_the_limit_is_still_written() {
        let dir = private_dir();
        let mut record = RecordFile::with_limit(dir.path(), 10).expect("open");
        record.append(&decision(1, "alice", "granted")).unwrap();
        record.append(&decision(2, "alice", "granted")).unwrap();
        assert_eq!(tail(dir.path(), None, 10).unwrap().len(), 2);
    }

    #[test]
    fn tail_filters_by_user_and_skips_garbage() {
        let dir = private_dir();
        let mut record = RecordFile::open(dir.path()).expect("open");
        for i in 0..10 {
            let user = if i % 2 == 0 { "alice" } else { "bob" };
            record.append(&decision(100 + i, user, "granted")).unwrap();
        }
        record.append("torn line without tabs").unwrap();
        record
            .append(&format_line(
                200,
                "admin",
                &[("action", "reset"), ("user", "bob"), ("caller_uid", "0")],
            ))
            .unwrap();
        let bob = tail(dir.path(), Some("bob"), 100).unwrap();
        assert_eq!(bob.len(), 6);
        assert!(
            bob.iter()
                .all(|l| l.contains("\tuser=bob\t") || l.ends_with("user=bob"))
        );
        assert!(bob[5].contains("\tadmin\t"));
        assert_eq!(tail(dir.path(), Some("alice"), 2).unwrap().len(), 2);
        assert!(tail(dir.path(), Some("alice"), 2).unwrap()[1].starts_with("108\t"));
        assert!(tail(dir.path(), Some("carol"), 5).unwrap().is_empty());
        assert_eq!(tail(dir.path(), None, 100).unwrap().len(), 11);
        assert!(tail(dir.path(), None, 0).unwrap().is_empty());
    }

    #[test]
    fn a_line_cut_by_a_crash_is_left_out() {
        let dir = private_dir();
        let full = decision(1, "alice", "granted");
        let torn = decision(2, "alice", "granted");
        let text = format!("{full}\n{}", &torn[..torn.len() - 3]);
        std::fs::write(dir.path().join(FILE_NAME), &text).unwrap();
        assert_eq!(tail(dir.path(), None, 10).unwrap(), vec![full.clone()]);
        // The next line starts on a line of its own; the torn one still does not parse.
        let mut record = RecordFile::open(dir.path()).unwrap();
        let next = decision(3, "alice", "granted");
        record.append(&next).unwrap();
        record.append(&next).unwrap();
        assert_eq!(
            tail(dir.path(), None, 10).unwrap(),
            vec![full, next.clone(), next]
        );
    }

    #[test]
    fn tail_of_a_missing_record_is_empty() {
        let dir = private_dir();
        assert!(tail(dir.path(), None, 10).unwrap().is_empty());
    }

    #[test]
    fn reading_a_huge_file_starts_at_a_line_boundary() {
        let dir = private_dir();
        let path = dir.path().join("big");
        let mut text = String::new();
        for i in 0..100 {
            text.push_str(&decision(1000 + i, "alice", "granted"));
            text.push('\n');
        }
        std::fs::write(&path, &text).unwrap();
        let end = read_end(&path, 500).unwrap();
        assert!(end.len() <= 500);
        assert!(end.lines().all(|l| Entry::parse(l).is_some()), "{end}");
        assert!(end.ends_with("outcome=granted\n"));
    }
}
