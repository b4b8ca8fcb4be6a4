//! Codes by text message through the real CLI, module, bus and daemon, against loopback
//! stand-ins for Twilio that check what Twilio checks: phone enrollment verified by a texted
//! code, the `?` menu, fallback between gateways, no fallback after a permanent or fraud error,
//! budgets, and resend cooldown.

use mfa_tests::*;
use std::os::unix::fs::PermissionsExt;

const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const SID: &str = "AC0123456789abcdef0123456789abcdef";
const TOKEN: &str = "stub-auth-token-4711";
const NUMBER: &str = "+31 6 12345678";

/// A daemon with two Twilio-speaking gateways, tried in order, and `extra` config.
fn daemon_with_gateways(
    bus: &Bus,
    first: &TwilioStub,
    second: &TwilioStub,
    extra: &str,
) -> (Daemon, tempfile::TempDir) {
    daemon_with_sms(bus, first, second, "", extra)
}

/// As [`daemon_with_gateways`], with more `[sms]` keys.
fn daemon_with_sms(
    bus: &Bus,
    first: &TwilioStub,
    second: &TwilioStub,
    sms_extra: &str,
    extra: &str,
) -> (Daemon, tempfile::TempDir) {
    let secrets = tempfile::tempdir().expect("secrets dir");
    let token = secrets.path().join("twilio-token");
    std::fs::write(&token, TOKEN).expect("token");
    std::fs::set_permissions(&token, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let gateway = |name: &str, stub: &TwilioStub| {
        format!(
            "[gateways.{name}]\nkind = \"twilio\"\nbase_url = \"{}\"\naccount_sid = \"{SID}\"\nauth_token_file = \"{}\"\nfrom = \"+15005550006\"\ntimeout = 2\n\n",
            stub.base_url,
            token.display()
        )
    };
    let config = format!(
        "[sms]\ngateways = [\"first\", \"second\"]\n{sms_extra}\n{}{}{extra}",
        gateway("first", first),
        gateway("second", second)
    );
    (Daemon::start(bus, &config), secrets)
}

fn stubs() -> (TwilioStub, TwilioStub) {
    (TwilioStub::start(SID, TOKEN), TwilioStub::start(SID, TOKEN))
}

/// `user` with an app secret and the test number, enrolled through the stand-ins.
fn enroll_phone(bus: &Bus, first: &TwilioStub, second: &TwilioStub, user: &str) {
    mfa_tests::enroll_phone(bus, &[first, second], user, SECRET, NUMBER);
}

fn texted_code(first: &TwilioStub, second: &TwilioStub) -> impl FnMut() -> String + 'static {
    let (first, second) = (first.clone(), second.clone());
    move || {
        second
            .last_code()
            .or_else(|| first.last_code())
            .unwrap_or_default()
    }
}

#[test]
fn a_phone_number_is_enrolled_only_after_the_texted_code_and_the_message_is_what_twilio_expects() {
    let bus = Bus::start();
    let (first, second) = stubs();
    let (daemon, _secrets) =
        daemon_with_gateways(&bus, &first, &second, "[totp]\nissuer = \"testhost\"\n");
    enroll_phone(&bus, &first, &second, "mfa-sms-a");
    let sent = first.received();
    assert_eq!(sent.len(), 1, "one text, no fallback: {sent:?}");
    let r = &sent[0];
    assert_eq!(r.problem, "", "Twilio would accept it: {r:?}");
    assert_eq!(r.field("To"), Some("+31612345678"));
    assert_eq!(r.field("From"), Some("+15005550006"));
    assert!(
        r.field("Body").is_some_and(|b| b.contains("testhost")),
        "{r:?}"
    );
    let code = first.last_code().expect("code");
    assert!(!daemon.log().contains(&code), "no code in the log");
    // The number is stored: a login texts it.
    let pam = PamStack::new(&bus, &daemon);
    let conv =
        ScriptedConversation::with_resolver(&["?", "2", TEXTED_CODE], texted_code(&first, &second));
    let (rc, t) = pam.login_with("mfa-sms-a", conv);
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", daemon.log());
    let sent = first.received();
    assert_eq!(
        sent.last().and_then(|r| r.field("To")),
        Some("+31612345678"),
        "{sent:?}"
    );
}

#[test]
fn question_mark_opens_the_menu_and_a_texted_code_logs_in_once() {
    let bus = Bus::start();
    let (first, second) = stubs();
    let (daemon, _secrets) = daemon_with_gateways(&bus, &first, &second, "");
    enroll_phone(&bus, &first, &second, "mfa-sms-b");
    let pam = PamStack::new(&bus, &daemon);
    let conv =
        ScriptedConversation::with_resolver(&["?", "2", TEXTED_CODE], texted_code(&first, &second));
    let (rc, t) = pam.login_with("mfa-sms-b", conv);
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", daemon.log());
    let prompts = t.prompts();
    assert!(prompts[0].contains("? for other options"), "{t}");
    assert!(
        prompts[1].contains("1) Code from the authenticator app")
            && prompts[1].contains("2) Text message to +31"),
        "{t}"
    );
    assert!(!prompts[1].contains("12345678"), "masked: {t}");
    assert!(
        prompts[2].starts_with("Code from the text message to +31"),
        "{t}"
    );
    assert!(
        daemon.log().contains("method=sms outcome=granted"),
        "{}",
        daemon.log()
    );
    // The same texted code cannot log in again.
    let used = first.last_code().expect("code");
    let (rc, _) = pam.login("mfa-sms-b", &["?", "2", &used]);
    assert_ne!(rc, codes::PAM_SUCCESS);
}

