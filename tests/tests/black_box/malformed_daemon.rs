//! Whatever answers on org.mfa.Mfad1, the module believes only well-formed steps: malformed,
//! failing, silent or endless replies all end in PAM_AUTHINFO_UNAVAIL, never in success.

use crate::fake_mfad::start_fake;
use mfa_tests::*;
use std::time::{Duration, Instant};

fn login_against(mode: &str) -> (i32, Transcript) {
    let bus = Bus::start();
    let _fake = start_fake(&bus, mode);
    let uid = bus.owner_uid();
    let pam = PamStack::with_options(
        &bus,
        uid,
        StackOptions {
            module_args: vec!["timeout=1".into()],
            ..Default::default()
        },
    );
    pam.login("alice", &["123456"])
}

#[test]
fn unknown_step_kind_is_refused() {
    let (rc, t) = login_against("unknown-step");
    assert_eq!(rc, codes::PAM_AUTHINFO_UNAVAIL, "{t}");
    assert!(t.prompts().is_empty(), "{t}");
}

#[test]
fn malformed_session_id_is_refused() {
    let (rc, t) = login_against("bad-session-id");
    assert_eq!(rc, codes::PAM_AUTHINFO_UNAVAIL, "{t}");
    assert!(t.prompts().is_empty(), "{t}");
}

#[test]
fn oversized_prompt_text_is_refused() {
    let (rc, t) = login_against("oversized-text");
    assert_eq!(rc, codes::PAM_AUTHINFO_UNAVAIL, "{t}");
    assert!(t.prompts().is_empty(), "{t}");
}

#[test]
fn out_of_range_poll_interval_is_refused() {
    assert_eq!(
        login_against("bad-poll-interval").0,
        codes::PAM_AUTHINFO_UNAVAIL
    );
}

#[test]
fn error_reply_after_the_prompt_is_refused() {
    let (rc, t) = login_against("error-after-prompt");
    assert_eq!(rc, codes::PAM_AUTHINFO_UNAVAIL, "{t}");
    assert_eq!(t.prompts(), vec!["Verification code: "]);
}

#[test]
fn silent_daemon_after_the_prompt_times_out() {
    let started = Instant::now();
    let (rc, t) = login_against("silent-after-prompt");
    assert_eq!(rc, codes::PAM_AUTHINFO_UNAVAIL, "{t}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "bounded by timeout=1: {:?}",
        started.elapsed()
    );
}

#[test]
fn a_daemon_that_never_decides_is_cut_off() {
    let (rc, t) = login_against("endless-wait");
    assert_eq!(rc, codes::PAM_AUTHINFO_UNAVAIL, "{t}");
}
