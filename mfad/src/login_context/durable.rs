//! A decision whose state change is saved: its audit line rides in the same atomic save
//! (`audit_pending`) and is written after it, so a crash in between cannot lose it.

use super::LoginContext;
use crate::audit::Decision;
use crate::sessions::Session;
use crate::store::UserRecord;

impl LoginContext {
    fn decision_of<'a>(s: &'a Session, method: &'a str, outcome: &'a str) -> Decision<'a> {
        Decision {
            user: &s.user,
            service: &s.service,
            rhost: &s.rhost,
            caller_uid: s.caller.uid,
            method,
            outcome,
        }
    }

    /// Puts the audit line of this decision into `record` (replacing the last one, written
    /// by now) before it is saved; returns it for [`LoginContext::log_saved`].
    pub(crate) fn pend(
        &self,
        record: &mut UserRecord,
        s: &Session,
        method: &str,
        outcome: &str,
    ) -> String {
        let line = self
            .audit
            .decision_line(&Self::decision_of(s, method, outcome));
        record.audit_pending = vec![line.clone()];
        line
    }

    /// Logs the decision whose line [`LoginContext::pend`] saved.
    pub(crate) fn log_saved(&self, s: &Session, method: &str, outcome: &str, line: &str) {
        self.crash_after_save_in_tests();
        self.audit
            .write_decision(&Self::decision_of(s, method, outcome), line);
        crate::metrics::decision(method, outcome);
    }

    /// Debug builds only: the test knob that aborts between a save and its audit line.
    pub(crate) fn crash_after_save_in_tests(&self) {
        crate::audit::pending::crash_after_save_in_tests(&self.config().daemon.state_dir);
    }
}
