//! What root may do through the Admin interface: enroll a TOTP secret for a user, read a user's
//! status, list every user, unlock, remove a method, reset a user. Each change runs under the user's lock and is durable.

use crate::audit::pending::PendingLine;
use crate::auth::Engine;
use crate::config::Algorithm;
use crate::methods::code::totp::{self, TotpParams};
use crate::store::{Missing, StoreError, TotpMethod, UserRecord, is_valid_username};
use mfa_proto::MethodId;
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
    update_record(engine, user, Missing::Create, Some(line), move |record| {
        totp::history::install(record, method);
        Ok(())
    })
    .await?;
    Ok(totp::otpauth_uri(&params, &defaults.issuer, user))
}

pub async fn status(engine: &Engine, user: &str) -> Result<BTreeMap<String, String>, String> {
    check_user(user)?;
    let record = engine.store().get(user).await.map_err(|e| e.to_string())?;
    Ok(describe(
        user,
        record.as_ref(),
        &engine.config().limits,
        engine.clock().unix_now(),
    ))
}

/// What `status` and `list` show of one user: `user`, `methods` ("totp,backup"), the TOTP
/// parameters, `backup_codes_left`, `locked` ("yes"/"no"), `failures`, `last_failure`.
fn describe(
    user: &str,
    record: Option<&UserRecord>,
    limits: &crate::config::Limits,
    now: u64,
) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    out.insert("user".into(), user.to_string());
    let Some(record) = record else {
        out.insert("methods".into(), String::new());
        out.insert("locked".into(), "no".into());
        return out;
    };
    let methods: Vec<&str> = record.methods().into_iter().map(|m| m.name()).collect();
    for method in crate::methods::all() {
        method.describe(record, &mut out);
    }
    out.insert("methods".into(), methods.join(","));
    let locked = crate::limits::gate(&record.failures, limits, now) == crate::limits::Gate::Locked;
    out.insert("locked".into(), if locked { "yes" } else { "no" }.into());
    out.insert("failures".into(), record.failures.consecutive.to_string());
    out.insert(
        "last_failure".into(),
        record.failures.last_failure.to_string(),
    );
    out
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
            Ok(record) => describe(&user, record.as_ref(), &limits, now),
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
    let (codes, stored) = blocking(crate::methods::code::backup_codes::generate).await?;
    update_record(engine, user, Missing::Create, Some(line), move |record| {
        record.backup = Some(stored);
        Ok(())
    })
    .await?;
    Ok(codes)
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
    update_record(engine, user, Missing::Create, Some(line), move |record| {
        totp::history::install(record, method);
        if backup.is_some() {
            record.backup = backup;
        }
        Ok(())
    })
    .await?;
    Ok(warnings)
}

/// A change a user makes to their own record (creating it when missing), under their lock;
/// `line` is its audit line when it is audited.
pub async fn update_own(
    engine: &Engine,
    user: &str,
    line: Option<&PendingLine>,
    change: impl FnOnce(&mut UserRecord) -> Result<(), String> + Send + 'static,
) -> Result<(), String> {
    update_record(engine, user, Missing::Create, line, change).await
}

/// One store transaction on USER's record, with the admin's wording of its failures. The
/// change's audit `line` is saved with it; the caller writes it once this returns `Ok`.
async fn update_record(
    engine: &Engine,
    user: &str,
    missing: Missing,
    line: Option<&PendingLine>,
    change: impl FnOnce(&mut UserRecord) -> Result<(), String> + Send + 'static,
) -> Result<(), String> {
    check_user(user)?;
    let audited = |record: &mut UserRecord| {
        change(record)?;
        if let Some(line) = line {
            line.pend(record);
        }
        Ok(())
    };
    match engine.store().update(user, missing, audited).await {
        Ok(Ok(())) => {
            engine.crash_after_save_in_tests();
            Ok(())
        }
        Ok(Err(refused)) => Err(refused),
        Err(StoreError::NoRecord) => Err(format!("{user} has no record")),
        Err(e) => Err(e.to_string()),
    }
}

/// Clear the lock and the failure count.
pub async fn unlock(engine: &Engine, user: &str, line: &PendingLine) -> Result<(), String> {
    engine.forget_unenrolled_failures(user);
    update_record(engine, user, Missing::Refuse, Some(line), |record| {
        crate::limits::record_success(&mut record.failures);
        Ok(())
    })
    .await
}

/// Remove one method ("phone": the number, so texts and calls). The failure counters stay: a lock must survive removing and re-adding a
/// method.
pub async fn remove(
    engine: &Engine,
    user: &str,
    method: &str,
    line: &PendingLine,
) -> Result<(), String> {
    let Some(methods) = MethodId::removal(method) else {
        return Err(format!(
            "unknown method {method:?} (known: {})",
            MethodId::removal_names()
        ));
    };
    let (name, method) = (user.to_string(), method.to_string());
    update_record(engine, user, Missing::Refuse, Some(line), move |record| {
        let mut had = false;
        for m in methods {
            had |= crate::methods::covering(m).remove(m, record);
        }
        if had {
            Ok(())
        } else {
            Err(format!("{name} has no {method} method"))
        }
    })
    .await
}
