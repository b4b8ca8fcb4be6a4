//! Pushes and calls in a fleet (docs: per-host public URLs): a pending confirmation lives in
//! the memory of the daemon that sent it, so its link or callback must reach that host. The
//! same link or callback arriving at another host's listener is refused and decides nothing;
//! at the host where the login waits, it still works.

use std::sync::{Arc, Mutex};

use mfa_tests::*;

use crate::fleet_setup::migrated_fleet;

/// What the phone saw, for the asserts after the login.
#[derive(Debug, Default)]
struct Seen {
    /// The link sent to host B: GET, then POST approve, then POST deny.
    at_b: Vec<WebResponse>,
    /// Host A's page after those.
    at_a_after: WebResponse,
    /// The approval at host A.
    approved: WebResponse,
}

#[test]
fn a_push_approval_sent_to_another_hosts_listener_is_refused_and_decides_nothing() {
    let (_db, fleet) = migrated_fleet("");
    // PushPolicy::extra is 'static: the store's table lives as long as the test process.
    let store: &'static str = Box::leak(fleet.store_toml.clone().into_boxed_str());
    let policy = PushPolicy {
        extra: store,
        ..PushPolicy::default()
    };
    let host_a = PushSetup::start(&policy);
    let host_b = PushSetup::start(&policy);
    let user = "mfa-fleet-push";
    host_a.enroll_push(user, None);
    let seen = Arc::new(Mutex::new(Seen::default()));
    let slot = seen.clone();
    let (a_url, b_url) = (host_a.public_url.clone(), host_b.public_url.clone());
    let script = ["?", PUSH_OPTION, ON_THE_PHONE];
    let (rc, t) = host_a.login(user, &script, move |c| {
        assert!(c.link.starts_with(&format!("{a_url}/push/")), "{}", c.link);
        let page = web_get(&c.link);
        assert_eq!(page.status, 200, "{}", page.body);
        let csrf = csrf_of(&page.body);
        // The same path at host B, as a load balancer in front of the fleet would send it.
        let elsewhere = c.link.replacen(&a_url, &b_url, 1);
        let origin = [("Origin", b_url.as_str())];
        let mut seen = slot.lock().expect("seen");
        seen.at_b.push(web_get(&elsewhere));
        for decision in ["approve", "deny"] {
            let body = approval_form(&csrf, &c.number, decision);
            seen.at_b.push(web_post_form(&elsewhere, &body, &origin));
        }
        // Host A's link is still live and unanswered, and approves.
        seen.at_a_after = web_get(&c.link);
        let own = [("Origin", a_url.as_str())];
        seen.approved = web_post_form(&c.link, &approval_form(&csrf, &c.number, "approve"), &own);
    });
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", host_a.daemon.log());
    let seen = seen.lock().expect("seen");
    for answer in &seen.at_b {
        // A token this host never issued gets the answer every dead link gets (the push page
        // does not tell "never issued" from "expired or used"; call callbacks answer 404),
        // and no form to answer.
        assert_eq!(answer.status, 410, "host B: {}", answer.body);
        assert!(
            answer
                .body
                .contains("This link has expired or was already used."),
            "{}",
            answer.body
        );
        assert!(!answer.body.contains("name=\"csrf\""), "{}", answer.body);
    }
    assert_eq!(seen.at_a_after.status, 200, "{}", seen.at_a_after.body);
    assert!(
        seen.at_a_after
            .body
            .contains(&csrf_of(&seen.at_a_after.body))
    );
    assert_eq!(seen.approved.status, 200, "{}", seen.approved.body);
    assert!(
        seen.approved.body.contains("Sign-in approved"),
        "{}",
        seen.approved.body
    );
    // Host B decided nothing and sent nothing; host A decided once (plus the enrollment's).
    let log_b = host_b.daemon.log();
    assert!(!log_b.contains(&format!("push for {user}")), "{log_b}");
    assert!(host_b.ntfy.delivered().is_empty());
    let approved = format!("push for {user}: approved");
    assert_eq!(
        host_a.daemon.log().matches(&approved).count(),
        2,
        "{}",
        host_a.daemon.log()
    );
    assert!(
        !host_a
            .daemon
            .log()
            .contains(&format!("push for {user}: denied"))
    );
}