#[test]
fn a_wrong_texted_code_is_asked_again_and_counted() {
    let bus = Bus::start();
    let (first, second) = stubs();
    let (daemon, _secrets) = daemon_with_gateways(&bus, &first, &second, "");
    enroll_phone(&bus, &first, &second, "mfa-sms-c");
    let pam = PamStack::new(&bus, &daemon);
    let conv = ScriptedConversation::with_resolver(
        &["?", "2", "000000", TEXTED_CODE],
        texted_code(&first, &second),
    );
    let (rc, t) = pam.login_with("mfa-sms-c", conv);
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", daemon.log());
    assert!(t.prompts()[3].starts_with("That code is not right."), "{t}");
    assert!(
        daemon
            .log()
            .contains("method=sms outcome=denied-wrong-code")
    );
}

#[test]
fn a_failing_gateway_falls_back_to_the_next_for_5xx_429_timeouts_and_malformed_replies() {
    for failure in [
        Reply::ServerError,
        Reply::TooManyRequests { retry_after: 30 },
        Reply::Hang,
        Reply::Malformed,
    ] {
        let bus = Bus::start();
        let (first, second) = stubs();
        let (daemon, _secrets) = daemon_with_gateways(&bus, &first, &second, "");
        enroll_phone(&bus, &first, &second, "mfa-sms-d");
        first.reply_with(std::slice::from_ref(&failure));
        let pam = PamStack::new(&bus, &daemon);
        let started = std::time::Instant::now();
        let conv = ScriptedConversation::with_resolver(
            &["?", "2", TEXTED_CODE],
            texted_code(&first, &second),
        );
        let (rc, t) = pam.login_with("mfa-sms-d", conv);
        assert_eq!(rc, codes::PAM_SUCCESS, "{failure:?}: {t}\n{}", daemon.log());
        assert_eq!(
            second.accepted_bodies().len(),
            1,
            "{failure:?}: the second gateway sent it"
        );
        assert!(
            daemon.log().contains("falling back from gateway first"),
            "{failure:?}: {}",
            daemon.log()
        );
        assert!(
            started.elapsed() < std::time::Duration::from_secs(15),
            "{failure:?}: bounded by the gateway timeout"
        );
    }
}

#[test]
fn a_permanent_or_fraud_error_stops_without_fallback_and_offers_another_method() {
    for (code, text) in [
        (21211, "cannot reach this number"),
        (30450, "could not be sent"),
    ] {
        let bus = Bus::start();
        let (first, second) = stubs();
        let (daemon, _secrets) = daemon_with_gateways(&bus, &first, &second, "");
        enroll_phone(&bus, &first, &second, "mfa-sms-e");
        let before = second.received().len();
        first.reply_with(&[Reply::TwilioError { status: 400, code }]);
        let pam = PamStack::new(&bus, &daemon);
        let totp = oathtool_code(SECRET, "SHA1", 6, 30, Some(now_unix() + 30));
        let (rc, t) = pam.login("mfa-sms-e", &["?", "2", "1", &totp]);
        assert_eq!(second.received().len(), before, "{code}: no fallback");
        assert!(t.prompts()[2].contains(text), "{code}: {t}");
        assert_eq!(
            rc,
            codes::PAM_SUCCESS,
            "{code}: another method still works: {t}\n{}",
            daemon.log()
        );
    }
}

#[test]
fn the_send_budget_refuses_without_saying_why_and_survives_a_restart() {
    let bus = Bus::start();
    let (first, second) = stubs();
    let budgets =
        "[budgets]\nuser_hour = 2\nuser_day = 2\nnonroot_user_hour = 1\nnonroot_user_day = 1\n";
    let (mut daemon, _secrets) = daemon_with_gateways(&bus, &first, &second, budgets);
    enroll_phone(&bus, &first, &second, "mfa-sms-f"); // the enrollment text is the first send
    let pam = PamStack::new(&bus, &daemon);
    let conv =
        ScriptedConversation::with_resolver(&["?", "2", TEXTED_CODE], texted_code(&first, &second));
    assert_eq!(
        pam.login_with("mfa-sms-f", conv).0,
        codes::PAM_SUCCESS,
        "{}",
        daemon.log()
    );
    daemon.stop();
    daemon.restart();
    let (_, t) = pam.login("mfa-sms-f", &["?", "2", "?"]);
    assert!(
        t.prompts()[2].starts_with("No more text messages can be sent right now."),
        "{t}"
    );
    assert_eq!(
        first.accepted_bodies().len() + second.accepted_bodies().len(),
        2,
        "nothing sent beyond the budget"
    );
    assert!(
        daemon.log().contains("refused by the user budget"),
        "{}",
        daemon.log()
    );
}

#[test]
fn a_new_text_waits_for_the_resend_cooldown() {
    let bus = Bus::start();
    let (first, second) = stubs();
    let (daemon, _secrets) = daemon_with_sms(&bus, &first, &second, "resend_cooldown = 60\n", "");
    enroll_phone(&bus, &first, &second, "mfa-sms-g");
    let pam = PamStack::new(&bus, &daemon);
    let (_, t) = pam.login("mfa-sms-g", &["?", "2", "?", "2", "?"]);
    assert!(
        t.prompts()[4].starts_with("A new text message can be sent in"),
        "{t}"
    );
    assert_eq!(
        first.accepted_bodies().len(),
        2,
        "enrollment + one login text: {}",
        daemon.log()
    );
}
