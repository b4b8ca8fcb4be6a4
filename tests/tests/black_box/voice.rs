//! Challenge calls through the real module, bus and daemon: the call placed through a Twilio
//! stand-in that checks the Calls request, the callee answering on the keypad through signed
//! callbacks to the daemon's web listener, and what a forged, replayed or misdirected callback
//! must not achieve.

use mfa_tests::*;
use std::sync::{Arc, Mutex};

const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const NUMBER: &str = "+31 6 12345678";

struct Phone {
    bus: Bus,
    daemon: Daemon,
    stubs: Vec<TwilioStub>,
    public_url: String,
    _secrets: TwilioSecrets,
}

/// A daemon with `gateways` Twilio stand-ins (texts through the first, calls through all in
/// order), calls in `mode`, `extra` config, and `user` enrolled (app + verified phone).
fn phone(user: &str, mode: &str, gateways: usize, extra: &str) -> Phone {
    let bus = Bus::start();
    let stubs: Vec<TwilioStub> = (0..gateways)
        .map(|_| TwilioStub::start(TWILIO_SID, TWILIO_TOKEN))
        .collect();
    let secrets = TwilioSecrets::new();
    let port = free_loopback_port();
    let public_url = format!("http://127.0.0.1:{port}");
    let names: Vec<String> = (0..gateways).map(|i| format!("\"gw{i}\"")).collect();
    let tables: String = stubs
        .iter()
        .enumerate()
        .map(|(i, s)| secrets.gateway(&format!("gw{i}"), s))
        .collect();
    let config = format!(
        "[sms]\ngateways = [\"gw0\"]\n\n[voice]\ngateways = [{}]\nmode = \"{mode}\"\n\
         answer_timeout = 20\n\n[web]\nlisten = \"127.0.0.1:{port}\"\npublic_url = \"{public_url}\"\n\n{extra}\n{tables}",
        names.join(", ")
    );
    let daemon = Daemon::start(&bus, &config);
    enroll_phone(&bus, &[&stubs[0]], user, SECRET, NUMBER);
    Phone {
        bus,
        daemon,
        stubs,
        public_url,
        _secrets: secrets,
    }
}

impl Phone {
    /// A login that types `?`, picks the call (option 3: app, text, call), lets `on_the_phone`
    /// act as the callee (given the call and the login prompt), presses Enter at the call
    /// prompt, and then answers `then`.
    fn login_by_call(
        &self,
        user: &str,
        then: &[&str],
        mut on_the_phone: impl FnMut(PlacedCall, &str) + 'static,
    ) -> (i32, Transcript) {
        let stubs = self.stubs.clone();
        let mut answers = vec!["?", "3", TEXTED_CODE];
        answers.extend_from_slice(then);
        let conv = ScriptedConversation::with_prompt_resolver(&answers, move |prompt| {
            let call = stubs
                .iter()
                .rev()
                .find_map(|s| s.calls().pop())
                .expect("a call was placed");
            on_the_phone(call, prompt);
            String::new()
        });
        PamStack::new(&self.bus, &self.daemon).login_with(user, conv)
    }
}

/// The two digits a number-matching prompt asks for ("… type 42 on the phone's keypad …").
fn shown_digits(prompt: &str) -> String {
    let after = prompt.split("type ").nth(1).unwrap_or_default();
    after.chars().take_while(char::is_ascii_digit).collect()
}

