//! What root may do through the Admin interface: enroll a TOTP secret for a user, read a user's
//! status, list every user, unlock, remove a method, reset a user. Each change runs under the user's lock and is durable.

use crate::audit::pending::PendingLine;
use crate::auth::Engine;
use crate::config::Algorithm;
use crate::methods::code::totp::{self, TotpParams};
use crate::store::{Missing, TotpMethod, is_valid_username};
use std::collections::BTreeMap;

/// What the admin asked for; `None` means "the config's default".
pub struct TotpRequest<'a> {
    pub secret_base32: Option<&'a str>,
    pub digits: Option<u32>,
    pub algorithm: Option<&'a str>,
    pub period: Option<u64>,
}

fn check_user(user: &str) -> Result<(), String> {
    if is_valid_username(user) {
        Ok(())
    } else {
        Err(format!("{user:?} is not a valid user name"))
    }
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, String> + Send + 'static,
) -> Result<T, String> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| e.to_string())?
}

/// Enroll (or replace) the user's TOTP secret; returns the otpauth:// URI for the app.
pub async fn enroll_totp(
    engine: &Engine,
    user: &str,
    req: TotpRequest<'_>,
    line: &PendingLine,
) -> Result<String, String> {
    check_user(user)?;
    let defaults = &engine.config().totp;
    let secret = match req.secret_base32 {
        Some(text) => totp::decode_secret(text)?,
        None => totp::new_secret()?,
    };
    let algorithm = match req.algorithm {
        Some(a) => a
            .parse::<Algorithm>()
            .map_err(|_| format!("unknown algorithm {a:?} (SHA1, SHA256 or SHA512)"))?,
        None => defaults.algorithm,
    };
    let params = TotpParams {
        secret,
        algorithm,
        digits: req.digits.unwrap_or(defaults.digits),
        period: req.period.unwrap_or(defaults.period),
    };
    params.validate()?;
    let method = TotpMethod {
        secret: totp::encode_secret(&params.secret),
        algorithm: params.algorithm.to_string(),
        digits: params.digits,
        period: params.period,
        last_step: 0,
        enrolled_at: engine.clock().unix_now(),
        window: None,
    };
    engine
        .change_record(user, Missing::Create, Some(line), move |record| {
            totp::history::install(record, method);
            Ok(())
        })
        .await?;
    Ok(totp::otpauth_uri(&params, &defaults.issuer, user))
}

/// What `mfa admin status` shows of USER (see [`crate::methods::enrolled::describe`]).
pub async fn status(engine: &Engine, user: &str) -> Result<BTreeMap<String, String>, String> {
    crate::methods::enrolled::status(engine.context(), user).await
}

/// Every user with a record, by name, each with what [`status`] shows. A record that cannot be
/// read is listed with `error` (and no methods) instead of failing the whole list.
pub async fn list(engine: &Engine) -> Result<BTreeMap<String, BTreeMap<String, String>>, String> {
    let store = engine.store();
    let limits = engine.config().limits.clone();
    let now = engine.clock().unix_now();
    let mut out = BTreeMap::new();
    for user in store.users().await.map_err(|e| e.to_string())? {
        let entry = match store.get(&user).await {
            Ok(record) => crate::methods::enrolled::describe(&user, record.as_ref(), &limits, now),
            Err(e) => BTreeMap::from([
                ("user".to_string(), user.clone()),
                ("error".to_string(), e.to_string()),
            ]),
        };
        out.insert(user, entry);
    }
    Ok(out)
}

/// A fresh start: remove USER's whole record — every method, the failure count and the lock
/// (unlike [`remove`], which keeps the counters). Returns false when there was no record.
/// Its audit line is written after the removal (no record is left to carry it).
pub async fn reset(engine: &Engine, user: &str) -> Result<bool, String> {
    check_user(user)?;
    engine.forget_unenrolled_failures(user);
    engine.store().remove(user).await.map_err(|e| e.to_string())
}

/// Replace USER's backup codes with ten new ones; returns them for showing once.
pub async fn generate_backup_codes(
    engine: &Engine,
    user: &str,
    line: &PendingLine,
) -> Result<Vec<String>, String> {
    check_user(user)?;
    crate::methods::code::backup_codes::replace(engine.context(), user, line).await
}

/// An existing secret brought from another system (a google-authenticator file).
pub struct Import {
    pub secret_base32: String,
    pub digits: u32,
    pub period: u64,
    pub window: Option<u64>,
    pub backup_codes: Vec<String>,
}

/// Largest per-user window an import may keep (the config allows the same).
const MAX_WINDOW: u64 = 10;

/// Import a TOTP secret and its backup codes; returns warnings for the admin.
pub async fn import_totp(
    engine: &Engine,
    user: &str,
    import: Import,
    line: &PendingLine,
) -> Result<Vec<String>, String> {
    check_user(user)?;
    let params = TotpParams {
        secret: totp::decode_secret(&import.secret_base32)?,
        algorithm: Algorithm::Sha1,
        digits: import.digits,
        period: import.period,
    };
    params.validate()?;
    let mut warnings = Vec::new();
    if params.secret.len() < 16 {
        warnings.push(format!(
            "the secret has only {} bits (RFC 4226 recommends at least 128); consider enrolling a new one",
            params.secret.len() * 8
        ));
    }
    let window = match import.window {
        Some(w) if w > MAX_WINDOW => {
            warnings.push(format!(
                "a window of ±{w} steps is too wide; ±{MAX_WINDOW} is kept"
            ));
            Some(MAX_WINDOW)
        }
        other => other,
    };
    let backup = if import.backup_codes.is_empty() {
        None
    } else {
        let codes = import.backup_codes.clone();
        Some(blocking(move || crate::methods::code::backup_codes::from_codes(&codes)).await?)
    };
    let method = TotpMethod {
        secret: totp::encode_secret(&params.secret),
        algorithm: params.algorithm.to_string(),
        digits: params.digits,
        period: params.period,
        last_step: 0,
        enrolled_at: engine.clock().unix_now(),
        window,
    };
    engine
        .change_record(user, Missing::Create, Some(line), move |record| {
            totp::history::install(record, method);
            if backup.is_some() {
                record.backup = backup;
            }
            Ok(())
        })
        .await?;
    Ok(warnings)
}

/// Clear the lock and the failure count.
pub async fn unlock(engine: &Engine, user: &str, line: &PendingLine) -> Result<(), String> {
    engine.forget_unenrolled_failures(user);
    engine
        .change_record(user, Missing::Refuse, Some(line), |record| {
            crate::limits::record_success(&mut record.failures);
            Ok(())
        })
        .await
}

/// Remove one of USER's methods (see [`crate::methods::enrolled::remove`]).
pub async fn remove(
    engine: &Engine,
    user: &str,
    method: &str,
    line: &PendingLine,
) -> Result<(), String> {
    crate::methods::enrolled::remove(engine.context(), user, method, line).await
}
