//! Crash-safe replacement of a file: temp file in the same directory, rename over the old one.
//! A crash at any point leaves either the old or the new file, never a mix. `Flush::Now` also
//! fsyncs the file and the directory, so the new file survives a power loss too; `Flush::Later`
//! leaves that to the kernel (it survives a killed process, not a power loss: see
//! docs/durability.md for why the login path may use it).

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

/// Temp files start with this prefix; leftovers from a crash are removed at start-up.
pub const TEMP_PREFIX: &str = ".tmp-";

/// Whether a write returns only once it is on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flush {
    /// fsync the file and the directory before returning.
    Now,
    /// Rename without fsync: the kernel writes it back later.
    Later,
}

pub fn write_atomically(
    dir: &Path,
    name: &str,
    contents: &[u8],
    flush: Flush,
) -> std::io::Result<()> {
    let mut random = [0u8; 8];
    getrandom::fill(&mut random).map_err(|e| std::io::Error::other(e.to_string()))?;
    let suffix = hex::encode(random);
    let temp = dir.join(format!("{TEMP_PREFIX}{name}.{suffix}"));
    let result = (|| {
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
            .open(&temp)?;
        file.write_all(contents)?;
        if flush == Flush::Now {
            file.sync_all()?;
        }
        std::fs::rename(&temp, dir.join(name))?;
        if flush == Flush::Now {
            File::open(dir)?.sync_all()?;
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

/// Remove temp files a crash left behind (they never replaced anything, so they hold nothing
/// that was acknowledged).
pub fn remove_stale_temp_files(dir: &Path) -> std::io::Result<usize> {
    let mut removed = 0;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_name().to_string_lossy().starts_with(TEMP_PREFIX) {
            std::fs::remove_file(entry.path())?;
            removed += 1;
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn tempdir(tag: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("mfad-atomic-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn replaces_the_file_with_mode_0600() {
        let dir = tempdir("replace");
        write_atomically(&dir, "a.toml", b"one", Flush::Now).unwrap();
        write_atomically(&dir, "a.toml", b"two", Flush::Later).unwrap();
        assert_eq!(std::fs::read(dir.join("a.toml")).unwrap(), b"two");
        let mode = std::fs::metadata(dir.join("a.toml"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        assert_eq!(
            std::fs::read_dir(&dir).unwrap().count(),
            1,
            "no temp file left"
        );
    }

    #[test]
    fn a_leftover_temp_file_does_not_touch_the_old_state_and_is_cleaned() {
        let dir = tempdir("stale");
        write_atomically(&dir, "a.toml", b"old", Flush::Now).unwrap();
        // What a crash between create and rename leaves: a half-written temp file.
        std::fs::write(dir.join(format!("{TEMP_PREFIX}a.toml.0011")), b"half").unwrap();
        assert_eq!(std::fs::read(dir.join("a.toml")).unwrap(), b"old");
        assert_eq!(remove_stale_temp_files(&dir).unwrap(), 1);
        assert_eq!(std::fs::read(dir.join("a.toml")).unwrap(), b"old");
    }
}