#[test]
fn pressing_hash_on_the_call_logs_in_and_the_call_is_what_twilio_expects() {
    let p = phone("mfa-voice-a", "press_hash", 1, "");
    // The callee answers only after the user pressed Enter: the login waits through Poll.
    let phone_side = Arc::new(Mutex::new(None));
    let handle = phone_side.clone();
    let (rc, t) = p.login_by_call("mfa-voice-a", &[], move |call, _| {
        let answering = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(1500));
            let reply = call.press("#");
            (call, reply)
        });
        *handle.lock().expect("handle") = Some(answering);
    });
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", p.daemon.log());
    let prompts = t.prompts();
    assert!(prompts[1].contains("3) Phone call to +31"), "{t}");
    assert!(!prompts[1].contains("12345678"), "masked: {t}");
    assert!(
        prompts[2].starts_with("Calling +31")
            && prompts[2].contains("press #")
            && prompts[2].contains("press Enter here once you have answered"),
        "{t}"
    );
    let answering = phone_side.lock().expect("handle").take().expect("answered");
    let (call, (status, twiml)) = answering.join().expect("the callee");
    assert_eq!(status, 200, "{twiml}");
    assert!(twiml.contains("The sign-in is confirmed"), "{twiml}");
    assert_eq!(call.to, "+31612345678");
    assert!(
        call.twiml.contains("numDigits=\"1\" finishOnKey=\"\""),
        "{}",
        call.twiml
    );
    assert!(
        call.action
            .starts_with(&format!("{}/twilio/voice/", p.public_url)),
        "{}",
        call.action
    );
    assert!(
        call.status_callback
            .starts_with(&format!("{}/twilio/call-status/", p.public_url)),
        "{}",
        call.status_callback
    );
    let log = p.daemon.log();
    assert!(log.contains("method=voice outcome=call-placed"), "{log}");
    assert!(log.contains("method=voice outcome=granted"), "{log}");
    // The same keypad answer again changes nothing and logs no one in.
    let (again, _) = call.press("#");
    assert_ne!(again, 200);
}

#[test]
fn number_matching_logs_in_with_the_digits_shown_and_counts_wrong_ones() {
    let p = phone("mfa-voice-b", "number_match", 1, "");
    let (rc, t) = p.login_by_call("mfa-voice-b", &[], |call, prompt| {
        let digits = shown_digits(prompt);
        assert_eq!(digits.len(), 2, "{prompt}");
        assert!(call.twiml.contains("finishOnKey=\"#\""), "{}", call.twiml);
        assert_eq!(call.press(&digits).0, 200);
    });
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", p.daemon.log());

    let (rc, t) = p.login_by_call("mfa-voice-b", &[], |call, prompt| {
        let shown: u32 = shown_digits(prompt).parse().expect("digits");
        let wrong = format!("{:02}", (shown + 1) % 100);
        let (status, twiml) = call.press(&wrong);
        assert_eq!(status, 200);
        assert!(twiml.contains("not confirmed"), "{twiml}");
    });
    assert_eq!(rc, codes::PAM_AUTH_ERR, "{t}\n{}", p.daemon.log());
    assert!(t.contains("keys pressed were not right"), "{t}");
    let log = p.daemon.log();
    assert!(
        log.contains("method=voice outcome=denied-wrong-keys"),
        "{log}"
    );
}

#[test]
fn forged_misdirected_and_unsigned_callbacks_are_refused_and_decide_nothing() {
    let p = phone("mfa-voice-c", "press_hash", 1, "");
    let totp = oathtool_code(SECRET, "SHA1", 6, 30, Some(now_unix() + 30));
    let (rc, t) = p.login_by_call("mfa-voice-c", &["1", &totp], |call, _| {
        let params = call.params(&[("Digits", "#")]);
        // No signature, a signature made with another key, and a signature for another URL.
        assert_eq!(twilio_post(&call.action, &params, None).0, 403);
        let forged = twilio_signature("not-the-token", &call.action, &params);
        assert_eq!(twilio_post(&call.action, &params, Some(&forged)).0, 403);
        let elsewhere = call.sign(&call.status_callback, &params);
        assert_eq!(twilio_post(&call.action, &params, Some(&elsewhere)).0, 403);
        // Properly signed, but about another call or another account.
        let mut other_call = params.clone();
        other_call[1].1 = format!("CA{}", "0".repeat(32));
        let signed = call.sign(&call.action, &other_call);
        assert_eq!(twilio_post(&call.action, &other_call, Some(&signed)).0, 403);
        let mut other_account = params.clone();
        other_account[0].1 = format!("AC{}", "f".repeat(32));
        let signed = call.sign(&call.action, &other_account);
        assert_eq!(
            twilio_post(&call.action, &other_account, Some(&signed)).0,
            403
        );
        // A token nobody was given.
        let unknown = format!(
            "{}/{}",
            call.action.rsplit_once('/').expect("url").0,
            "0".repeat(32)
        );
        let signed = call.sign(&unknown, &params);
        assert_eq!(twilio_post(&unknown, &params, Some(&signed)).0, 404);
        // Then the callee does not pick up.
        assert_eq!(call.report("no-answer"), 204);
    });
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", p.daemon.log());
    assert!(
        t.prompts()[3].starts_with("The call was not answered."),
        "back to the menu: {t}"
    );
    let log = p.daemon.log();
    assert!(
        log.contains("method=voice outcome=call-unanswered"),
        "{log}"
    );
    assert!(!log.contains("method=voice outcome=granted"), "{log}");
    assert!(log.contains("bad X-Twilio-Signature"), "{log}");
}

