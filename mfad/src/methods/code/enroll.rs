//! Enrolling the code prompt's methods through the Enroll interface: a new TOTP secret kept
//! pending until the app's first code confirms it, and a fresh set of backup codes.

use crate::login_context::{EnrollError, LoginContext, change_line};
use crate::methods::code::pending::PendingTotps;
use crate::methods::code::totp::{self, TotpParams, Verdict};
use crate::sessions::Caller;
use crate::store::TotpMethod;

/// A new secret, kept pending (bound to this connection) until `confirm_totp` sees a right
/// code from the app. Returns the otpauth:// URI.
pub async fn begin_totp(
    cx: &LoginContext,
    totps: &PendingTotps,
    caller: &Caller,
    user: &str,
) -> Result<String, EnrollError> {
    let defaults = &cx.config().totp;
    let params = TotpParams {
        secret: totp::new_secret().map_err(EnrollError::Failed)?,
        algorithm: defaults.algorithm,
        digits: defaults.digits,
        period: defaults.period,
    };
    let uri = totp::otpauth_uri(&params, &defaults.issuer, user);
    totps.put(caller, params, cx.clock().now());
    Ok(uri)
}

/// Activate the pending secret if `code` is right for it. The step of that code counts as
/// used, so the code cannot log in afterwards.
pub async fn confirm_totp(
    cx: &LoginContext,
    totps: &PendingTotps,
    caller: &Caller,
    user: &str,
    code: &str,
) -> Result<bool, EnrollError> {
    crate::panic_inject::point("enroll");
    let code = mfa_proto::normalize_code(code.as_bytes())
        .map_err(|e| EnrollError::InvalidArgs(e.to_string()))?;
    let window = cx.config().totp.window;
    let (step, params) = totps
        .attempt(caller, cx.clock().now(), |params| {
            match totp::verify(params, &code, cx.clock().unix_now(), window, 0) {
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
        enrolled_at: cx.clock().unix_now(),
        window: None,
    };
    let line = change_line(caller, user, "enroll-totp", "totp");
    cx.change_record(
        user,
        crate::store::Missing::Create,
        Some(&line),
        move |record| {
            crate::methods::code::totp::history::install(record, method);
            Ok(())
        },
    )
    .await
    .map_err(EnrollError::Failed)?;
    cx.note_change(&line, user, "enroll-totp", "totp");
    Ok(true)
}

/// Ten new backup codes in place of the old ones, returned for showing once.
pub async fn backup_codes(
    cx: &LoginContext,
    caller: &Caller,
    user: &str,
) -> Result<Vec<String>, EnrollError> {
    let line = change_line(caller, user, "backup-codes", "backup");
    let codes = super::backup_codes::replace(cx, user, &line)
        .await
        .map_err(EnrollError::Failed)?;
    cx.note_change(&line, user, "backup-codes", "backup");
    Ok(codes)
}
