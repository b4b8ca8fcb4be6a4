//! The PIN a user may set for push approvals: stored only as an Argon2id hash with its own
//! salt (a PHC string carrying its parameters; legacy hex still verifies), checked in
//! constant time.

/// Digits a PIN may have.
pub const PIN_DIGITS: std::ops::RangeInclusive<usize> = 4..=8;

/// The persisted shape lives with the record; this file gives it its behaviour.
pub use crate::store::PinHash;

impl PinHash {
    /// Hashes a PIN of 4 to 8 digits.
    pub fn new(pin: &str) -> Result<PinHash, String> {
        if !valid(pin) {
            return Err("a PIN has 4 to 8 digits".into());
        }
        let salt = crate::methods::code::backup_codes::new_salt()?;
        let hash = crate::methods::code::backup_codes::hash(pin, &salt)?;
        Ok(PinHash { salt, hash })
    }

    /// Whether `pin` is this PIN (always does the same work).
    pub fn matches(&self, pin: &str) -> bool {
        let typed = crate::methods::code::backup_codes::hash_like(pin, &self.salt, &self.hash)
            .unwrap_or_default();
        valid(pin)
            && bool::from(subtle::ConstantTimeEq::ct_eq(
                typed.as_bytes(),
                self.hash.as_bytes(),
            ))
    }
}

pub fn valid(pin: &str) -> bool {
    PIN_DIGITS.contains(&pin.len()) && pin.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_same_pin_matches_and_only_its_hash_is_kept() {
        let h = PinHash::new("4711").unwrap();
        assert!(h.matches("4711"));
        assert!(!h.matches("4712") && !h.matches("") && !h.matches("47110"));
        assert!(!h.hash.contains("4711"));
        assert!(PinHash::new("12").is_err() && PinHash::new("12a4").is_err());
    }
}
