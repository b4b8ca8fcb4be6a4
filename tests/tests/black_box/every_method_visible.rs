//! Every method a user has is visible and removable, through the real CLI, bus, daemon and
//! module: `mfa status`, `mfa admin status` and `mfa admin list` show an enrolled phone (masked)
//! and a linked push device, and `mfa admin remove USER sms|voice|phone|push` takes them away so
//! that the next login no longer offers them.

use mfa_tests::*;
use std::process::Output;

const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const NUMBER: &str = "+31 6 12345678";
/// How status shows NUMBER: the country code and the last two digits.
const MASKED: &str = "+31 ••• ••• ••78";
const TEXT: &str = "Text message to +31";

/// A daemon that texts through a Twilio stand-in, and `user` enrolled with the app and a phone.
fn with_phone(user: &str) -> (Bus, Daemon, TwilioStub, TwilioSecrets) {
    let bus = Bus::start();
    let stub = TwilioStub::start(TWILIO_SID, TWILIO_TOKEN);
    let secrets = TwilioSecrets::new();
    let config = format!(
        "[sms]\ngateways = [\"tw\"]\n\n{}",
        secrets.gateway("tw", &stub)
    );
    let daemon = Daemon::start(&bus, &config);
    enroll_phone(&bus, &[&stub], user, SECRET, NUMBER);
    (bus, daemon, stub, secrets)
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `mfa ARGS…` as root; it must succeed.
fn admin_ok(bus: &Bus, args: &[&str]) -> String {
    let out = mfa(bus, args);
    assert!(out.status.success(), "mfa {args:?}: {}", output_text(&out));
    stdout(&out)
}

/// `mfa status` as `user` (the user's own view).
fn own_status(bus: &Bus, user: &str) -> String {
    let out = as_user(ensure_user(user), &build_once().mfa.display().to_string())
        .arg("status")
        .env("DBUS_SYSTEM_BUS_ADDRESS", bus.address())
        .output()
        .expect("run mfa status");
    assert!(out.status.success(), "{}", output_text(&out));
    stdout(&out)
}

/// The `?` menu a login of `user` shows (the login is then abandoned).
fn menu(bus: &Bus, daemon: &Daemon, user: &str) -> String {
    let (_, t) = PamStack::new(bus, daemon).login(user, &["?"]);
    t.prompts()
        .get(1)
        .map(|p| p.to_string())
        .unwrap_or_default()
}

#[test]
fn a_phone_only_user_sees_the_masked_number_in_status_and_admin_status_and_list() {
    let user = "mfa-vis-phone";
    let (bus, _daemon, _stub, _secrets) = with_phone(user);
    admin_ok(&bus, &["admin", "remove", user, "totp"]);

    let mine = own_status(&bus, user);
    assert!(mine.contains("Methods: sms, voice"), "{mine}");
    assert!(
        mine.contains(&format!("Phone (texts and calls): {MASKED}")),
        "{mine}"
    );
    assert!(!mine.contains("Methods: none"), "{mine}");

    let status = admin_ok(&bus, &["admin", "status", user]);
    assert!(status.contains("methods: sms,voice"), "{status}");
    assert!(status.contains(&format!("phone: {MASKED}")), "{status}");

    let list = admin_ok(&bus, &["admin", "list"]);
    let row = list
        .lines()
        .find(|l| l.starts_with(user))
        .unwrap_or_else(|| panic!("no row for {user}: {list}"));
    assert!(row.contains("sms, voice"), "{list}");

    for shown in [&mine, &status, &list] {
        assert!(
            !shown.contains("12345678"),
            "the whole number leaked: {shown}"
        );
    }
}

#[test]
fn admin_remove_sms_takes_the_phone_away_and_the_next_login_no_longer_offers_texts() {
    let user = "mfa-vis-rm-sms";
    let (bus, daemon, stub, _secrets) = with_phone(user);
    let before = menu(&bus, &daemon, user);
    assert!(before.contains(TEXT), "{before}");
    let texted = stub.accepted_bodies().len();

    let out = admin_ok(&bus, &["admin", "remove", user, "sms"]);
    assert!(out.contains("sms removed"), "{out}");

    let status = admin_ok(&bus, &["admin", "status", user]);
    assert!(status.contains("methods: totp\n"), "{status}");
    assert!(!status.contains("phone"), "{status}");
    // The app is left, so a login goes straight to its prompt and has no text option.
    let after = menu(&bus, &daemon, user);
    assert!(!after.contains("Text message"), "{after}\n{}", daemon.log());
    assert_eq!(stub.accepted_bodies().len(), texted, "nothing was texted");
}

#[test]
fn admin_remove_phone_and_voice_are_accepted_names_for_the_number() {
    for (user, name) in [("mfa-vis-rm-ph", "phone"), ("mfa-vis-rm-vc", "voice")] {
        let (bus, _daemon, _stub, _secrets) = with_phone(user);
        admin_ok(&bus, &["admin", "remove", user, name]);
        let status = admin_ok(&bus, &["admin", "status", user]);
        assert!(status.contains("methods: totp\n"), "{name}: {status}");
        // Removing it twice says there is nothing to remove.
        let again = mfa(&bus, &["admin", "remove", user, name]);
        assert!(!again.status.success(), "{}", output_text(&again));
    }
}

#[test]
fn admin_remove_refuses_an_unknown_method_and_names_the_known_ones() {
    let user = "mfa-vis-unknown";
    let (bus, _daemon, _stub, _secrets) = with_phone(user);
    let out = mfa(&bus, &["admin", "remove", user, "fax"]);
    assert!(!out.status.success(), "{}", output_text(&out));
    let text = output_text(&out);
    for name in ["totp", "backup", "sms", "voice", "push", "phone"] {
        assert!(text.contains(name), "{name} not named: {text}");
    }
    let out = mfa(&bus, &["admin", "remove", user, "push"]);
    assert!(
        !out.status.success(),
        "no push to remove: {}",
        output_text(&out)
    );
}

#[test]
fn a_push_only_user_sees_the_device_in_status_and_admin_can_remove_it() {
    let user = "mfa-vis-push";
    let push = PushSetup::start(&PushPolicy::default());
    push.enroll_push(user, None);
    admin_ok(&push.bus, &["admin", "remove", user, "totp"]);

    let mine = own_status(&push.bus, user);
    assert!(mine.contains("Methods: push"), "{mine}");
    assert!(mine.contains("Push approvals: ntfy0"), "{mine}");
    let status = admin_ok(&push.bus, &["admin", "status", user]);
    assert!(status.contains("methods: push\n"), "{status}");
    assert!(status.contains("push.gateway: ntfy0"), "{status}");
    let list = admin_ok(&push.bus, &["admin", "list"]);
    assert!(
        list.lines()
            .any(|l| l.starts_with(user) && l.contains("push")),
        "{list}"
    );

    admin_ok(&push.bus, &["admin", "remove", user, "push"]);
    let status = admin_ok(&push.bus, &["admin", "status", user]);
    assert!(status.contains("methods: \n"), "{status}");
    assert!(!status.contains("push.gateway"), "{status}");
}
