//! What a user may do to their own account through the Enroll interface. The account is the
//! caller's (uid from the bus, name from NSS), never an argument. Adding, replacing or removing a
//! method needs a current factor first (a re-authentication ticket) when the user has one; a
//! first method is governed by `[enrollment] first`.

pub(crate) mod console;
mod steps;

use crate::auth::{AuthError, Engine};
use crate::config::{FirstEnrollment, Language};
pub use crate::login_context::EnrollError;
use crate::login_context::{LoginContext, change_line};
use crate::methods::PendingEnrollments;
pub use crate::methods::code::pending::MAX_ATTEMPTS as MAX_CONFIRM_ATTEMPTS;
use crate::methods::enrolled::{enrolled_names, preferred_order};
pub use crate::methods::push::enroll::LinkStarted;
use crate::sessions::Caller;
use crate::store::UserRecord;
use mfa_proto::Step;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Name of the state file holding when the grace period started.
const GRACE_MARKER: &str = "enrollment-grace-start";

pub struct Enroller {
    engine: Arc<Engine>,
    /// Each method's enrollments until confirmed (see each method's `enroll.rs`).
    pending: PendingEnrollments,
    /// Unix time the grace period started (only with `first = "grace"`).
    grace_start: Option<u64>,
}

/// The caller's account name, looked up off the async workers.
async fn own_user(caller: &Caller) -> Result<String, EnrollError> {
    crate::auth::accounts::name_of_uid(caller.uid)
        .await
        .ok()
        .filter(|name| crate::store::is_valid_username(name))
        .ok_or_else(|| {
            EnrollError::NotAllowed(format!("uid {} has no usable account name", caller.uid))
        })
}

impl Enroller {
    /// Records the grace period's start on first use, so "N days after the policy was switched
    /// on" survives restarts.
    pub async fn new(engine: Arc<Engine>) -> Result<Enroller, String> {
        let grace_start = match engine.config().enrollment.first {
            FirstEnrollment::Grace => Some(
                engine
                    .store()
                    .marker(GRACE_MARKER, engine.clock().unix_now())
                    .await
                    .map_err(|e| e.to_string())?,
            ),
            _ => None,
        };
        Ok(Enroller {
            engine,
            pending: PendingEnrollments::default(),
            grace_start,
        })
    }

    /// What the methods' enrollment steps work with.
    fn cx(&self) -> &LoginContext {
        self.engine.context()
    }

    async fn record(&self, user: &str) -> Result<Option<UserRecord>, EnrollError> {
        self.cx().own_record(user).await
    }

    /// May `caller` add, replace or remove a method of its own account now?
    async fn may_change(
        &self,
        caller: &Caller,
        user: &str,
        is_local_console: impl Future<Output = bool>,
    ) -> Result<(), EnrollError> {
        let has_method = self.record(user).await?.is_some_and(|r| r.is_enrolled());
        if has_method {
            return if self.engine.reauthenticated(caller) {
                Ok(())
            } else {
                Err(EnrollError::ReauthRequired)
            };
        }
        let policy = &self.engine.config().enrollment;
        match policy.first {
            FirstEnrollment::Admin => Err(EnrollError::NotAllowed(
                "a first method is enrolled by an administrator here (mfa admin enroll-totp)"
                    .into(),
            )),
            FirstEnrollment::Grace => {
                let ends = self
                    .grace_start
                    .unwrap_or(0)
                    .saturating_add(policy.grace_days * 86_400);
                if self.engine.clock().unix_now() < ends {
                    Ok(())
                } else {
                    Err(EnrollError::NotAllowed(
                        "the enrollment grace period has ended: ask an administrator".into(),
                    ))
                }
            }
            FirstEnrollment::Console if is_local_console.await => Ok(()),
            FirstEnrollment::Console => Err(EnrollError::NotAllowed(
                "a first method can only be enrolled from a local console".into(),
            )),
        }
    }

    pub async fn start_reauth(&self, caller: Caller) -> Result<(String, Step), EnrollError> {
        let user = own_user(&caller).await?;
        self.engine
            .start_reauth(caller, &user)
            .await
            .map_err(|e| match e {
                AuthError::AccessDenied(m) => EnrollError::NotAllowed(m),
                AuthError::InvalidArgs(m) => EnrollError::InvalidArgs(m),
                AuthError::Busy => {
                    EnrollError::Failed("too many sign-ins at once; try again".into())
                }
            })
    }

    /// Removing a method always needs a current factor.
    pub async fn remove(&self, caller: &Caller, method: &str) -> Result<(), EnrollError> {
        let user = own_user(caller).await?;
        if !self.engine.reauthenticated(caller) {
            return Err(EnrollError::ReauthRequired);
        }
        let line = change_line(caller, &user, "remove", method);
        crate::methods::enrolled::remove(self.cx(), &user, method, &line)
            .await
            .map_err(EnrollError::Failed)?;
        self.cx().note_change(&line, &user, "remove", method);
        Ok(())
    }

    pub async fn status(&self, caller: &Caller) -> Result<BTreeMap<String, String>, EnrollError> {
        let user = own_user(caller).await?;
        let mut out = crate::methods::enrolled::status(self.cx(), &user)
            .await
            .map_err(EnrollError::Failed)?;
        let record = self.record(&user).await?.unwrap_or_default();
        out.insert(
            "language".into(),
            self.cx().lang_of(Some(&record)).as_str().into(),
        );
        out.insert("preferred".into(), preferred_order(&record).join(","));
        if let Some(last) = &record.last_login {
            out.insert("last_login.time".into(), last.time.to_string());
            out.insert("last_login.service".into(), last.service.clone());
            out.insert("last_login.rhost".into(), last.rhost.clone());
            out.insert("last_login.method".into(), last.method.clone());
        }
        Ok(out)
    }

    /// Offer `method` first. Not a change of methods, so no re-authentication.
    pub async fn prefer(&self, caller: &Caller, method: &str) -> Result<(), EnrollError> {
        let user = own_user(caller).await?;
        let method = method.to_string();
        self.engine
            .change_record(&user, crate::store::Missing::Create, None, move |record| {
                let enrolled = enrolled_names(record);
                if !enrolled.contains(&method.as_str()) {
                    return Err(format!(
                        "{method} is not one of your methods ({})",
                        enrolled.join(", ")
                    ));
                }
                record.preferred = std::iter::once(method.clone())
                    .chain(
                        enrolled
                            .iter()
                            .filter(|m| **m != method)
                            .map(|m| m.to_string()),
                    )
                    .collect();
                Ok(())
            })
            .await
            .map_err(EnrollError::InvalidArgs)
    }

    pub async fn set_language(&self, caller: &Caller, language: &str) -> Result<(), EnrollError> {
        let user = own_user(caller).await?;
        let lang: Language = language
            .parse()
            .map_err(|e| EnrollError::InvalidArgs(format!("{language:?}: {e}")))?;
        self.engine
            .change_record(&user, crate::store::Missing::Create, None, move |record| {
                record.language = Some(lang.as_str().to_string());
                Ok(())
            })
            .await
            .map_err(EnrollError::Failed)
    }

    /// A connection left the bus: its pending enrollment goes with it.
    pub fn caller_left(&self, sender: &str) {
        self.pending.forget(sender);
    }
}
