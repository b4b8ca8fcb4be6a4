//! `Answer`: check a typed code under the user's lock, count failures, and persist the new
//! last-used step before saying yes.

use super::{AuthError, Engine, authorize, unix_now};
use crate::audit::Level;
use crate::config::Algorithm;
use crate::limits::{self, Gate};
use crate::sessions::{Caller, Session};
use crate::store::TotpMethod;
use crate::texts::{self, Text};
use crate::totp::{self, TotpParams, Verdict};
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
            let _ = totp::verify(
                &decoy_params(),
                &code,
                unix_now(),
                self.config.totp.window,
                0,
            );
            self.log_session(&session, "denied-not-enrolled");
            return Ok(self.wrong_code());
        }
        self.check_code(&session, &code).await
    }

    async fn check_code(&self, session: &Session, code: &str) -> Result<Step, AuthError> {
        let user = session.user.as_str();
        let _guard = self.lock_user(user).await;
        let mut record = match self.load(user).await {
            Ok(Some(record)) if record.is_enrolled() => record,
            Ok(_) => {
                self.log_session(session, "denied-not-enrolled");
                return Ok(self.wrong_code());
            }
            Err(e) => return Ok(self.unavailable(session, &e)),
        };
        let now = unix_now();
        let limits = &self.config.limits;
        match limits::gate(&record.failures, limits, now) {
            Gate::Locked => {
                self.log_session(session, "locked");
                return Ok(Step::Locked {
                    text: self.text(Text::Locked),
                });
            }
            Gate::Cooldown(seconds) => {
                self.log_session(session, "refused-cooldown");
                return Ok(Step::Denied {
                    text: texts::cooldown(self.lang(), seconds),
                });
            }
            Gate::Open => {}
        }
        let Some(method) = record.totp.as_mut() else {
            return Ok(self.wrong_code());
        };
        let params = match params_of(method) {
            Ok(p) => p,
            Err(e) => return Ok(self.unavailable(session, &e)),
        };
        let verdict = totp::verify(
            &params,
            code,
            now,
            self.config.totp.window,
            method.last_step,
        );
        if let Verdict::Accepted(step) = verdict {
            method.last_step = step;
            limits::record_success(&mut record.failures);
            // Durable before "yes": a crash after this point cannot let the code be used again.
            if let Err(e) = self.save(user, record).await {
                return Ok(self.unavailable(session, &e));
            }
            self.log_session(session, "granted");
            return Ok(Step::Granted);
        }
        let locked_now = limits::record_failure(&mut record.failures, limits, now);
        if let Err(e) = self.save(user, record).await {
            return Ok(self.unavailable(session, &e));
        }
        let outcome = if verdict == Verdict::Replayed {
            "denied-replayed"
        } else {
            "denied-wrong-code"
        };
        self.log_session(session, outcome);
        if locked_now {
            self.audit.log(
                Level::Warning,
                &format!(
                    "account {user} locked after {} consecutive failures",
                    limits.max_failures
                ),
            );
            return Ok(Step::Locked {
                text: self.text(Text::Locked),
            });
        }
        Ok(self.wrong_code())
    }

    fn wrong_code(&self) -> Step {
        Step::Denied {
            text: self.text(Text::WrongCode),
        }
    }

    fn unavailable(&self, session: &Session, error: &str) -> Step {
        self.audit.log(
            Level::Error,
            &format!("cannot check the code of {}: {error}", session.user),
        );
        self.log_session(session, "unavailable");
        Step::Unavailable {
            text: self.text(Text::Unavailable),
        }
    }

    fn log_session(&self, s: &Session, outcome: &str) {
        self.decide(&s.caller, &s.user, &s.service, &s.rhost, outcome);
    }
}

pub fn params_of(method: &TotpMethod) -> Result<TotpParams, String> {
    let params = TotpParams {
        secret: totp::decode_secret(&method.secret)?,
        algorithm: method
            .algorithm
            .parse::<Algorithm>()
            .map_err(|_| format!("unknown algorithm {}", method.algorithm))?,
        digits: method.digits,
        period: method.period,
    };
    params.validate()?;
    Ok(params)
}

/// A fixed secret for the decoy check of users with nothing enrolled.
fn decoy_params() -> TotpParams {
    TotpParams {
        secret: vec![0x5a; totp::NEW_SECRET_BYTES],
        algorithm: Algorithm::Sha1,
        digits: 6,
        period: 30,
    }
}
