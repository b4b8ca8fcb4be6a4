use super::*;

fn method(secret: &str, last_step: u64) -> TotpMethod {
    TotpMethod {
        secret: secret.into(),
        algorithm: "SHA1".into(),
        digits: 6,
        period: 30,
        last_step,
        enrolled_at: 0,
        window: None,
    }
}

const A: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const B: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

#[test]
fn installing_the_same_secret_again_keeps_the_last_used_step() {
    let mut record = UserRecord::default();
    install(&mut record, method(A, 0));
    record.totp.as_mut().unwrap().last_step = 1000;
    install(&mut record, method(A, 0));
    assert_eq!(record.totp.as_ref().unwrap().last_step, 1000);
}

#[test]
fn the_step_survives_removal_and_another_secret_in_between() {
    let mut record = UserRecord::default();
    install(&mut record, method(A, 500));
    assert!(retire(&mut record));
    install(&mut record, method(B, 7));
    install(&mut record, method(A, 0));
    assert_eq!(record.totp.as_ref().unwrap().last_step, 500);
    install(&mut record, method(B, 0));
    assert_eq!(record.totp.as_ref().unwrap().last_step, 7);
}

#[test]
fn a_new_secret_starts_from_its_own_step() {
    let mut record = UserRecord::default();
    install(&mut record, method(A, 500));
    install(&mut record, method(B, 3));
    assert_eq!(record.totp.as_ref().unwrap().last_step, 3);
}

#[test]
fn the_fingerprint_ignores_base32_spelling_but_not_parameters_or_secret() {
    let lower = method(&A.to_lowercase(), 0);
    assert_eq!(fingerprint(&method(A, 0)), fingerprint(&lower));
    assert_ne!(fingerprint(&method(A, 0)), fingerprint(&method(B, 0)));
    let mut eight = method(A, 0);
    eight.digits = 8;
    assert_ne!(fingerprint(&method(A, 0)), fingerprint(&eight));
    assert!(!fingerprint(&method(A, 0)).contains(A));
}

#[test]
fn at_most_sixteen_retired_secrets_are_remembered() {
    let mut record = UserRecord::default();
    for i in 0..40u64 {
        let secret = crate::methods::code::totp::encode_secret(&[i as u8; 20]);
        install(&mut record, method(&secret, i));
    }
    retire(&mut record);
    assert_eq!(record.retired_totp.len(), MAX_RETIRED);
    assert_eq!(record.retired_totp.last().unwrap().last_step, 39);
}
