//! RFC 4226/6238 codes (HMAC-SHA1, 6 digits, 30 s), computed by the driver itself so that neither
//! module under test supplies its own answers.

use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;

pub const PERIOD: u64 = 30;
pub const DIGITS: u32 = 6;

pub fn hotp(secret: &[u8], counter: u64, digits: u32) -> String {
    let mut mac = <Hmac<Sha1> as KeyInit>::new_from_slice(secret).expect("HMAC takes any key");
    mac.update(&counter.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = usize::from(digest[digest.len() - 1] & 0x0f);
    let binary = u32::from_be_bytes([
        digest[offset] & 0x7f,
        digest[offset + 1],
        digest[offset + 2],
        digest[offset + 3],
    ]);
    let value = binary % 10u32.pow(digits);
    format!("{value:0width$}", width = digits as usize)
}

/// A code that is wrong at `step` for a window of up to ±1 step (both modules' setting here).
pub fn wrong_code(secret: &[u8], step: u64) -> String {
    let valid: Vec<String> = (step.saturating_sub(1)..=step + 1)
        .map(|s| hotp(secret, s, DIGITS))
        .collect();
    let modulus = 10u32.pow(DIGITS);
    let mut candidate: u32 = valid[1].parse().expect("hotp gives digits");
    loop {
        candidate = (candidate + modulus / 2 + 1) % modulus;
        let text = format!("{candidate:0width$}", width = DIGITS as usize);
        if !valid.contains(&text) {
            return text;
        }
    }
}

pub fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

pub fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn from_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_the_rfc_6238_sha1_vectors() {
        let secret = b"12345678901234567890";
        assert_eq!(hotp(secret, 59 / 30, 8), "94287082");
        assert_eq!(hotp(secret, 1111111109 / 30, 8), "07081804");
        assert_eq!(hotp(secret, 20000000000 / 30, 8), "65353130");
    }

    #[test]
    fn wrong_codes_miss_the_previous_current_and_next_step() {
        let secret = b"12345678901234567890";
        for step in [0u64, 1, 55_555_555] {
            let wrong = wrong_code(secret, step);
            assert_eq!(wrong.len(), 6);
            for s in step.saturating_sub(1)..=step + 1 {
                assert_ne!(wrong, hotp(secret, s, 6));
            }
        }
    }

    #[test]
    fn base32_encodes_the_rfc_secret() {
        assert_eq!(
            base32(b"12345678901234567890"),
            "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
        );
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
    }

    #[test]
    fn hex_round_trips_and_refuses_odd_or_non_hex_text() {
        let bytes = [0u8, 1, 0xab, 0xff];
        assert_eq!(from_hex(&to_hex(&bytes)), Some(bytes.to_vec()));
        assert_eq!(from_hex("abc"), None);
        assert_eq!(from_hex("zz"), None);
    }
}
