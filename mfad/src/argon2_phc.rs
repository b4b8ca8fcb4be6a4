//! Argon2id hashes written as PHC strings (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`), so the
//! parameters travel with each hash and an argon2 upgrade that changes its defaults cannot
//! silently invalidate stored backup codes and PINs. Hashes written before (bare hex, the
//! parameters implied) still verify through [`legacy_hex`].

use argon2::password_hash::{PasswordHash, PasswordHasher, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

/// Memory (KiB), passes and lanes of new hashes: OWASP's Argon2id minimum, as before.
const M_COST: u32 = 19 * 1024;
const T_COST: u32 = 2;
const P_COST: u32 = 1;
const OUTPUT_LEN: usize = 32;

fn hasher(m: u32, t: u32, p: u32) -> Result<Argon2<'static>, String> {
    let params = Params::new(m, t, p, Some(OUTPUT_LEN)).map_err(|e| e.to_string())?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// True for a stored hash in PHC form (anything else is a legacy hex hash).
pub fn is_phc(stored: &str) -> bool {
    stored.starts_with('$')
}

/// A new PHC hash of `secret` with salt `salt` (raw bytes, 4 to 48 of them).
pub fn hash(secret: &str, salt: &[u8]) -> Result<String, String> {
    let salt = SaltString::encode_b64(salt).map_err(|e| e.to_string())?;
    let phc = hasher(M_COST, T_COST, P_COST)?
        .hash_password(secret.as_bytes(), &salt)
        .map_err(|e| e.to_string())?;
    Ok(phc.to_string())
}

/// `secret` hashed with the algorithm, parameters and salt of `stored`, as a PHC string: equal
/// to `stored` exactly when `secret` is the hashed secret. Comparing this string with several
/// stored hashes that share salt and parameters costs one hash.
pub fn rehash_like(secret: &str, stored: &str) -> Result<String, String> {
    let parsed = PasswordHash::new(stored).map_err(|e| e.to_string())?;
    if parsed.algorithm != Algorithm::Argon2id.ident() {
        return Err(format!("unsupported hash algorithm {}", parsed.algorithm));
    }
    let params = Params::try_from(&parsed).map_err(|e| e.to_string())?;
    let salt = parsed.salt.ok_or("stored hash has no salt")?;
    let version = parsed
        .version
        .map(Version::try_from)
        .transpose()
        .map_err(|e| e.to_string())?
        .unwrap_or(Version::V0x13);
    let phc = Argon2::new(Algorithm::Argon2id, version, params)
        .hash_password(secret.as_bytes(), salt)
        .map_err(|e| e.to_string())?;
    Ok(phc.to_string())
}

/// The format written before PHC: hex of a 32-byte Argon2id output with the argon2 0.5
/// defaults (m=19456, t=2, p=1), the salt being the hex salt string's own bytes.
pub fn legacy_hex(secret: &str, salt: &str) -> Result<String, String> {
    let mut out = [0u8; OUTPUT_LEN];
    hasher(M_COST, T_COST, P_COST)?
        .hash_password_into(secret.as_bytes(), salt.as_bytes(), &mut out)
        .map_err(|e| e.to_string())?;
    Ok(hex::encode(out))
}

#[cfg(test)]
#[path = "argon2_phc_tests.rs"]
mod tests;
