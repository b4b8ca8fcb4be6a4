//! `Answer`: move the session along its stages (code prompt, menu, text message), check codes
//! in one store transaction each, count failures, and persist the used-up state (TOTP step,
//! backup code, texted code) before saying yes.

use super::stage::Stage;
use super::{AuthError, Engine};
use crate::audit::Level;
use crate::limits::{self, Gate};
use crate::sessions::{Caller, Purpose, Session};
use crate::store::{LastLogin, StoreError, Transaction, UserRecord};
use crate::texts::{self, Text};
use mfa_proto::{MENU_TOKEN, Step};

impl Engine {
    pub async fn answer(&self, caller: &Caller, id: &str, answer: &str) -> Result<Step, AuthError> {
        if answer.len() > mfa_proto::MAX_ANSWER_LEN {
            return Err(AuthError::InvalidArgs("answer too long".into()));
        }
        let mut session = self.take_session(caller, id)?;
        let typed = answer.trim();
        let step = if typed == MENU_TOKEN {
            self.abandon(&session.stage);
            session.stage = Stage::Menu;
            self.menu_step(&session, None)
        } else {
            match session.stage.clone() {
                Stage::Menu => self.choose(&mut session, typed).await,
                Stage::In(id, state) => {
                    let method = crate::methods::get(id);
                    method.answer(self, &mut session, state, typed).await
                }
            }
        };
        self.keep_if_continuing(id, session, &step);
        Ok(step)
    }

    /// The user's record in a transaction (the user locked until it ends), if enrolled and not
    /// held back by the limits; else the final step.
    pub(crate) async fn open_record(
        &self,
        session: &Session,
    ) -> Result<(Transaction, UserRecord), Step> {
        let mut txn = match self.store.begin(&session.user).await {
            Ok(txn) => txn,
            Err(StoreError::InvalidName) => {
                self.log_session(session, "-", "denied-not-enrolled");
                return Err(self.wrong_code(session));
            }
            Err(e) => return Err(self.unavailable(session, &e.to_string())),
        };
        let record = match txn.record.take() {
            Some(record) if record.is_enrolled() => record,
            _ => {
                self.log_session(session, "-", "denied-not-enrolled");
                return Err(self.wrong_code(session));
            }
        };
        match limits::gate(
            &record.failures,
            &self.config().limits,
            self.clock.unix_now(),
        ) {
            Gate::Locked => {
                self.log_session(session, "-", "locked");
                Err(Step::Locked {
                    text: Text::Locked.text(session.lang).to_string(),
                })
            }
            Gate::Cooldown(seconds) => {
                self.log_session(session, "-", "refused-cooldown");
                Err(Step::Denied {
                    text: texts::cooldown(session.lang, seconds),
                })
            }
            Gate::Open => Ok((txn, record)),
        }
    }

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
            return Some(self.unavailable(session, &e.to_string()));
        }
        self.log_saved(session, method, outcome, &line);
        if locked_now {
            let message = format!(
                "account {} locked after {} consecutive failures",
                session.user, limits.max_failures
            );
            self.audit.log(Level::Warning, &message);
            return Some(Step::Locked {
                text: Text::Locked.text(session.lang).to_string(),
            });
        }
        None
    }

    pub(crate) fn wrong_code(&self, session: &Session) -> Step {
        Step::Denied {
            text: Text::WrongCode.text(session.lang).to_string(),
        }
    }

    pub(crate) fn unavailable(&self, session: &Session, error: &str) -> Step {
        self.audit.log(
            Level::Error,
            &format!("cannot check the code of {}: {error}", session.user),
        );
        self.log_session(session, "-", "unavailable");
        Step::Unavailable {
            text: Text::Unavailable.text(session.lang).to_string(),
        }
    }

    pub(crate) fn log_session(&self, s: &Session, method: &str, outcome: &str) {
        self.decide(&s.caller, &s.user, &s.service, &s.rhost, method, outcome);
    }
}