const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const NUMBER: &str = "+31 6 12345678";

/// A host that calls through a Twilio stand-in of its own (the fleet's one account) and
/// answers its callbacks at its own public URL.
struct CallingHost {
    bus: Bus,
    daemon: Daemon,
    stub: TwilioStub,
    public_url: String,
}

fn calling_host(store_toml: &str, secrets: &TwilioSecrets) -> CallingHost {
    let bus = Bus::start();
    let stub = TwilioStub::start(TWILIO_SID, TWILIO_TOKEN);
    let port = free_loopback_port();
    let public_url = format!("http://127.0.0.1:{port}");
    let config = format!(
        "[sms]\ngateways = [\"gw0\"]\n\n[voice]\ngateways = [\"gw0\"]\nmode = \"press_hash\"\n\
         answer_timeout = 20\n\n[web]\nlisten = \"127.0.0.1:{port}\"\npublic_url = \"{public_url}\"\n\n\
         {}\n{store_toml}",
        secrets.gateway("gw0", &stub)
    );
    let daemon = Daemon::start(&bus, &config);
    CallingHost {
        bus,
        daemon,
        stub,
        public_url,
    }
}

#[test]
fn a_call_callback_sent_to_another_hosts_listener_gets_404_and_decides_nothing() {
    let (_db, fleet) = migrated_fleet("");
    let secrets = TwilioSecrets::new();
    let host_a = calling_host(&fleet.store_toml, &secrets);
    let host_b = calling_host(&fleet.store_toml, &secrets);
    let user = "mfa-fleet-call";
    enroll_phone(&host_a.bus, &[&host_a.stub], user, SECRET, NUMBER);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let slot = seen.clone();
    let stub = host_a.stub.clone();
    let (a_url, b_url) = (host_a.public_url.clone(), host_b.public_url.clone());
    // `?`, the call (option 3: app, text, call), then the callee's turn and Enter.
    let answers = ["?", "3", TEXTED_CODE];
    let conv = ScriptedConversation::with_prompt_resolver(&answers, move |_| {
        let call = stub.calls().pop().expect("a call was placed");
        assert!(call.action.starts_with(&format!("{a_url}/twilio/voice/")));
        let mut seen = slot.lock().expect("seen");
        // Properly signed for host B's URL (the account's token), the call's own fields: the
        // keypad answer that would confirm, and a status that would end the call.
        let keypad = call.action.replacen(&a_url, &b_url, 1);
        let params = call.params(&[("Digits", "#"), ("CallStatus", "in-progress")]);
        let signed = call.sign(&keypad, &params);
        seen.push((
            "keypad at B",
            twilio_post(&keypad, &params, Some(&signed)).0,
        ));
        let status = call.status_callback.replacen(&a_url, &b_url, 1);
        let params = call.params(&[("CallStatus", "no-answer")]);
        let signed = call.sign(&status, &params);
        seen.push((
            "status at B",
            twilio_post(&status, &params, Some(&signed)).0,
        ));
        // At host A, the callee's keypad answer confirms.
        seen.push(("keypad at A", call.press("#").0));
        String::new()
    });
    let (rc, t) = PamStack::new(&host_a.bus, &host_a.daemon).login_with(user, conv);
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", host_a.daemon.log());
    let seen = seen.lock().expect("seen").clone();
    assert_eq!(
        seen,
        [
            ("keypad at B", 404),
            ("status at B", 404),
            ("keypad at A", 200)
        ]
    );
    let log_a = host_a.daemon.log();
    assert!(log_a.contains("method=voice outcome=granted"), "{log_a}");
    assert!(
        !log_a.contains("method=voice outcome=call-unanswered"),
        "{log_a}"
    );
    let log_b = host_b.daemon.log();
    assert!(!log_b.contains(&format!("call for {user}")), "{log_b}");
    assert!(host_b.stub.calls().is_empty(), "host B placed no call");
}
