//! The decisions every method's answer ends in, once it has opened the user's record
//! (`methods/open_record.rs`): success (failures reset, the login noted) or a failure counted,
//! each made durable before the answer; and the wording of a wrong code and of "cannot check
//! now".

use super::LoginContext;
use crate::audit::Level;
use crate::limits;
use crate::sessions::{Purpose, Session};
use crate::store::{LastLogin, Transaction, UserRecord};
use crate::texts::Text;
use mfa_proto::Step;

impl LoginContext {
    /// Accepted: reset the failures, note the login, and make it durable before "yes" (a crash
    /// after this point cannot let the same code be used again).
    pub(crate) async fn succeed(
        &self,
        session: &Session,
        txn: Transaction,
        mut record: UserRecord,
        method: &'static str,
        now: u64,
    ) -> Step {
        limits::record_success(&mut record.failures);
        if session.purpose == Purpose::Login {
            record.last_login = Some(LastLogin {
                time: now,
                service: session.service.clone(),
                rhost: session.rhost.clone(),
                method: method.into(),
            });
        }
        let line = self.pend(&mut record, session, method, "granted");
        if let Err(e) = txn.commit(record).await {
            crate::metrics::store_error();
            return self.unavailable(session, &e.to_string());
        }
        if session.purpose == Purpose::Reauth {
            self.tickets
                .grant(&session.caller.sender, session.caller.uid, self.clock.now());
        }
        self.log_saved(session, method, "granted", &line);
        Step::Granted
    }

    /// Count a failure durably; returns the final step when it locked the account or could not
    /// be stored, `None` when the caller decides what comes next.
    pub(crate) async fn fail(
        &self,
        session: &Session,
        txn: Transaction,
        mut record: UserRecord,
        method: &str,
        outcome: &str,
        now: u64,
    ) -> Option<Step> {
        let limits = &self.config().limits;
        let locked_now = limits::record_failure(&mut record.failures, limits, now);
        let line = self.pend(&mut record, session, method, outcome);
        if let Err(e) = txn.commit(record).await {
            crate::metrics::store_error();
            return Some(self.unavailable(session, &e.to_string()));
        }
        self.log_saved(session, method, outcome, &line);
        if locked_now {
            crate::metrics::locked();
            let message = format!(
                "account {} locked after {} consecutive failures",
                session.user, limits.max_failures
            );
            self.audit.log(Level::Warning, &message);
            return Some(Step::Locked {
                text: crate::texts::fit(
                    session.lang,
                    session.render,
                    Text::Locked,
                    Text::LockedShort,
                ),
            });
        }
        None
    }

    pub(crate) fn wrong_code(&self, session: &Session) -> Step {
        Step::Denied {
            text: crate::texts::fit(
                session.lang,
                session.render,
                Text::WrongCode,
                Text::WrongCodeShort,
            ),
        }
    }

    pub(crate) fn unavailable(&self, session: &Session, error: &str) -> Step {
        self.audit.log(
            Level::Error,
            &format!("cannot check the code of {}: {error}", session.user),
        );
        self.log_session(session, "-", "unavailable");
        Step::Unavailable {
            text: crate::texts::fit(
                session.lang,
                session.render,
                Text::Unavailable,
                Text::UnavailableShort,
            ),
        }
    }

    pub(crate) fn log_session(&self, s: &Session, method: &str, outcome: &str) {
        self.decide(&s.caller, &s.user, &s.service, &s.rhost, method, outcome);
    }
}
