//! `[services.NAME] methods` through real logins: it is an allow-list per PAM service (a method
//! it leaves out is never offered in the `?` menu and never texted), and its order is the order
//! of the menu, except that the method a user chose with `mfa prefer` comes first.

use mfa_tests::*;

const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const NUMBER: &str = "+31 6 12345678";
const APP: &str = "Code from the authenticator app";
const TEXT: &str = "Text message to +31";

/// `sudo` may use the app only; `sshd` lists texts first; other services use the default.
fn setup(user: &str) -> (Bus, Daemon, TwilioStub, TwilioSecrets) {
    let bus = Bus::start();
    let stub = TwilioStub::start(TWILIO_SID, TWILIO_TOKEN);
    let secrets = TwilioSecrets::new();
    let config = format!(
        "[sms]\ngateways = [\"tw\"]\n\n[services.sudo]\nmethods = [\"totp\"]\n\n\
         [services.sshd]\nmethods = [\"sms\", \"totp\"]\n\n{}",
        secrets.gateway("tw", &stub)
    );
    let daemon = Daemon::start(&bus, &config);
    enroll_phone(&bus, &[&stub], user, SECRET, NUMBER);
    (bus, daemon, stub, secrets)
}

fn stack(bus: &Bus, daemon: &Daemon, service: &str) -> PamStack {
    PamStack::with_options(
        bus,
        daemon.uid(),
        StackOptions {
            service: service.into(),
            ..Default::default()
        },
    )
}

/// The `?` menu as the given service shows it (the login is then abandoned).
fn menu(bus: &Bus, daemon: &Daemon, service: &str, user: &str) -> String {
    let (_, t) = stack(bus, daemon, service).login(user, &["?"]);
    t.prompts()
        .get(1)
        .map(|p| p.to_string())
        .unwrap_or_default()
}

#[test]
fn a_service_that_allows_only_the_app_never_offers_or_sends_texts() {
    let user = "mfa-svc-a";
    let (bus, daemon, stub, _secrets) = setup(user);
    let sent_at_enrollment = stub.accepted_bodies().len();
    // The same user on a service without a methods list is offered texts…
    let default = menu(&bus, &daemon, "login", user);
    assert!(default.contains(TEXT), "{default}");
    // …but sudo's menu has the app alone: "2" is no option, nothing is texted, and the app
    // still logs in.
    let pam = stack(&bus, &daemon, "sudo");
    // The next step's code: enrollment used this step's.
    let code = oathtool_code(SECRET, "SHA1", 6, 30, Some(now_unix() + 30));
    let (rc, t) = pam.login(user, &["?", "2", "1", &code]);
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", daemon.log());
    assert!(t.prompts()[1].contains(&format!("1) {APP}")), "{t}");
    assert!(
        t.prompts()[2].starts_with("That is not one of the options."),
        "{t}"
    );
    assert!(
        !t.contains("Text message") && !t.contains("+31"),
        "no text option for sudo: {t}"
    );
    assert_eq!(
        stub.accepted_bodies().len(),
        sent_at_enrollment,
        "nothing was texted for sudo: {t}"
    );
}

#[test]
fn the_service_list_orders_the_menu_and_the_users_chosen_method_comes_first() {
    let user = "mfa-svc-b";
    let (bus, daemon, _stub, _secrets) = setup(user);
    // sshd lists sms before totp: its menu does too, while a service without a list follows
    // the user's own order (the app first, by enrollment order).
    let before = menu(&bus, &daemon, "sshd", user);
    assert!(
        before.contains(&format!("1) {TEXT}")) && before.contains(&format!("2) {APP}")),
        "{before}"
    );
    let default = menu(&bus, &daemon, "login", user);
    assert!(
        default.contains(&format!("1) {APP}")) && default.contains(&format!("2) {TEXT}")),
        "{default}"
    );
    // A user who chooses the app gets it first even where the service lists texts first.
    prefer(&bus, user, "totp");
    let chosen = menu(&bus, &daemon, "sshd", user);
    assert!(
        chosen.contains(&format!("1) {APP}")) && chosen.contains(&format!("2) {TEXT}")),
        "{chosen}"
    );
    prefer(&bus, user, "sms");
    for service in ["sshd", "login"] {
        let after = menu(&bus, &daemon, service, user);
        assert!(
            after.contains(&format!("1) {TEXT}")) && after.contains(&format!("2) {APP}")),
            "{service}: {after}"
        );
    }
    // sudo still filters texts out, whatever the user prefers.
    let sudo = menu(&bus, &daemon, "sudo", user);
    assert!(!sudo.contains("Text message"), "{sudo}");
}

/// `mfa prefer METHOD` as the user.
fn prefer(bus: &Bus, user: &str, method: &str) {
    let uid = ensure_user(user);
    let out = as_user(uid, &build_once().mfa.display().to_string())
        .args(["prefer", method])
        .env("DBUS_SYSTEM_BUS_ADDRESS", bus.address())
        .output()
        .expect("mfa prefer");
    assert!(out.status.success(), "{}", output_text(&out));
}
