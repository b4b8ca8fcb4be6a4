//! Enrolling the code prompt's methods through the Enroll interface: a new TOTP secret kept
//! pending until the app's first code confirms it, and a fresh set of backup codes.

use crate::enroll::{EnrollError, Enroller, console, own_user};
use crate::methods::code::totp::{self, TotpParams, Verdict};
use crate::sessions::Caller;
use crate::store::TotpMethod;

impl Enroller {
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
        self.pending
            .totps
            .put(caller, params, self.engine.clock().now());
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
            .totps
            .attempt(
                caller,
                self.engine.clock().now(),
                |params| match totp::verify(
                    params,
                    &code,
                    self.engine.clock().unix_now(),
                    window,
                    0,
                ) {
                    Verdict::Accepted(step) => Some(step),
                    _ => None,
                },
            )
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
            enrolled_at: self.engine.clock().unix_now(),
            window: None,
        };
        let line = Self::change_line(caller, &user, "enroll-totp", "totp");
        self.engine
            .change_record(
                &user,
                crate::store::Missing::Create,
                Some(&line),
                move |record| {
                    crate::methods::code::totp::history::install(record, method);
                    Ok(())
                },
            )
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
        let codes = super::backup_codes::replace(&self.engine, &user, &line)
            .await
            .map_err(EnrollError::Failed)?;
        self.note(&line, &user, "backup-codes", "backup");
        Ok(codes)
    }
}
