//! Secrets at rest in a shared database: each secret field (TOTP seed, phone number, push
//! topic) is sealed with XChaCha20-Poly1305 before it leaves the daemon. The associated data is
//! the user's name and the field's name, so a sealed value copied into another row or another
//! field does not open. Each sealed value names the key that sealed it, so keys can be rotated
//! (`mfad --rotate-key`): the first key of the file seals, every key still opens.
//!
//! Key file (root-only, read by `mfa_config::secrets::read_lines_file`): one `ID:BASE64` a line,
//! the base64 of 32 random bytes. Sealed text: `sealed:v1:ID:BASE64(nonce ‖ ciphertext)`.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

const PREFIX: &str = "sealed:v1:";
const NONCE_BYTES: usize = 24;
/// Longest key id: short, printable, no `:`.
const MAX_ID: usize = 32;

pub struct Keys {
    /// In file order: the first seals.
    keys: Vec<(String, XChaCha20Poly1305)>,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ids: Vec<&str> = self.keys.iter().map(|(id, _)| id.as_str()).collect();
        write!(f, "Keys({ids:?})")
    }
}

impl Keys {
    /// Parses the key file's text; every wrong line is an error naming the line (never the key).
    pub fn parse(text: &str) -> Result<Keys, String> {
        let mut keys: Vec<(String, XChaCha20Poly1305)> = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let n = n + 1;
            let Some((id, b64)) = line.split_once(':') else {
                return Err(format!("line {n}: expected ID:BASE64"));
            };
            let id_ok = !id.is_empty()
                && id.len() <= MAX_ID
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
            if !id_ok {
                return Err(format!(
                    "line {n}: the key id must be 1..={MAX_ID} letters, digits, '-' or '_'"
                ));
            }
            if keys.iter().any(|(other, _)| other == id) {
                return Err(format!("line {n}: key id \"{id}\" is used twice"));
            }
            let bytes = STANDARD
                .decode(b64.trim())
                .map_err(|_| format!("line {n}: the key is not base64"))?;
            let key = XChaCha20Poly1305::new_from_slice(&bytes)
                .ok()
                .filter(|_| bytes.len() == 32)
                .ok_or_else(|| format!("line {n}: the key must be 32 bytes"))?;
            keys.push((id.to_owned(), key));
        }
        if keys.is_empty() {
            return Err("holds no key (one ID:BASE64 line each, the first is current)".into());
        }
        Ok(Keys { keys })
    }

    /// The id new seals are made with.
    pub fn current_id(&self) -> &str {
        &self.keys[0].0
    }

    /// `plain` sealed for `user`'s `field` with the current key and a fresh random nonce.
    pub fn seal(&self, user: &str, field: &str, plain: &str) -> Result<String, String> {
        let (id, key) = &self.keys[0];
        let mut nonce = [0u8; NONCE_BYTES];
        getrandom::fill(&mut nonce).map_err(|e| format!("no randomness for a nonce: {e}"))?;
        let aad = associated_data(user, field);
        let sealed = key
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plain.as_bytes(),
                    aad: &aad,
                },
            )
            .map_err(|_| "sealing failed".to_string())?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        Ok(format!("{PREFIX}{id}:{}", STANDARD.encode(out)))
    }

    /// The plain text of a value sealed for `user`'s `field`; an error when it was sealed for
    /// another user or field, with a key not in the file, or was changed.
    pub fn open(&self, user: &str, field: &str, sealed: &str) -> Result<String, String> {
        let rest = sealed
            .strip_prefix(PREFIX)
            .ok_or_else(|| format!("{field} is not sealed"))?;
        let (id, b64) = rest
            .split_once(':')
            .ok_or_else(|| format!("{field}: malformed sealed value"))?;
        let key = self
            .keys
            .iter()
            .find(|(k, _)| k == id)
            .map(|(_, key)| key)
            .ok_or_else(|| format!("{field} is sealed with key \"{id}\", not in the key file"))?;
        let bytes = STANDARD
            .decode(b64)
            .map_err(|_| format!("{field}: malformed sealed value"))?;
        if bytes.len() < NONCE_BYTES {
            return Err(format!("{field}: malformed sealed value"));
        }
        let (nonce, ciphertext) = bytes.split_at(NONCE_BYTES);
        let aad = associated_data(user, field);
        let plain = key
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: &aad,
                },
            )
            .map_err(|_| format!("{field} does not open for this user (swapped or changed)"))?;
        String::from_utf8(plain).map_err(|_| format!("{field}: not text"))
    }

    /// Whether `sealed` was made with another key than the current one (rotation re-seals it).
    pub fn is_stale(&self, sealed: &str) -> bool {
        let current = format!("{PREFIX}{}:", self.current_id());
        !sealed.starts_with(&current)
    }
}

/// Domain, user and field, each ended by a NUL (no name holds one), so no two pairs collide.
fn associated_data(user: &str, field: &str) -> Vec<u8> {
    format!("mfad-seal-v1\0{user}\0{field}\0").into_bytes()
}

#[cfg(test)]
mod tests {
    use super::Keys;

    const FILE: &str = "new:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\
                        old:AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=\n";

    #[test]
    fn a_sealed_value_opens_for_its_user_and_field_only() {
        let keys = Keys::parse(FILE).unwrap();
        let sealed = keys.seal("alice", "totp", "JBSWY3DPEHPK3PXP").unwrap();
        assert!(!sealed.contains("JBSWY3DPEHPK3PXP"));
        assert_eq!(
            keys.open("alice", "totp", &sealed).unwrap(),
            "JBSWY3DPEHPK3PXP"
        );
        assert!(keys.open("bob", "totp", &sealed).is_err(), "swapped rows");
        assert!(
            keys.open("alice", "phone", &sealed).is_err(),
            "swapped fields"
        );
        let mut changed = sealed.clone();
        changed.pop();
        changed.push('A');
        assert!(keys.open("alice", "totp", &changed).is_err());
    }

    #[test]
    fn an_old_key_still_opens_and_is_stale() {
        let old_first = "old:AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=\n";
        let sealed = Keys::parse(old_first).unwrap().seal("a", "f", "x").unwrap();
        let keys = Keys::parse(FILE).unwrap();
        assert_eq!(keys.open("a", "f", &sealed).unwrap(), "x");
        assert!(keys.is_stale(&sealed));
        assert!(!keys.is_stale(&keys.seal("a", "f", "x").unwrap()));
        let only_new = Keys::parse("new:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=").unwrap();
        assert!(
            only_new.open("a", "f", &sealed).is_err(),
            "a key no longer listed"
        );
    }

    #[test]
    fn a_wrong_key_file_names_the_line_but_not_the_key() {
        let short = Keys::parse("k:AAAA\n").unwrap_err();
        assert!(
            short.contains("line 1") && short.contains("32 bytes"),
            "{short}"
        );
        let twice = Keys::parse(&format!(
            "{FILE}new:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"
        ));
        assert!(twice.unwrap_err().contains("line 3"));
        assert!(Keys::parse("\n# none\n").is_err());
        assert!(Keys::parse("bad id:AAAA").unwrap_err().contains("key id"));
    }
}
