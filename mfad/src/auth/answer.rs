//! `Answer`: check a typed code under the user's lock, count failures, and persist the used-up
//! state (TOTP step, backup code) before saying yes.

use super::factors::{Check, check_factor};
use super::{AuthError, Engine, authorize, unix_now};
use crate::audit::Level;
use crate::limits::{self, Gate};
use crate::sessions::{Caller, Purpose, Session};
use crate::store::{LastLogin, UserRecord};
use crate::texts::{self, Text};
use mfa_proto::Step;
use std::time::Instant;

impl Engine {
    pub async fn answer(&self, caller: &Caller, id: &str, answer: &str) -> Result<Step, AuthError> {
        authorize::check_session_id(id)?;
        if answer.len() > mfa_proto::MAX_ANSWER_LEN {
            return Err(AuthError::InvalidArgs("answer too long".into()));
        }
        let session = self
            .sessions
            .lock()
            .map_err(|_| AuthError::Busy)?
            .take(id, caller, Instant::now())
            .ok_or_else(|| AuthError::InvalidArgs("no such session".into()))?;
        // The module already refuses non-digits; a direct D-Bus caller gets the same as a wrong code.
        let code = mfa_proto::normalize_code(answer.as_bytes()).unwrap_or_default();
        if !session.enrolled {
            // Same work as a real check, so an unknown user looks like a wrong code.
            let _ = check_factor(
                &mut UserRecord::new(),
                &code,
                unix_now(),
                self.config.totp.window,
            );
            self.log_session(&session, "-", "denied-not-enrolled");
            return Ok(self.wrong_code(&session));
        }
        self.check_code(&session, &code).await
    }

    async fn check_code(&self, session: &Session, code: &str) -> Result<Step, AuthError> {
        let user = session.user.as_str();
        let _guard = self.lock_user(user).await;
        let mut record = match self.load(user).await {
            Ok(Some(record)) if record.is_enrolled() => record,
            Ok(_) => {
                self.log_session(session, "-", "denied-not-enrolled");
                return Ok(self.wrong_code(session));
            }
            Err(e) => return Ok(self.unavailable(session, &e)),
        };
        let now = unix_now();
        let limits = &self.config.limits;
        match limits::gate(&record.failures, limits, now) {
            Gate::Locked => {
                self.log_session(session, "-", "locked");
                return Ok(Step::Locked {
                    text: texts::text(session.lang, Text::Locked).to_string(),
                });
            }
            Gate::Cooldown(seconds) => {
                self.log_session(session, "-", "refused-cooldown");
                return Ok(Step::Denied {
                    text: texts::cooldown(session.lang, seconds),
                });
            }
            Gate::Open => {}
        }
        let check = match check_factor(&mut record, code, now, self.config.totp.window) {
            Ok(check) => check,
            Err(e) => return Ok(self.unavailable(session, &e)),
        };
        if let Check::Accepted(method) = check {
            limits::record_success(&mut record.failures);
            if session.purpose == Purpose::Login {
                record.last_login = Some(LastLogin {
                    time: now,
                    service: session.service.clone(),
                    rhost: session.rhost.clone(),
                    method: method.into(),
                });
            }
            // Durable before "yes": a crash after this point cannot let the code be used again.
            if let Err(e) = self.save(user, record).await {
                return Ok(self.unavailable(session, &e));
            }
            if session.purpose == Purpose::Reauth {
                self.tickets
                    .grant(&session.caller.sender, session.caller.uid);
            }
            self.log_session(session, method, "granted");
            return Ok(Step::Granted);
        }
        let locked_now = limits::record_failure(&mut record.failures, limits, now);
        if let Err(e) = self.save(user, record).await {
            return Ok(self.unavailable(session, &e));
        }
        let outcome = if check == Check::Replayed {
            "denied-replayed"
        } else {
            "denied-wrong-code"
        };
        self.log_session(session, check.method(), outcome);
        if locked_now {
            let message = format!(
                "account {user} locked after {} consecutive failures",
                limits.max_failures
            );
            self.audit.log(Level::Warning, &message);
            return Ok(Step::Locked {
                text: texts::text(session.lang, Text::Locked).to_string(),
            });
        }
        Ok(self.wrong_code(session))
    }

    fn wrong_code(&self, session: &Session) -> Step {
        Step::Denied {
            text: texts::text(session.lang, Text::WrongCode).to_string(),
        }
    }

    fn unavailable(&self, session: &Session, error: &str) -> Step {
        self.audit.log(
            Level::Error,
            &format!("cannot check the code of {}: {error}", session.user),
        );
        self.log_session(session, "-", "unavailable");
        Step::Unavailable {
            text: texts::text(session.lang, Text::Unavailable).to_string(),
        }
    }

    fn log_session(&self, s: &Session, method: &str, outcome: &str) {
        self.decide(&s.caller, &s.user, &s.service, &s.rhost, method, outcome);
    }
}
