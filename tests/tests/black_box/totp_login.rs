//! Logins with authenticator codes through the real module, bus and daemon, with codes from the
//! independent `oathtool`.

use mfa_tests::*;
use std::sync::Arc;

const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

fn wrong_code() -> String {
    mfa_tests::wrong_code(SECRET, "SHA1", 6, 30)
}

fn setup(extra: &str) -> (Bus, Daemon, PamStack) {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, extra);
    let pam = PamStack::new(&bus, &daemon);
    (bus, daemon, pam)
}

#[test]
fn right_sha1_code_from_oathtool_logs_in() {
    let (bus, daemon, pam) = setup("");
    enroll_totp(&bus, "alice", SECRET, 6, "SHA1", 30);
    let code = oathtool_code(SECRET, "SHA1", 6, 30, None);
    let (rc, transcript) = pam.login("alice", &[&code]);
    assert_eq!(rc, codes::PAM_SUCCESS, "{transcript}\n{}", daemon.log());
    assert_eq!(transcript.prompts(), vec!["Verification code: "]);
    assert!(daemon.log().contains(
        "user=alice service=mfa-test rhost=192.0.2.10 caller_uid=0 method=totp outcome=granted"
    ));
}

#[test]
fn right_sha256_eight_digit_code_with_a_60_second_period_logs_in() {
    let (bus, daemon, pam) = setup("");
    enroll_totp(&bus, "bob", SECRET, 8, "SHA256", 60);
    let code = oathtool_code(SECRET, "SHA256", 8, 60, None);
    assert_eq!(code.len(), 8);
    let (rc, transcript) = pam.login("bob", &[&code]);
    assert_eq!(rc, codes::PAM_SUCCESS, "{transcript}\n{}", daemon.log());
}

#[test]
fn sha512_code_logs_in() {
    let (bus, daemon, pam) = setup("");
    enroll_totp(&bus, "carol", SECRET, 6, "SHA512", 30);
    let (rc, t) = pam.login("carol", &[&oathtool_code(SECRET, "SHA512", 6, 30, None)]);
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", daemon.log());
}

#[test]
fn wrong_code_is_denied_with_a_message() {
    let (bus, daemon, pam) = setup("");
    enroll_totp(&bus, "alice", SECRET, 6, "SHA1", 30);
    let (rc, transcript) = pam.login("alice", &[&wrong_code()]);
    assert_eq!(rc, codes::PAM_AUTH_ERR, "{transcript}");
    assert!(
        transcript.contains("Wrong verification code."),
        "{transcript}"
    );
    assert!(daemon.log().contains("outcome=denied-wrong-code"));
}

#[test]
fn replayed_code_is_denied() {
    let (bus, daemon, pam) = setup("");
    enroll_totp(&bus, "alice", SECRET, 6, "SHA1", 30);
    let code = oathtool_code(SECRET, "SHA1", 6, 30, None);
    assert_eq!(
        pam.login("alice", &[&code]).0,
        codes::PAM_SUCCESS,
        "{}",
        daemon.log()
    );
    let (rc, transcript) = pam.login("alice", &[&code]);
    assert_eq!(rc, codes::PAM_AUTH_ERR, "{transcript}");
    assert!(daemon.log().contains("outcome=denied-replayed"));
}

#[test]
fn replay_is_refused_after_a_daemon_restart() {
    let (bus, mut daemon, pam) = setup("");
    enroll_totp(&bus, "alice", SECRET, 6, "SHA1", 30);
    let code = oathtool_code(SECRET, "SHA1", 6, 30, None);
    assert_eq!(pam.login("alice", &[&code]).0, codes::PAM_SUCCESS);
    daemon.kill();
    daemon.restart();
    assert_eq!(
        pam.login("alice", &[&code]).0,
        codes::PAM_AUTH_ERR,
        "{}",
        daemon.log()
    );
}

