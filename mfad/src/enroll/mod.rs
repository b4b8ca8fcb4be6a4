//! What a user may do to their own account through the Enroll interface. The account is the
//! caller's (uid from the bus, name from NSS), never an argument. Adding, replacing or removing a
//! method needs a current factor first (a re-authentication ticket) when the user has one; a
//! first method is governed by `[enrollment] first`.

mod console;
mod pending;
mod phone;
mod push;

use crate::admin;
use crate::audit::pending::PendingLine;
use crate::auth::{AuthError, Engine, unix_now};
use crate::config::{FirstEnrollment, Language};
use crate::methods::code::totp::{self, TotpParams, Verdict};
use crate::sessions::Caller;
use crate::store::{TotpMethod, UserRecord};
use mfa_proto::Step;
pub use pending::MAX_ATTEMPTS as MAX_CONFIRM_ATTEMPTS;
use pending::PendingTotps;
pub use phone::policy as phone_policy;
pub use push::LinkStarted;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Name of the state file holding when the grace period started.
const GRACE_MARKER: &str = "enrollment-grace-start";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnrollError {
    /// The user has a method: confirm with it first (`StartReauth`).
    ReauthRequired,
    /// Policy forbids it; the text says why and what to do.
    NotAllowed(String),
    InvalidArgs(String),
    Failed(String),
}

