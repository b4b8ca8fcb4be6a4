//! A user's record as a row: the record as JSON with its secret fields sealed in place
//! (TOTP seed, phone number, push topic: whoever reads a topic can open the approval page),
//! and the TOTP step in its own column, which is the truth for the replay guard. Retired TOTP
//! fingerprints and the backup-code hashes are not secrets (keyed hashes) and stay as they are.

use super::sealing::Keys;
use crate::store::{StoreError, UserRecord};

pub const TOTP_SECRET: &str = "totp_secret";
pub const PHONE: &str = "phone";
pub const PUSH_TOPIC: &str = "push_topic";

/// The JSON stored for `record` (its `totp.last_step` goes to the column, not here).
pub fn to_json(
    keys: &Keys,
    user: &str,
    record: &UserRecord,
) -> Result<serde_json::Value, StoreError> {
    let mut sealed = record.clone();
    let seal = |field: &str, plain: &str| {
        keys.seal(user, field, plain)
            .map_err(|e| StoreError::Unavailable(std::io::Error::other(e)))
    };
    if let Some(totp) = sealed.totp.as_mut() {
        totp.secret = seal(TOTP_SECRET, &totp.secret)?;
        totp.last_step = 0;
    }
    if let Some(phone) = sealed.phone.as_mut() {
        phone.e164 = seal(PHONE, &phone.e164)?;
    }
    if let Some(push) = sealed.push.as_mut() {
        push.topic = seal(PUSH_TOPIC, &push.topic)?;
    }
    serde_json::to_value(&sealed).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// The record of a row: the secrets opened (a value that does not open for this user is
/// `Corrupt`, never "not enrolled") and the step from its column.
pub fn from_row(
    keys: &Keys,
    user: &str,
    json: serde_json::Value,
    last_step: i64,
) -> Result<UserRecord, StoreError> {
    let mut record: UserRecord =
        serde_json::from_value(json).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let open =
        |field: &str, sealed: &str| keys.open(user, field, sealed).map_err(StoreError::Corrupt);
    if let Some(totp) = record.totp.as_mut() {
        totp.secret = open(TOTP_SECRET, &totp.secret)?;
        totp.last_step = u64::try_from(last_step).unwrap_or(0);
    }
    if let Some(phone) = record.phone.as_mut() {
        phone.e164 = open(PHONE, &phone.e164)?;
    }
    if let Some(push) = record.push.as_mut() {
        push.topic = open(PUSH_TOPIC, &push.topic)?;
    }
    Ok(record)
}

/// Whether the row's sealed values were made with an older key (for `--rotate-key`).
pub fn has_stale_seal(keys: &Keys, json: &serde_json::Value) -> bool {
    let sealed = [
        json.pointer("/totp/secret"),
        json.pointer("/phone/e164"),
        json.pointer("/push/topic"),
    ];
    sealed
        .iter()
        .flatten()
        .filter_map(|v| v.as_str())
        .any(|s| keys.is_stale(s))
}