#[test]
fn a_failing_gateway_falls_back_to_the_next_for_calls() {
    let p = phone("mfa-voice-d", "press_hash", 2, "");
    p.stubs[0].reply_with(&[Reply::ServerError]);
    let (rc, t) = p.login_by_call("mfa-voice-d", &[], |call, _| {
        assert_eq!(call.press("#").0, 200);
    });
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", p.daemon.log());
    assert!(p.stubs[0].calls().is_empty() && p.stubs[1].calls().len() == 1);
    assert!(p.daemon.log().contains("falling back from gateway gw0"));
}

#[test]
fn a_blocked_destination_stops_without_fallback_and_offers_another_method() {
    let p = phone("mfa-voice-e", "press_hash", 2, "");
    p.stubs[0].reply_with(&[Reply::TwilioError {
        status: 400,
        code: 21216,
    }]);
    let totp = oathtool_code(SECRET, "SHA1", 6, 30, Some(now_unix() + 30));
    let (rc, t) = PamStack::new(&p.bus, &p.daemon).login("mfa-voice-e", &["?", "3", "1", &totp]);
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", p.daemon.log());
    assert!(t.prompts()[2].contains("could not be placed"), "{t}");
    assert!(
        p.stubs[1].received().is_empty(),
        "no fallback after a fraud block"
    );
}

#[test]
fn the_listener_speaks_tls_with_the_configured_certificate() {
    let dir = tempfile::tempdir().expect("dir");
    let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    let made = std::process::Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
        ])
        .args(["-nodes", "-days", "1", "-subj", "/CN=localhost", "-keyout"])
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .expect("openssl");
    assert!(made.status.success(), "{made:?}");
    let bus = Bus::start();
    let port = free_loopback_port();
    let config = format!(
        "[web]\nlisten = \"127.0.0.1:{port}\"\ntls_cert = \"{}\"\ntls_key = \"{}\"\n",
        cert.display(),
        key.display()
    );
    let daemon = Daemon::start(&bus, &config);
    let url = format!("https://localhost:{port}/twilio/voice/{}", "0".repeat(32));
    let curl = |extra: &[&str]| {
        std::process::Command::new("curl")
            .args(["-s", "-o", "/dev/null", "-w", "%{http_code}", "--resolve"])
            .arg(format!("localhost:{port}:127.0.0.1"))
            .args(extra)
            .arg(&url)
            .output()
            .expect("curl")
    };
    let trusted = curl(&["--cacert", cert.to_str().expect("path"), "-d", "a=b"]);
    assert_eq!(
        String::from_utf8_lossy(&trusted.stdout),
        "404",
        "TLS with the configured certificate: {trusted:?}\n{}",
        daemon.log()
    );
    let untrusted = curl(&["-d", "a=b"]);
    assert_ne!(
        String::from_utf8_lossy(&untrusted.stdout),
        "404",
        "{untrusted:?}"
    );
}
