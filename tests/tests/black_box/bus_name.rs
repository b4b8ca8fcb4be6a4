//! mfad holds `org.mfa.Mfad1` until it exits: the module believes an owner that held the name
//! on both sides of its uid check, so no other process may take the name over mid-run.

use mfa_tests::*;

const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

#[test]
fn a_second_mfad_cannot_take_the_name_from_a_running_one() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    enroll_totp(&bus, "alice", SECRET, 6, "SHA1", 30);
    let second = Daemon::try_start(&bus, "");
    assert!(second.is_err(), "a second daemon took the name over");
    let (rc, t) =
        PamStack::new(&bus, &daemon).login("alice", &[&oathtool_code(SECRET, "SHA1", 6, 30, None)]);
    assert_eq!(rc, codes::PAM_SUCCESS, "the first one still answers: {t}");
}
