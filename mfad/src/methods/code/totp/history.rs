//! The highest step used per TOTP secret, kept across re-enrollment and import. Installing a
//! secret again (the same QR code re-scanned, the same google-authenticator file imported) must
//! not reset `last_step` to 0, or codes used minutes ago become valid again. A replaced or
//! removed secret leaves a fingerprint and its last step in the record (at most
//! [`MAX_RETIRED`]); installing a secret with a known fingerprint starts from that step.

use crate::store::{RetiredTotp, TotpMethod, UserRecord};
use hmac::{KeyInit, Mac};

/// Retired secrets remembered per user; the oldest is forgotten first.
pub const MAX_RETIRED: usize = 16;

/// Separates these fingerprints from any other use of HMAC-SHA256 over a secret. The secret
/// itself (80 bits or more, random) is what makes the fingerprint unguessable.
const FINGERPRINT_KEY: &[u8] = b"mfad retired TOTP secret v1";

/// Keyed hash of everything that decides which code a step has: the same fingerprint means
/// the same code for the same step number.
pub fn fingerprint(method: &TotpMethod) -> String {
    let mut mac = <hmac::Hmac<sha2::Sha256> as KeyInit>::new_from_slice(FINGERPRINT_KEY)
        .expect("HMAC accepts keys of any length");
    let params = format!(
        "{}:{}:{}:",
        method.algorithm.to_ascii_uppercase(),
        method.digits,
        method.period
    );
    mac.update(params.as_bytes());
    // Base32 spelling varies (case, padding); the decoded bytes do not.
    let secret = crate::methods::code::totp::decode_secret(&method.secret)
        .unwrap_or_else(|_| method.secret.as_bytes().to_vec());
    mac.update(&secret);
    hex::encode(mac.finalize().into_bytes())
}

/// Makes `method` the user's TOTP method: the current one (if any) is retired first, and
/// `method` starts no lower than the highest step ever used with its secret.
pub fn install(record: &mut UserRecord, mut method: TotpMethod) {
    retire(record);
    let print = fingerprint(&method);
    if let Some(old) = record.retired_totp.iter().find(|r| r.fingerprint == print) {
        method.last_step = method.last_step.max(old.last_step);
    }
    record.totp = Some(method);
}

/// Takes the TOTP method out of the record, remembering its fingerprint and last step.
/// Returns whether there was one.
pub fn retire(record: &mut UserRecord) -> bool {
    let Some(old) = record.totp.take() else {
        return false;
    };
    let print = fingerprint(&old);
    let last_step = match record
        .retired_totp
        .iter()
        .position(|r| r.fingerprint == print)
    {
        Some(i) => record.retired_totp.remove(i).last_step.max(old.last_step),
        None => old.last_step,
    };
    record.retired_totp.push(RetiredTotp {
        fingerprint: print,
        last_step,
    });
    let excess = record.retired_totp.len().saturating_sub(MAX_RETIRED);
    record.retired_totp.drain(..excess);
    true
}

#[cfg(test)]
#[path = "history_tests.rs"]
mod tests;
