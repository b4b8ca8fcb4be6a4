//! A service file in the real `/etc/pam.d`, for the setuid programs pam_wrapper cannot reach
//! (`vlock`, `xscreensaver-auth`): written for one test and put back as it was when the guard
//! is dropped, on success and on panic alike. One test at a time per file; a copy of the
//! original also waits in `/var/tmp` so a run killed half-way is repaired by the next one.

use std::collections::HashSet;
use std::fs;
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

/// Files some test in this process holds now.
fn held() -> &'static Mutex<HashSet<String>> {
    static HELD: OnceLock<Mutex<HashSet<String>>> = OnceLock::new();
    HELD.get_or_init(|| Mutex::new(HashSet::new()))
}

/// Where the original of `/etc/pam.d/NAME` waits while a test replaces it.
fn backup_path(name: &str) -> PathBuf {
    PathBuf::from("/var/tmp/mfa-tests-pam.d-backup").join(name)
}

/// `/etc/pam.d/NAME` replaced for as long as this lives.
pub struct SystemPamFile {
    name: String,
    path: PathBuf,
    /// What was there before (None: there was no such file).
    original: Option<Vec<u8>>,
}

impl SystemPamFile {
    /// Waits until no other test holds `/etc/pam.d/NAME`, then writes `text` into it.
    pub fn replace(name: &str, text: &str) -> SystemPamFile {
        loop {
            let mut files = held().lock().unwrap_or_else(|e| e.into_inner());
            if files.insert(name.to_string()) {
                break;
            }
            drop(files);
            std::thread::sleep(Duration::from_millis(100));
        }
        let path = PathBuf::from("/etc/pam.d").join(name);
        let backup = backup_path(name);
        // A run killed half-way left its backup: that is the original.
        if backup.exists() || backup.with_extension("absent").exists() {
            restore(&path, &backup);
        }
        let original = fs::read(&path).ok();
        fs::create_dir_all(backup.parent().expect("backup dir")).expect("backup dir");
        match &original {
            Some(bytes) => fs::write(&backup, bytes).expect("back up the PAM file"),
            None => fs::write(backup.with_extension("absent"), b"").expect("mark absent"),
        }
        fs::write(&path, text).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
        SystemPamFile {
            name: name.to_string(),
            path,
            original,
        }
    }
}

/// Puts back what `backup` says was there, and forgets the backup.
fn restore(path: &PathBuf, backup: &PathBuf) {
    if backup.exists() {
        if let Ok(bytes) = fs::read(backup) {
            let _ = fs::write(path, bytes);
        }
    } else {
        let _ = fs::remove_file(path);
    }
    let _ = fs::remove_file(backup);
    let _ = fs::remove_file(backup.with_extension("absent"));
}

impl Drop for SystemPamFile {
    fn drop(&mut self) {
        match &self.original {
            Some(bytes) => {
                let _ = fs::write(&self.path, bytes);
            }
            None => {
                let _ = fs::remove_file(&self.path);
            }
        }
        let backup = backup_path(&self.name);
        let _ = fs::remove_file(&backup);
        let _ = fs::remove_file(backup.with_extension("absent"));
        held()
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&self.name);
    }
}
