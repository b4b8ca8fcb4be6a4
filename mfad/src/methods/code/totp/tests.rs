use super::*;

fn params(seed: &[u8], algorithm: Algorithm, digits: u32) -> TotpParams {
    TotpParams {
        secret: seed.to_vec(),
        algorithm,
        digits,
        period: 30,
    }
}

const SEED_SHA1: &[u8] = b"12345678901234567890";
const SEED_SHA256: &[u8] = b"12345678901234567890123456789012";
const SEED_SHA512: &[u8] = b"1234567890123456789012345678901234567890123456789012345678901234";

/// RFC 6238 Appendix B, all 18 vectors.
#[test]
fn rfc6238_appendix_b_vectors_match() {
    let vectors: [(u64, &str, &str, &str); 6] = [
        (59, "94287082", "46119246", "90693936"),
        (1111111109, "07081804", "68084774", "25091201"),
        (1111111111, "14050471", "67062674", "99943326"),
        (1234567890, "89005924", "91819424", "93441116"),
        (2000000000, "69279037", "90698825", "38618901"),
        (20000000000, "65353130", "77737706", "47863826"),
    ];
    for (t, sha1, sha256, sha512) in vectors {
        assert_eq!(
            params(SEED_SHA1, Algorithm::Sha1, 8).code_at(t),
            sha1,
            "SHA1 at {t}"
        );
        assert_eq!(
            params(SEED_SHA256, Algorithm::Sha256, 8).code_at(t),
            sha256,
            "SHA256 at {t}"
        );
        assert_eq!(
            params(SEED_SHA512, Algorithm::Sha512, 8).code_at(t),
            sha512,
            "SHA512 at {t}"
        );
        let p = params(SEED_SHA1, Algorithm::Sha1, 8);
        assert_eq!(verify(&p, sha1, t, 0, 0), Verdict::Accepted(t / 30));
    }
}

#[test]
fn window_accepts_neighbouring_steps_only() {
    let p = params(SEED_SHA1, Algorithm::Sha1, 6);
    let now = 1_700_000_000;
    let step = now / 30;
    assert_eq!(
        verify(&p, &p.code_at(now - 30), now, 1, 0),
        Verdict::Accepted(step - 1)
    );
    assert_eq!(
        verify(&p, &p.code_at(now + 30), now, 1, 0),
        Verdict::Accepted(step + 1)
    );
    assert_eq!(verify(&p, &p.code_at(now - 60), now, 1, 0), Verdict::Wrong);
    assert_eq!(verify(&p, &p.code_at(now + 60), now, 1, 0), Verdict::Wrong);
    assert_eq!(
        verify(&p, &p.code_at(now - 60), now, 2, 0),
        Verdict::Accepted(step - 2)
    );
}

#[test]
fn code_at_or_before_the_last_used_step_is_a_replay() {
    let p = params(SEED_SHA1, Algorithm::Sha1, 6);
    let now = 1_700_000_000;
    let code = p.code_at(now);
    assert_eq!(verify(&p, &code, now, 1, now / 30), Verdict::Replayed);
    assert_eq!(verify(&p, &code, now, 1, now / 30 + 1), Verdict::Replayed);
    assert_eq!(
        verify(&p, &p.code_at(now - 30), now, 1, now / 30 - 1),
        Verdict::Replayed
    );
}

#[test]
fn wrong_length_and_wrong_codes_are_rejected() {
    let p = params(SEED_SHA1, Algorithm::Sha1, 6);
    let code = p.code_at(1_700_000_000);
    assert_eq!(verify(&p, &code[..5], 1_700_000_000, 1, 0), Verdict::Wrong);
    assert_eq!(
        verify(&p, &format!("{code}0"), 1_700_000_000, 1, 0),
        Verdict::Wrong
    );
}

#[test]
fn secrets_round_trip_through_base32_as_people_type_them() {
    let secret = new_secret().unwrap();
    assert_eq!(secret.len(), 20);
    let b32 = encode_secret(&secret);
    assert_eq!(decode_secret(&b32).unwrap(), secret);
    let spaced: String = b32
        .to_lowercase()
        .chars()
        .collect::<Vec<_>>()
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ");
    assert_eq!(decode_secret(&spaced).unwrap(), secret);
    assert!(decode_secret("not base32!").is_err());
    assert!(decode_secret("").is_err());
}

#[test]
fn params_outside_the_rfc_ranges_are_refused() {
    assert!(params(b"short", Algorithm::Sha1, 6).validate().is_err());
    assert!(params(SEED_SHA1, Algorithm::Sha1, 9).validate().is_err());
    assert!(params(SEED_SHA1, Algorithm::Sha1, 5).validate().is_err());
    assert!(
        TotpParams {
            period: 0,
            ..params(SEED_SHA1, Algorithm::Sha1, 6)
        }
        .validate()
        .is_err()
    );
    assert!(params(SEED_SHA1, Algorithm::Sha1, 6).validate().is_ok());
}

#[test]
fn otpauth_uri_names_every_parameter() {
    let p = params(SEED_SHA1, Algorithm::Sha256, 8);
    let uri = otpauth_uri(&p, "My Host", "alice");
    assert_eq!(
        uri,
        "otpauth://totp/My%20Host:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=My%20Host&algorithm=SHA256&digits=8&period=30"
    );
}
