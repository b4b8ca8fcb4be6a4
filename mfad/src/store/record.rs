//! What the daemon keeps per user, one TOML file each: plain data. Which methods a record
//! holds is each method's answer (`methods/enrolled.rs`); the store knows no method.

use serde::{Deserialize, Serialize};

pub const RECORD_VERSION: u32 = 1;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserRecord {
    pub version: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub totp: Option<TotpMethod>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backup: Option<BackupCodes>,
    #[serde(default)]
    pub failures: FailureCounters,
    /// The user's choice of language for login texts ("en", "nl"); None = the config's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Methods in the order the user prefers them offered ("totp", "backup").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub preferred: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_login: Option<LastLogin>,
    /// A verified phone number for text messages (and calls).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<PhoneMethod>,
    /// A phone linked for push approvals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub push: Option<PushMethod>,
    /// The audit line of the change this record was saved with, written to the record files
    /// after the save; replaced at the next save. Start-up writes it if a crash came between
    /// (see `store::audit_recovery`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub audit_pending: Vec<String>,
    /// TOTP secrets this user had, by fingerprint, with the last step used (see totp/history.rs).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub retired_totp: Vec<RetiredTotp>,
}

/// A TOTP secret no longer installed: its keyed fingerprint and the highest step used with it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetiredTotp {
    pub fingerprint: String,
    pub last_step: u64,
}

/// A phone that gets sign-in approvals through an ntfy topic.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushMethod {
    pub gateway: String,
    /// Unguessable unless the user chose it: whoever reads the topic can open the page.
    pub topic: String,
    /// The PIN chosen at enrollment, hashed (Argon2id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pin: Option<PinHash>,
    pub enrolled_at: u64,
    /// When the user denied a push ("no" cools push off for a while).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub denied_at: Option<u64>,
    /// When the user reported a push as not theirs: push stays off until it is enrolled again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported_at: Option<u64>,
    /// When pushes were sent recently (for the per-window limit).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sent: Vec<u64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhoneMethod {
    /// Canonical E.164 ("+31612345678").
    pub e164: String,
    /// ISO 3166 region of the number ("NL").
    pub region: String,
    pub verified_at: u64,
}

/// The last successful second-factor check, for `mfa status`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LastLogin {
    pub time: u64,
    pub service: String,
    pub rhost: String,
    pub method: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TotpMethod {
    /// Base32 (RFC 4648, no padding).
    pub secret: String,
    pub algorithm: String,
    pub digits: u32,
    pub period: u64,
    /// The last accepted time step; a code is accepted only for a later step.
    #[serde(default)]
    pub last_step: u64,
    #[serde(default)]
    pub enrolled_at: u64,
    /// Steps accepted either side of now for this user (imported files keep theirs); None =
    /// the config's `totp.window`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub window: Option<u64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FailureCounters {
    /// Consecutive failures since the last success or unlock.
    #[serde(default)]
    pub consecutive: u32,
    /// Unix time of the last failure.
    #[serde(default)]
    pub last_failure: u64,
    #[serde(default)]
    pub locked: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
/// Backup codes as stored (hashing and checking: `methods/code/backup_codes.rs`).
pub struct BackupCodes {
    /// Hex salt shared by this user's current codes.
    pub salt: String,
    /// Argon2id hashes (PHC strings, or legacy hex) of the codes not used yet.
    pub hashes: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
/// A push PIN as stored (hashing and checking: `methods/push/pin.rs`).
pub struct PinHash {
    pub salt: String,
    pub hash: String,
}

impl UserRecord {
    pub fn new() -> Self {
        UserRecord {
            version: RECORD_VERSION,
            ..Default::default()
        }
    }

    pub fn backup_codes_left(&self) -> usize {
        self.backup.as_ref().map_or(0, |b| b.hashes.len())
    }
}
