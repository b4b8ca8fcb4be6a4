//! Single-use backup codes: ten random 10-digit codes, shown once, stored only as Argon2id hashes
//! under one per-user salt, so checking a typed code costs one hash whatever the user has.
//! New hashes are PHC strings (parameters stored with them); older bare-hex ones still verify.

use crate::argon2_phc;

pub const COUNT: usize = 10;
/// Digits per generated code; longer than any TOTP code (6–8).
pub const DIGITS: usize = mfa_proto::BACKUP_CODE_DIGITS;
/// Imported google-authenticator scratch codes have 8 digits.
pub const MIN_DIGITS: usize = 8;
/// The login prompt warns when this many or fewer are left.
pub const LOW: usize = 2;

/// The persisted shape lives with the record; this file gives it its behaviour.
pub use crate::store::BackupCodes;

/// A new PHC hash of `code` under the user's hex `salt`.
pub(crate) fn hash(code: &str, salt: &str) -> Result<String, String> {
    argon2_phc::hash(code, salt.as_bytes())
}

/// `code` hashed the way `stored` was, for comparison with it.
pub(crate) fn hash_like(code: &str, salt: &str, stored: &str) -> Result<String, String> {
    if argon2_phc::is_phc(stored) {
        argon2_phc::rehash_like(code, stored)
    } else {
        argon2_phc::legacy_hex(code, salt)
    }
}

/// Store codes that already exist (imported scratch codes).
pub fn from_codes(codes: &[String]) -> Result<BackupCodes, String> {
    if let Some(bad) = codes.iter().position(|c| {
        !(MIN_DIGITS..=DIGITS).contains(&c.len()) || !c.bytes().all(|b| b.is_ascii_digit())
    }) {
        return Err(format!(
            "backup code #{} must have {MIN_DIGITS} to {DIGITS} digits",
            bad + 1
        ));
    }
    let salt = new_salt()?;
    let hashes = codes
        .iter()
        .map(|c| hash(c, &salt))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(BackupCodes { salt, hashes })
}

pub(crate) fn new_salt() -> Result<String, String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| e.to_string())?;
    Ok(hex::encode(salt))
}

/// New codes (to show once) and what to store.
pub fn generate() -> Result<(Vec<String>, BackupCodes), String> {
    let salt = new_salt()?;
    let mut codes = Vec::with_capacity(COUNT);
    while codes.len() < COUNT {
        let mut raw = [0u8; 8];
        getrandom::fill(&mut raw).map_err(|e| e.to_string())?;
        // Uniform over 10^10: reject the biased top of the u64 range.
        let n = u64::from_le_bytes(raw);
        let limit = u64::MAX - u64::MAX % 10_000_000_000;
        if n < limit {
            let code = format!("{:010}", n % 10_000_000_000);
            if !codes.contains(&code) {
                codes.push(code);
            }
        }
    }
    let hashes = codes
        .iter()
        .map(|c| hash(c, &salt))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((codes, BackupCodes { salt, hashes }))
}

/// Use up `code` if it is one of the stored ones: one hash, then a constant-time comparison with
/// every stored hash. Returns true when a code was consumed.
pub fn consume(stored: &mut BackupCodes, code: &str) -> Result<bool, String> {
    if !(MIN_DIGITS..=DIGITS).contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(false);
    }
    // One hash per distinct (format, parameters, salt); a stored set shares them all.
    let mut typed_by_prefix: Vec<(&str, String)> = Vec::with_capacity(1);
    let mut found = None;
    if stored.hashes.is_empty() {
        // Nothing to match, but the same work as a user with codes (timing tells nothing).
        hash(code, &stored.salt)?;
    }
    for (i, h) in stored.hashes.iter().enumerate() {
        let prefix = h.rsplit_once('$').map_or("", |(p, _)| p);
        let typed = match typed_by_prefix.iter().find(|(p, _)| *p == prefix) {
            Some((_, t)) => t.clone(),
            None => {
                let t = hash_like(code, &stored.salt, h)?;
                typed_by_prefix.push((prefix, t.clone()));
                t
            }
        };
        let same = bool::from(subtle::ConstantTimeEq::ct_eq(
            h.as_bytes(),
            typed.as_bytes(),
        ));
        if same && found.is_none() {
            found = Some(i);
        }
    }
    Ok(match found {
        Some(i) => {
            stored.hashes.swap_remove(i);
            true
        }
        None => false,
    })
}

/// "12345 67890": easier to read off a sheet of paper (the CLI shows codes the same way).
pub use mfa_proto::display_backup_code as display;

/// Replace USER's backup codes with ten new ones (root's `mfa admin backup-codes` and the
/// user's own `mfa backup-codes`); returns them for showing once. The hashing runs off the
/// async threads; the change carries its audit `line`.
pub async fn replace(
    cx: &crate::login_context::LoginContext,
    user: &str,
    line: &crate::audit::pending::PendingLine,
) -> Result<Vec<String>, String> {
    let (codes, stored) = tokio::task::spawn_blocking(generate)
        .await
        .map_err(|e| e.to_string())??;
    cx.change_record(
        user,
        crate::store::Missing::Create,
        Some(line),
        move |record| {
            record.backup = Some(stored);
            Ok(())
        },
    )
    .await?;
    Ok(codes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_distinct_ten_digit_codes_stored_only_as_hashes() {
        let (codes, stored) = generate().unwrap();
        assert_eq!(codes.len(), COUNT);
        assert!(
            codes
                .iter()
                .all(|c| c.len() == DIGITS && c.bytes().all(|b| b.is_ascii_digit()))
        );
        let mut unique = codes.clone();
        unique.dedup();
        assert_eq!(unique.len(), COUNT);
        let text = toml::to_string(&stored).unwrap();
        assert!(
            codes.iter().all(|c| !text.contains(c.as_str())),
            "no code in clear"
        );
    }

    #[test]
    fn each_code_works_once() {
        let (codes, mut stored) = generate().unwrap();
        assert!(consume(&mut stored, &codes[3]).unwrap());
        assert!(!consume(&mut stored, &codes[3]).unwrap(), "used up");
        assert_eq!(stored.hashes.len(), COUNT - 1);
        assert!(consume(&mut stored, &codes[0]).unwrap());
    }

    #[test]
    fn wrong_or_malformed_codes_consume_nothing() {
        let (codes, mut stored) = generate().unwrap();
        let wrong = if codes.contains(&"0000000000".to_string()) {
            "1111111111"
        } else {
            "0000000000"
        };
        assert!(!consume(&mut stored, wrong).unwrap());
        assert!(!consume(&mut stored, "123456").unwrap());
        assert!(!consume(&mut stored, "12345abcde").unwrap());
        assert_eq!(stored.hashes.len(), COUNT);
    }

    #[test]
    fn new_codes_are_stored_as_phc_strings() {
        let (_, stored) = generate().unwrap();
        assert!(
            stored
                .hashes
                .iter()
                .all(|h| h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"))
        );
    }

    #[test]
    fn a_legacy_hex_hash_still_works_once() {
        let salt = new_salt().unwrap();
        let legacy = crate::argon2_phc::legacy_hex("1234567890", &salt).unwrap();
        let mut stored = BackupCodes {
            salt,
            hashes: vec![legacy],
        };
        assert!(!consume(&mut stored, "1234567891").unwrap());
        assert!(consume(&mut stored, "1234567890").unwrap());
        assert!(!consume(&mut stored, "1234567890").unwrap());
    }

    #[test]
    fn codes_are_shown_in_two_groups() {
        assert_eq!(display("1234567890"), "12345 67890");
    }
}
