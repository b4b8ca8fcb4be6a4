//! The audit line of a change to a user's record, made before the change so that it rides in
//! the same atomic save (`audit_pending`) and is written after it: a crash in between leaves
//! it in the record, and start-up recovery (`store::audit_recovery`) writes it then.

use super::{AdminAction, Audit, line_id, record};
use std::path::Path;

/// One change's line, with a line id so that recovery can tell whether it was written.
#[derive(Debug, Clone)]
pub struct PendingLine {
    line: String,
}

impl PendingLine {
    /// A line of `kind` with `fields` and a fresh `id`.
    pub fn new(kind: &str, fields: &[(&str, &str)]) -> PendingLine {
        let id = line_id::new_line_id();
        let mut fields = fields.to_vec();
        fields.push(("id", &id));
        PendingLine {
            line: record::format_line(crate::clock::unix_now(), kind, &fields),
        }
    }

    /// The `admin` line of a change that is about to be done (`a.outcome` is `done`).
    pub fn admin(a: &AdminAction) -> PendingLine {
        let uid = a.caller_uid.to_string();
        PendingLine::new(
            "admin",
            &[
                ("action", a.action),
                ("user", a.user),
                ("method", a.method),
                ("caller_uid", &uid),
                ("outcome", a.outcome),
            ],
        )
    }

    /// What goes into the record's `audit_pending` before it is saved (replacing the last
    /// line, written by now).
    pub fn pending(&self) -> Vec<String> {
        vec![self.line.clone()]
    }

    /// Write the line, once the change it records is saved.
    pub fn write(&self, audit: &Audit) {
        audit.record_line(&self.line);
    }
}

/// Debug builds only: a file `test-crash-after-save` in the state directory makes the daemon
/// abort between a save and its audit line, as a kill -9 would.
pub fn crash_after_save_in_tests(state_dir: &Path) {
    if cfg!(debug_assertions) && state_dir.join("test-crash-after-save").exists() {
        std::process::abort();
    }
}