pub struct Enroller {
    engine: Arc<Engine>,
    pending: PendingTotps,
    phones: phone::PendingPhones,
    links: push::PendingLinks,
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
                    .marker(GRACE_MARKER, unix_now())
                    .await
                    .map_err(|e| e.to_string())?,
            ),
            _ => None,
        };
        Ok(Enroller {
            engine,
            pending: PendingTotps::default(),
            phones: phone::PendingPhones::default(),
            links: push::PendingLinks::default(),
            grace_start,
        })
    }

    async fn record(&self, user: &str) -> Result<Option<UserRecord>, EnrollError> {
        let record = self.engine.store().get(user).await;
        record.map_err(|e| EnrollError::Failed(e.to_string()))
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
                if unix_now() < ends {
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

    /// A change a user made to their own methods: to syslog and to the daemon's audit record.
    /// The audit line of a user's own change, saved with the change and written by
    /// [`Enroller::note`] once it is done.
    fn change_line(caller: &Caller, user: &str, action: &str, method: &str) -> PendingLine {
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

    fn note(&self, line: &PendingLine, user: &str, action: &str, method: &str) {
        let audit = self.engine.audit();
        line.write(audit);
        audit.log(
            crate::audit::Level::Notice,
            &format!("{user}: {action} ({method}) by the user"),
        );
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

    /// A new secret, kept pending (bound to this connection) until `confirm_totp` sees a right
    /// code from the app. Returns the otpauth:// URI.
    pub async fn begin_totp(
        &self,
        caller: &Caller,
        conn: &zbus::Connection,
    ) -> Result<String, EnrollError> {
        let user = own_user(caller).await?;
        self.may_change(
            caller,
            &user,
            console::is_local_console(conn, &caller.sender),
        )
        .await?;
        let defaults = &self.engine.config().totp;
        let params = TotpParams {
            secret: totp::new_secret().map_err(EnrollError::Failed)?,
            algorithm: defaults.algorithm,
            digits: defaults.digits,
            period: defaults.period,
        };
        let uri = totp::otpauth_uri(&params, &defaults.issuer, &user);
        self.pending.put(caller, params);
        Ok(uri)
    }

    /// Activate the pending secret if `code` is right for it. The step of that code counts as
    /// used, so the code cannot log in afterwards.
    pub async fn confirm_totp(&self, caller: &Caller, code: &str) -> Result<bool, EnrollError> {
        let user = own_user(caller).await?;
        crate::panic_inject::point("enroll");
        let code = mfa_proto::normalize_code(code.as_bytes())
            .map_err(|e| EnrollError::InvalidArgs(e.to_string()))?;
        let window = self.engine.config().totp.window;
        let (step, params) = self
            .pending
            .attempt(caller, |params| {
                match totp::verify(params, &code, unix_now(), window, 0) {
                    Verdict::Accepted(step) => Some(step),
                    _ => None,
                }
            })
            .ok_or_else(|| {
                EnrollError::InvalidArgs(
                    "no enrollment in progress (or too many wrong codes): start again".into(),
                )
            })?;
        let Some(step) = step else { return Ok(false) };
        let method = TotpMethod {
            secret: totp::encode_secret(&params.secret),
            algorithm: params.algorithm.to_string(),
            digits: params.digits,
            period: params.period,
            last_step: step,
            enrolled_at: unix_now(),
            window: None,
        };
        let line = Self::change_line(caller, &user, "enroll-totp", "totp");
        admin::update_own(&self.engine, &user, Some(&line), move |record| {
            crate::methods::code::totp::history::install(record, method);
            Ok(())
        })
        .await
        .map_err(EnrollError::Failed)?;
        self.note(&line, &user, "enroll-totp", "totp");
        Ok(true)
    }

    pub async fn backup_codes(
        &self,
        caller: &Caller,
        conn: &zbus::Connection,
    ) -> Result<Vec<String>, EnrollError> {
        let user = own_user(caller).await?;
        self.may_change(
            caller,
            &user,
            console::is_local_console(conn, &caller.sender),
        )
        .await?;
        let line = Self::change_line(caller, &user, "backup-codes", "backup");
        let codes = admin::generate_backup_codes(&self.engine, &user, &line)
            .await
            .map_err(EnrollError::Failed)?;
        self.note(&line, &user, "backup-codes", "backup");
        Ok(codes)
    }

    /// Removing a method always needs a current factor.
    pub async fn remove(&self, caller: &Caller, method: &str) -> Result<(), EnrollError> {
        let user = own_user(caller).await?;
        if !self.engine.reauthenticated(caller) {
            return Err(EnrollError::ReauthRequired);
        }
        let line = Self::change_line(caller, &user, "remove", method);
        admin::remove(&self.engine, &user, method, &line)
            .await
            .map_err(EnrollError::Failed)?;
        self.note(&line, &user, "remove", method);
        Ok(())
    }

    pub async fn status(&self, caller: &Caller) -> Result<BTreeMap<String, String>, EnrollError> {
        let user = own_user(caller).await?;
        let mut out = admin::status(&self.engine, &user)
            .await
            .map_err(EnrollError::Failed)?;
        let record = self.record(&user).await?.unwrap_or_default();
        out.insert(
            "language".into(),
            self.engine.lang_of(Some(&record)).as_str().into(),
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
        admin::update_own(&self.engine, &user, None, move |record| {
            let enrolled = enrolled_methods(record);
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
        admin::update_own(&self.engine, &user, None, move |record| {
            record.language = Some(lang.as_str().to_string());
            Ok(())
        })
        .await
        .map_err(EnrollError::Failed)
    }

    /// A connection left the bus: its pending enrollment goes with it.
    pub fn caller_left(&self, sender: &str) {
        self.pending.forget(sender);
        self.phones.forget(sender);
        self.links.forget(sender);
    }
}

fn enrolled_methods(record: &UserRecord) -> Vec<&'static str> {
    record.methods().into_iter().map(|m| m.name()).collect()
}

/// The user's preferred order, completed with any enrolled method they did not list.
pub fn preferred_order(record: &UserRecord) -> Vec<String> {
    let enrolled = enrolled_methods(record);
    let mut order: Vec<String> = record
        .preferred
        .iter()
        .filter(|m| enrolled.contains(&m.as_str()))
        .cloned()
        .collect();
    for m in enrolled {
        if !order.iter().any(|o| o == m) {
            order.push(m.to_string());
        }
    }
    order
}
