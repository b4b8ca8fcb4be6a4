//! RFC 6238 time-based codes: verification with the same work for every attempt, secrets, and
//! otpauth:// URIs for authenticator apps.

use crate::config::Algorithm;

pub mod history;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use totp_rs::Builder;

/// Shortest secret accepted (80 bits: what google-authenticator wrote for years); new secrets
/// are 160 bits.
pub const MIN_SECRET_BYTES: usize = 10;
pub const NEW_SECRET_BYTES: usize = 20;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TotpParams {
    pub secret: Vec<u8>,
    pub algorithm: Algorithm,
    pub digits: u32,
    pub period: u64,
}

impl TotpParams {
    pub fn validate(&self) -> Result<(), String> {
        if self.secret.len() < MIN_SECRET_BYTES {
            return Err(format!(
                "secret has {} bits; at least {} are needed",
                self.secret.len() * 8,
                MIN_SECRET_BYTES * 8
            ));
        }
        if !(6..=8).contains(&self.digits) {
            return Err(format!("digits must be 6..=8, not {}", self.digits));
        }
        if !(15..=300).contains(&self.period) {
            return Err(format!(
                "period must be 15..=300 seconds, not {}",
                self.period
            ));
        }
        Ok(())
    }

    pub(crate) fn totp(&self) -> totp_rs::Totp {
        let algorithm = match self.algorithm {
            Algorithm::Sha1 => totp_rs::Algorithm::SHA1,
            Algorithm::Sha256 => totp_rs::Algorithm::SHA256,
            Algorithm::Sha512 => totp_rs::Algorithm::SHA512,
        };
        // Validated by `validate` (digits 6..=8, period > 0), so the unchecked build is safe.
        Builder::new()
            .with_secret(self.secret.clone())
            .with_algorithm(algorithm)
            .with_digits(self.digits as u8)
            .with_step_duration(self.period)
            .build_noncompliant()
    }

    /// The code for the step containing `unix_time`.
    pub fn code_at(&self, unix_time: u64) -> String {
        self.totp().generate(unix_time).to_string()
    }
}

/// What checking a code found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The code is right for this step, which is newer than the last accepted one.
    Accepted(u64),
    /// The code is right but for a step already used (or older): a replay.
    Replayed,
    Wrong,
}

/// Check `code` against every step in `now ± window` — always all of them, with a constant-time
/// compare, so timing tells nothing — and accept the latest matching step that is newer than
/// `last_step` (a step at or before it is a replay).
pub fn verify(params: &TotpParams, code: &str, now: u64, window: u64, last_step: u64) -> Verdict {
    let totp = params.totp();
    let current = now / params.period;
    let mut verdict = Verdict::Wrong;
    for step in current.saturating_sub(window)..=current.saturating_add(window) {
        let expected = totp.generate(step * params.period).to_string();
        if bool::from(subtle::ConstantTimeEq::ct_eq(
            expected.as_bytes(),
            code.as_bytes(),
        )) {
            verdict = if step > last_step {
                Verdict::Accepted(step)
            } else {
                verdict.max_replayed()
            };
        }
    }
    verdict
}

impl Verdict {
    /// A replay never downgrades an acceptance found for another step of the window.
    fn max_replayed(self) -> Verdict {
        match self {
            Verdict::Accepted(s) => Verdict::Accepted(s),
            _ => Verdict::Replayed,
        }
    }
}

pub fn new_secret() -> Result<Vec<u8>, String> {
    let mut secret = vec![0u8; NEW_SECRET_BYTES];
    getrandom::fill(&mut secret).map_err(|e| format!("no randomness: {e}"))?;
    Ok(secret)
}

/// Base32 without padding, upper case (what apps expect).
pub fn encode_secret(secret: &[u8]) -> String {
    totp_rs::Secret::from(secret.to_vec()).to_base32()
}

/// Accepts lower case, spaces and padding as people paste them.
pub fn decode_secret(text: &str) -> Result<Vec<u8>, String> {
    let clean: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '=' && *c != '-')
        .collect::<String>()
        .to_uppercase();
    if clean.is_empty() || clean.len() > 256 {
        return Err("the secret must be 1..256 base32 characters".into());
    }
    totp_rs::Secret::try_from_base32(&clean)
        .ok()
        .map(|s| s.as_ref().to_vec())
        .ok_or_else(|| "the secret is not valid base32".into())
}

/// `otpauth://totp/ISSUER:ACCOUNT?secret=…&issuer=…&algorithm=…&digits=…&period=…`
pub fn otpauth_uri(params: &TotpParams, issuer: &str, account: &str) -> String {
    format!(
        "otpauth://totp/{}:{}?secret={}&issuer={}&algorithm={}&digits={}&period={}",
        percent_encode(issuer),
        percent_encode(account),
        encode_secret(&params.secret),
        percent_encode(issuer),
        params.algorithm,
        params.digits,
        params.period
    )
}

/// RFC 3986 unreserved characters stay as they are; every other byte is escaped.
const NOT_UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

fn percent_encode(s: &str) -> String {
    utf8_percent_encode(s, NOT_UNRESERVED).to_string()
}

#[cfg(test)]
mod tests;
