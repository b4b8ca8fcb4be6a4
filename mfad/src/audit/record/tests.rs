use super::tail::read_end;
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
