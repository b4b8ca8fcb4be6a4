//! Which methods a user has, in what order they are offered, what status shows of them and
//! removing one: asked of each method (`Method::has`, `describe`, `remove`), so the record
//! stays plain data, the store knows no method, and admin and self-service give one answer.

use super::covering;
use crate::audit::pending::PendingLine;
use crate::login_context::LoginContext;
use crate::store::{Missing, UserRecord};
use mfa_proto::MethodId;
use std::collections::BTreeMap;

impl UserRecord {
    /// The one answer to "which methods does this user have", for status, admin, the menu and
    /// removal: each method says whether the record holds it (`Method::has`).
    pub fn methods(&self) -> Vec<MethodId> {
        MethodId::ALL
            .into_iter()
            .filter(|m| covering(*m).has(*m, self))
            .collect()
    }

    pub fn is_enrolled(&self) -> bool {
        !self.methods().is_empty()
    }
}

/// The names of the user's methods, in [`MethodId::ALL`]'s order.
pub fn enrolled_names(record: &UserRecord) -> Vec<&'static str> {
    record.methods().into_iter().map(|m| m.name()).collect()
}

/// The user's preferred order, completed with any enrolled method they did not list.
pub fn preferred_order(record: &UserRecord) -> Vec<String> {
    let enrolled = enrolled_names(record);
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

/// What `mfa status` and `mfa admin status` show of USER.
pub async fn status(cx: &LoginContext, user: &str) -> Result<BTreeMap<String, String>, String> {
    if !crate::store::is_valid_username(user) {
        return Err(format!("{user:?} is not a valid user name"));
    }
    let record = cx.store().get(user).await.map_err(|e| e.to_string())?;
    Ok(describe(
        user,
        record.as_ref(),
        &cx.config().limits,
        cx.clock().unix_now(),
    ))
}

/// What `status` and `list` show of one user: `user`, `methods` ("totp,backup"), the TOTP
/// parameters, `backup_codes_left`, `locked` ("yes"/"no"), `delayed_until` (during a cooldown),
/// `failures`, `last_failure`.
pub fn describe(
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
    for method in super::all() {
        method.describe(record, &mut out);
    }
    out.insert("methods".into(), methods.join(","));
    let gate = crate::limits::gate(&record.failures, limits, now);
    let locked = gate == crate::limits::Gate::Locked;
    out.insert("locked".into(), if locked { "yes" } else { "no" }.into());
    // A cooldown's end (Unix seconds), so status can say until when codes are refused.
    if let crate::limits::Gate::Cooldown(secs) = gate {
        out.insert("delayed_until".into(), now.saturating_add(secs).to_string());
    }
    out.insert("failures".into(), record.failures.consecutive.to_string());
    out.insert(
        "last_failure".into(),
        record.failures.last_failure.to_string(),
    );
    out
}

/// Remove one method ("phone": the number, so texts and calls). The failure counters stay: a lock must survive removing and re-adding a
/// method.
pub async fn remove(
    cx: &LoginContext,
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
    cx.change_record(user, Missing::Refuse, Some(line), move |record| {
        let mut had = false;
        for m in methods {
            had |= covering(m).remove(m, record);
        }
        if had {
            Ok(())
        } else {
            Err(format!("{name} has no {method} method"))
        }
    })
    .await
}
