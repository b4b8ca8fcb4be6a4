//! Debug builds only, for the power-loss test (`tests/tests/black_box/durability.rs`): when the
//! state directory holds a `test-power-loss/` directory, every record file about to be replaced
//! without fsync first has its last synced content kept there (`<file>`, or `<file>.absent` when
//! there was none). A test that kills the daemon and puts those back has the disk a power loss
//! could have left. A synced write or a clean stop makes the kept content stale, so it is dropped.

use std::path::Path;

const JOURNAL_DIR: &str = "test-power-loss";
const ABSENT: &str = ".absent";

fn journal(state_dir: &Path) -> Option<std::path::PathBuf> {
    let dir = state_dir.join(JOURNAL_DIR);
    (cfg!(debug_assertions) && dir.is_dir()).then_some(dir)
}

/// Before `users/<name>` is replaced without fsync: keep its synced content, once.
pub fn keep_synced_content(state_dir: &Path, users: &Path, name: &str) {
    let Some(journal) = journal(state_dir) else {
        return;
    };
    if journal.join(name).exists() || journal.join(format!("{name}{ABSENT}")).exists() {
        return;
    }
    let _ = match std::fs::read(users.join(name)) {
        Ok(bytes) => std::fs::write(journal.join(name), bytes),
        Err(_) => std::fs::write(journal.join(format!("{name}{ABSENT}")), b""),
    };
}

/// `users/<name>` was synced: nothing of it can be lost any more.
pub fn synced(state_dir: &Path, name: &str) {
    if let Some(journal) = journal(state_dir) {
        let _ = std::fs::remove_file(journal.join(name));
        let _ = std::fs::remove_file(journal.join(format!("{name}{ABSENT}")));
    }
}

/// Everything was synced (a clean stop).
pub fn all_synced(state_dir: &Path) {
    let entries = journal(state_dir).and_then(|dir| std::fs::read_dir(dir).ok());
    for entry in entries.into_iter().flatten().flatten() {
        let _ = std::fs::remove_file(entry.path());
    }
}
