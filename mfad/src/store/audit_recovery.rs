//! Crash consistency between a state change and its audit line. The line goes into the user's
//! record (`audit_pending`) in the same atomic save as the change and is appended to the audit
//! files after it; a crash in between leaves it only in the record. At start-up every pending
//! line whose id is in no audit file is written, so each saved change has its line. It lives
//! with the store, which logs through the audit, so that the audit depends on no store.

use super::UserStore;
use crate::audit::{Audit, Level, record};
use std::collections::HashSet;

/// Lines read back when looking for ids: far more than saves between two crashes.
const LINES_SEARCHED: usize = 100_000;

/// The id of a record line, if it has one.
fn id_of(line: &str) -> Option<String> {
    record::Entry::parse(line).and_then(|e| e.get("id").map(str::to_string))
}

/// Writes the pending lines of every record that no audit file holds yet; returns how many.
/// Runs before the daemon serves, so no line is being written meanwhile.
pub async fn recover(audit: &Audit, store: &dyn UserStore) -> usize {
    let Some(dir) = audit.record_dir() else {
        return 0;
    };
    let written: HashSet<String> = match record::tail(dir, None, LINES_SEARCHED) {
        Ok(lines) => lines.iter().filter_map(|l| id_of(l)).collect(),
        Err(e) => {
            audit.log(Level::Error, &format!("audit recovery: {e}"));
            return 0;
        }
    };
    let users = match store.users().await {
        Ok(users) => users,
        Err(e) => {
            audit.log(Level::Error, &format!("audit recovery: {e}"));
            return 0;
        }
    };
    let mut recovered = 0;
    for user in users {
        let Ok(Some(user_record)) = store.get(&user).await else {
            continue;
        };
        for line in &user_record.audit_pending {
            if id_of(line).is_some_and(|id| !written.contains(&id)) {
                audit.record_line(line);
                recovered += 1;
            }
        }
    }
    if recovered > 0 {
        audit.log(
            Level::Notice,
            &format!("audit recovery: wrote {recovered} line(s) a crash had held back"),
        );
    }
    recovered
}
