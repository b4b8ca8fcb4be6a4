//! Whether this start may have lost writes, and from when codes must be fenced.
//!
//! Login saves are not fsynced (`deferred.rs`). A killed daemon loses none of them: they sit in
//! the kernel's page cache, which outlives the process. Only a crash of the machine itself (power
//! loss, kernel panic) can drop them, and that always changes the kernel's boot id. So the state
//! directory keeps the boot id of the run that may hold unsynced writes, and a clean stop syncs
//! everything and leaves a marker. At start:
//! - marker present, or same boot as the last run, or no earlier run recorded: nothing lost;
//! - otherwise the machine went down under a running daemon: every TOTP step that could have
//!   been used before now is refused (the fence: `methods/code/check.rs`), for about
//!   `(window + 1) × period` — a minute with the defaults.

use crate::private_files::atomic::{self, Flush};
use std::path::Path;

/// The boot id of the run that may hold unsynced writes.
const BOOT_FILE: &str = "boot-id";
/// Left by a clean stop, after every write was synced.
const CLEAN_STOP_FILE: &str = "clean-stop";
/// Debug builds only: this file's content stands in for the kernel's boot id, so a test can
/// stage "the machine rebooted".
pub const TEST_BOOT_ID_FILE: &str = "test-boot-id";

/// What the last run left, as read at start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastRun {
    pub boot_id: Option<String>,
    pub stopped_cleanly: bool,
}

/// The unix time from which decisions may have been lost (`now`), or None.
pub fn fence_from(last: &LastRun, current_boot: Option<&str>, now: u64) -> Option<u64> {
    if last.stopped_cleanly {
        return None;
    }
    match (last.boot_id.as_deref(), current_boot) {
        // First start, or an older mfad that synced every write.
        (None, _) => None,
        (Some(last), Some(current)) if last == current => None,
        _ => Some(now),
    }
}

/// Read what the last run left, then record this run: its boot id synced, the marker gone
/// (synced), before any login can write. Returns the fence for this run.
pub fn begin_run(state_dir: &Path, now: u64) -> Result<Option<u64>, String> {
    let last = LastRun {
        boot_id: std::fs::read_to_string(state_dir.join(BOOT_FILE))
            .ok()
            .map(|s| s.trim().to_string()),
        stopped_cleanly: state_dir.join(CLEAN_STOP_FILE).exists(),
    };
    let current = boot_id(state_dir);
    let fence = fence_from(&last, current.as_deref(), now);
    let shown = |e: std::io::Error| format!("{}: {e}", state_dir.display());
    atomic::write_atomically(
        state_dir,
        BOOT_FILE,
        current.unwrap_or_default().as_bytes(),
        Flush::Now,
    )
    .map_err(shown)?;
    if last.stopped_cleanly {
        std::fs::remove_file(state_dir.join(CLEAN_STOP_FILE)).map_err(shown)?;
        std::fs::File::open(state_dir)
            .and_then(|d| d.sync_all())
            .map_err(shown)?;
    }
    Ok(fence)
}

/// A clean stop: every write of this run on disk, then the marker (synced).
pub fn end_run(state_dir: &Path) -> std::io::Result<()> {
    let dir = std::fs::File::open(state_dir)?;
    // One syncfs covers every deferred save of this run, whatever file it went to.
    if unsafe { libc::syncfs(std::os::fd::AsRawFd::as_raw_fd(&dir)) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    atomic::write_atomically(state_dir, CLEAN_STOP_FILE, b"", Flush::Now)
}

/// The kernel's boot id (a new random one at every boot).
fn boot_id(state_dir: &Path) -> Option<String> {
    let staged = state_dir.join(TEST_BOOT_ID_FILE);
    let path = if cfg!(debug_assertions) && staged.exists() {
        staged
    } else {
        "/proc/sys/kernel/random/boot_id".into()
    };
    let id = std::fs::read_to_string(path).ok()?.trim().to_string();
    (!id.is_empty()).then_some(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn last(boot: Option<&str>, clean: bool) -> LastRun {
        LastRun {
            boot_id: boot.map(str::to_string),
            stopped_cleanly: clean,
        }
    }

    #[test]
    fn a_killed_daemon_restarted_on_the_same_boot_is_not_fenced() {
        assert_eq!(fence_from(&last(Some("a"), false), Some("a"), 50), None);
    }

    #[test]
    fn a_machine_that_went_down_under_a_running_daemon_fences_from_the_start() {
        assert_eq!(fence_from(&last(Some("a"), false), Some("b"), 50), Some(50));
        assert_eq!(fence_from(&last(Some("a"), false), None, 50), Some(50));
    }

    #[test]
    fn a_clean_stop_or_a_first_start_is_not_fenced() {
        assert_eq!(fence_from(&last(Some("a"), true), Some("b"), 50), None);
        assert_eq!(fence_from(&last(None, false), Some("b"), 50), None);
    }

    fn state_dir(tag: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("mfad-fence-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("dir");
        dir
    }

    #[test]
    fn a_run_ended_cleanly_leaves_no_fence_and_one_that_was_not_fences_after_a_reboot() {
        let dir = state_dir("runs");
        std::fs::write(dir.join(TEST_BOOT_ID_FILE), "boot-1").expect("boot id");
        assert_eq!(begin_run(&dir, 10).expect("first"), None);
        end_run(&dir).expect("clean stop");
        std::fs::write(dir.join(TEST_BOOT_ID_FILE), "boot-2").expect("reboot");
        assert_eq!(begin_run(&dir, 20).expect("after a clean stop"), None);
        // No clean stop this time, and the machine reboots.
        std::fs::write(dir.join(TEST_BOOT_ID_FILE), "boot-3").expect("reboot");
        assert_eq!(begin_run(&dir, 30).expect("after a crash"), Some(30));
        // The same boot again (the daemon was killed): nothing lost.
        assert_eq!(begin_run(&dir, 40).expect("after a kill"), None);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
