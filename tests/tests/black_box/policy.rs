//! Users with nothing enrolled: denied by default (with the same prompt an enrolled user gets),
//! let through with PAM_IGNORE where the admin allowed it, per service.

use mfa_tests::*;

/// `[success=ok ignore=ignore default=bad]` then pam_permit: the stack succeeds when the module
/// says SUCCESS or IGNORE and fails otherwise, so the transcript tells which one it was.
fn stack(bus: &Bus, daemon: &Daemon, service: &str) -> PamStack {
    PamStack::with_options(
        bus,
        daemon.uid(),
        StackOptions {
            service: service.into(),
            control: "[success=ok ignore=ignore default=bad]".into(),
            after: vec!["auth required pam_permit.so".into()],
            ..Default::default()
        },
    )
}

#[test]
fn unenrolled_user_is_denied_by_default_after_the_same_prompt() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    let pam = PamStack::new(&bus, &daemon);
    let (rc, transcript) = pam.login("nobody-enrolled", &["123456"]);
    assert_eq!(rc, codes::PAM_AUTH_ERR, "{transcript}");
    assert_eq!(transcript.prompts(), vec!["Verification code: "]);
    assert!(
        transcript.contains("Wrong verification code."),
        "same answer as a wrong code: {transcript}"
    );
}

#[test]
fn unenrolled_user_is_ignored_where_the_policy_allows() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "[policy]\nunenrolled = \"allow\"\n");
    let (rc, transcript) = stack(&bus, &daemon, "sshd").login("newcomer", &[]);
    assert_eq!(rc, codes::PAM_SUCCESS, "{transcript}\n{}", daemon.log());
    assert!(
        transcript.prompts().is_empty(),
        "no code asked: {transcript}"
    );
    assert!(daemon.log().contains("outcome=not-enrolled-allowed"));
}

#[test]
fn an_enrolled_user_is_still_asked_when_unenrolled_users_are_allowed() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "[policy]\nunenrolled = \"allow\"\n");
    enroll_totp(
        &bus,
        "alice",
        "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
        6,
        "SHA1",
        30,
    );
    let (rc, transcript) = stack(&bus, &daemon, "sshd").login("alice", &[]);
    assert_ne!(rc, codes::PAM_SUCCESS, "{transcript}");
    assert_eq!(transcript.prompts(), vec!["Verification code: "]);
}

#[test]
fn per_service_override_beats_the_global_policy() {
    let bus = Bus::start();
    let daemon = Daemon::start(
        &bus,
        "[policy]\nunenrolled = \"deny\"\n\n[services.sudo]\nunenrolled = \"allow\"\n",
    );
    let (rc, transcript) = stack(&bus, &daemon, "sudo").login("newcomer", &[]);
    assert_eq!(rc, codes::PAM_SUCCESS, "sudo allows: {transcript}");
    let (rc, transcript) = stack(&bus, &daemon, "sshd").login("newcomer", &["123456"]);
    assert_ne!(rc, codes::PAM_SUCCESS, "sshd denies: {transcript}");
}
