//! Whatever answers on org.mfa.Mfad1, the module believes only well-formed steps: malformed,
//! failing, silent or endless replies all end in PAM_AUTHINFO_UNAVAIL, never in success.

use mfa_tests::*;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Fake(Child);

impl Drop for Fake {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_fake(bus: &Bus, mode: &str) -> Fake {
    let child = Command::new(env!("CARGO_BIN_EXE_fake-mfad"))
        .arg(mode)
        .env("DBUS_SYSTEM_BUS_ADDRESS", bus.address())
        .stdin(Stdio::null())
        .spawn()
        .expect("start fake-mfad");
    let fake = Fake(child);
    wait_for(
        "fake-mfad to take the name",
        Duration::from_secs(10),
        || bus.name_has_owner(MFAD_BUS_NAME).then_some(()),
    );
    fake
}

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
