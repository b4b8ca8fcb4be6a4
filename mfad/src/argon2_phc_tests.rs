use super::*;

#[test]
fn new_hashes_carry_algorithm_version_and_parameters() {
    let phc = hash("1234567890", b"0123456789abcdef").unwrap();
    assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
    assert!(is_phc(&phc));
}

#[test]
fn the_same_secret_rehashes_to_the_stored_string_and_another_does_not() {
    let phc = hash("1234567890", b"0123456789abcdef").unwrap();
    assert_eq!(rehash_like("1234567890", &phc).unwrap(), phc);
    assert_ne!(rehash_like("1234567891", &phc).unwrap(), phc);
}

#[test]
fn parameters_are_read_from_the_stored_hash_not_from_the_defaults() {
    // A hash written with other parameters (as a future default might be) still verifies.
    let salt = SaltString::encode_b64(b"0123456789abcdef").unwrap();
    let other = hasher(8 * 1024, 3, 1)
        .unwrap()
        .hash_password(b"4711", &salt)
        .unwrap()
        .to_string();
    assert!(other.contains("m=8192,t=3,p=1"), "{other}");
    assert_eq!(rehash_like("4711", &other).unwrap(), other);
    assert_ne!(rehash_like("4712", &other).unwrap(), other);
}

#[test]
fn a_legacy_hex_hash_is_not_taken_for_phc() {
    let legacy = legacy_hex("1234567890", "00112233445566778899aabbccddeeff").unwrap();
    assert_eq!(legacy.len(), 64);
    assert!(!is_phc(&legacy));
}

#[test]
fn malformed_or_foreign_stored_hashes_are_errors_not_matches() {
    assert!(rehash_like("1", "$argon2id$garbage").is_err());
    assert!(rehash_like("1", "$2b$12$abcdefghijklmnopqrstuv").is_err());
}