#[test]
fn spaces_in_the_typed_code_are_ignored() {
    let (bus, _daemon, pam) = setup("");
    enroll_totp(&bus, "alice", SECRET, 6, "SHA1", 30);
    let code = oathtool_code(SECRET, "SHA1", 6, 30, None);
    let spaced = format!(" {} {} ", &code[..3], &code[3..]);
    assert_eq!(pam.login("alice", &[&spaced]).0, codes::PAM_SUCCESS);
}

#[test]
fn non_digit_answer_is_refused_before_it_crosses_the_bus() {
    let (bus, daemon, pam) = setup("");
    enroll_totp(&bus, "alice", SECRET, 6, "SHA1", 30);
    let (rc, transcript) = pam.login("alice", &["Password-123"]);
    assert_eq!(rc, codes::PAM_AUTH_ERR, "{transcript}");
    assert!(transcript.contains("digits only"), "{transcript}");
    // The daemon never saw an answer: no decision was logged for alice.
    assert!(!daemon.log().contains("outcome=denied"), "{}", daemon.log());
    assert!(!daemon.log().contains("Password-123"));
}

#[test]
fn window_accepts_the_previous_step_but_not_two_steps_back() {
    let (bus, daemon, pam) = setup("[totp]\nwindow = 1\n");
    enroll_totp(&bus, "alice", SECRET, 6, "SHA1", 30);
    enroll_totp(&bus, "bob", SECRET, 6, "SHA1", 30);
    let now = now_unix();
    let two_back = oathtool_code(SECRET, "SHA1", 6, 30, Some(now - 60));
    let current = oathtool_code(SECRET, "SHA1", 6, 30, Some(now));
    let one_back = oathtool_code(SECRET, "SHA1", 6, 30, Some(now - 30));
    if two_back != current && two_back != one_back {
        assert_eq!(
            pam.login("alice", &[&two_back]).0,
            codes::PAM_AUTH_ERR,
            "{}",
            daemon.log()
        );
    }
    assert_eq!(
        pam.login("bob", &[&one_back]).0,
        codes::PAM_SUCCESS,
        "{}",
        daemon.log()
    );
}

#[test]
fn one_code_submitted_by_32_logins_at_once_succeeds_exactly_once() {
    let (bus, daemon, pam) = setup("[limits]\nmax_failures = 100\nfree_failures = 100\n");
    enroll_totp(&bus, "alice", SECRET, 6, "SHA1", 30);
    let code = oathtool_code(SECRET, "SHA1", 6, 30, None);
    let pam = Arc::new(pam);
    let results = pam.race("alice", &code, 32);
    let successes = results
        .iter()
        .filter(|&&rc| rc == codes::PAM_SUCCESS)
        .count();
    assert_eq!(successes, 1, "results {results:?}\n{}", daemon.log());
    assert!(
        results
            .iter()
            .all(|&rc| rc == codes::PAM_SUCCESS || rc == codes::PAM_AUTH_ERR),
        "{results:?}"
    );
    assert_eq!(daemon.log().matches("outcome=granted").count(), 1);
}

#[test]
fn logs_never_contain_secrets_or_typed_codes() {
    let (bus, daemon, pam) = setup("");
    enroll_totp(&bus, "alice", SECRET, 6, "SHA1", 30);
    let code = oathtool_code(SECRET, "SHA1", 6, 30, None);
    let wrong = wrong_code();
    pam.login("alice", &[&wrong]);
    pam.login("alice", &[&code]);
    let log = daemon.log();
    assert!(log.contains("outcome=granted"), "{log}");
    assert!(
        !log.contains(SECRET) && !log.contains(&code) && !log.contains(&wrong),
        "{log}"
    );
}

#[test]
fn dutch_config_shows_dutch_texts() {
    let (bus, _daemon, pam) = setup("[daemon]\nlanguage = \"nl\"\n");
    enroll_totp(&bus, "alice", SECRET, 6, "SHA1", 30);
    let (rc, transcript) = pam.login("alice", &[&wrong_code()]);
    assert_eq!(rc, codes::PAM_AUTH_ERR, "{transcript}");
    assert_eq!(transcript.prompts(), vec!["Verificatiecode: "]);
    assert!(
        transcript.contains("Onjuiste verificatiecode."),
        "{transcript}"
    );
}
