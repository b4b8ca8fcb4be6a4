//! A session is bound to its caller's connection: when the caller leaves the bus while one of
//! its answers is still being worked on (a slow text-message gateway), the session is not put
//! back afterwards to linger until it expires.

use mfa_tests::*;
use std::time::Duration;

const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const NUMBER: &str = "+31 6 12345678";
const DESTINATION: &str = "org.mfa.Mfad1";
const PATH: &str = "/org/mfa/Mfad1";
const INTERFACE: &str = "org.mfa.Mfad1.Auth";

/// As root on a connection of its own: start a login for `user`, ask for a text message (the
/// gateway hangs), and leave the bus while that answer is still being worked on.
async fn leave_while_a_text_is_being_sent(address: &str, user: &str) {
    let conn = zbus::connection::Builder::address(address)
        .build()
        .await
        .expect("connect");
    let reply = conn
        .call_method(
            Some(DESTINATION),
            PATH,
            Some(INTERFACE),
            "Start",
            &(user, "sshd", "", ""),
        )
        .await
        .expect("Start");
    let (id, _step): (String, (u32, String, u32)) = reply.body().deserialize().expect("reply");
    for (answer, patience) in [("?", 10_000), ("2", 500)] {
        let _ = tokio::time::timeout(
            Duration::from_millis(patience),
            conn.call_method(
                Some(DESTINATION),
                PATH,
                Some(INTERFACE),
                "Answer",
                &(id.as_str(), answer),
            ),
        )
        .await;
    }
}

#[test]
fn a_session_whose_caller_left_during_an_answer_does_not_linger() {
    let bus = Bus::start();
    let stub = TwilioStub::start(TWILIO_SID, TWILIO_TOKEN);
    let secrets = TwilioSecrets::new();
    let config = format!(
        "[daemon]\nmax_sessions = 2\n\n[sms]\ngateways = [\"only\"]\n\n{}",
        secrets.gateway("only", &stub)
    );
    let daemon = Daemon::start(&bus, &config);
    enroll_phone(&bus, &[&stub], "alice", SECRET, NUMBER);
    stub.reply_with(&[Reply::Hang, Reply::Hang]);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    // Two such callers: together their sessions would take both slots.
    runtime.block_on(async {
        tokio::join!(
            leave_while_a_text_is_being_sent(bus.address(), "alice"),
            leave_while_a_text_is_being_sent(bus.address(), "alice")
        )
    });
    drop(runtime);
    // The gateway gives up after its 2-s timeout; then the answers end and their sessions
    // would be put back.
    std::thread::sleep(Duration::from_secs(4));
    let pam = PamStack::new(&bus, &daemon);
    let (rc, transcript) = pam.login("alice", &["123456"]);
    assert_eq!(
        rc,
        codes::PAM_AUTH_ERR,
        "the next login was asked for a code, not turned away:\n{transcript}\n{}",
        daemon.log()
    );
}
