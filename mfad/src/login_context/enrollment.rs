//! What every method's self-service enrollment shares (the steps are in
//! `methods/*/enroll.rs`, the gate in front of them in `enroll/`): the error the Enroll
//! interface answers with, the user's record, and the audit line of a user's own change.

use super::LoginContext;
use crate::audit::pending::PendingLine;
use crate::sessions::Caller;
use crate::store::UserRecord;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnrollError {
    /// The user has a method: confirm with it first (`StartReauth`).
    ReauthRequired,
    /// Policy forbids it; the text says why and what to do.
    NotAllowed(String),
    InvalidArgs(String),
    Failed(String),
}

/// The audit line of a user's own change, saved with the change and written by
/// [`LoginContext::note_change`] once it is done.
pub fn change_line(caller: &Caller, user: &str, action: &str, method: &str) -> PendingLine {
    let uid = caller.uid.to_string();
    PendingLine::new(
        "enroll",
        &[
            ("action", action),
            ("user", user),
            ("method", method),
            ("caller_uid", &uid),
        ],
    )
}

impl LoginContext {
    /// The record of the user enrolling (none yet is fine).
    pub(crate) async fn own_record(&self, user: &str) -> Result<Option<UserRecord>, EnrollError> {
        let record = self.store().get(user).await;
        record.map_err(|e| EnrollError::Failed(e.to_string()))
    }

    /// A change a user made to their own methods: to syslog and to the daemon's audit record.
    pub(crate) fn note_change(&self, line: &PendingLine, user: &str, action: &str, method: &str) {
        let audit = self.audit();
        line.write(audit);
        audit.log(
            crate::audit::Level::Notice,
            &format!("{user}: {action} ({method}) by the user"),
        );
    }
}
