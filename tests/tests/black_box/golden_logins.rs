//! Golden transcripts of logins through the real module, bus and daemon: what the user sees and
//! types for each method, the `?` menu, a wrong code, and the lock-out, compared with
//! `tests/golden/*.txt` (see `GoldenTranscript`).

use mfa_tests::*;

const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const NUMBER: &str = "+31 6 12345678";
/// Fixed so that no prompt carries the machine's host name.
const ISSUER: &str = "[totp]\nissuer = \"testhost\"\n";

fn app_code() -> String {
    oathtool_code(SECRET, "SHA1", 6, 30, None)
}

fn app_user(config: &str, user: &str) -> (Bus, Daemon, PamStack) {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, &format!("{ISSUER}{config}"));
    enroll_totp(&bus, user, SECRET, 6, "SHA1", 30);
    let pam = PamStack::new(&bus, &daemon);
    (bus, daemon, pam)
}

/// A daemon texting and calling through one Twilio stand-in, `user` with app and phone.
struct Phone {
    bus: Bus,
    daemon: Daemon,
    stub: TwilioStub,
    _secrets: TwilioSecrets,
}

fn phone_user(user: &str) -> Phone {
    let bus = Bus::start();
    let stub = TwilioStub::start(TWILIO_SID, TWILIO_TOKEN);
    let secrets = TwilioSecrets::new();
    let port = free_loopback_port();
    let config = format!(
        "{ISSUER}\n[sms]\ngateways = [\"gw0\"]\n\n[voice]\ngateways = [\"gw0\"]\n\
         mode = \"press_hash\"\nanswer_timeout = 20\n\n[web]\nlisten = \"127.0.0.1:{port}\"\n\
         public_url = \"http://127.0.0.1:{port}\"\n\n{}",
        secrets.gateway("gw0", &stub)
    );
    let daemon = Daemon::start(&bus, &config);
    enroll_phone(&bus, &[&stub], user, SECRET, NUMBER);
    Phone {
        bus,
        daemon,
        stub,
        _secrets: secrets,
    }
}

impl Phone {
    fn login(&self, user: &str, conv: ScriptedConversation) -> (i32, Transcript) {
        PamStack::new(&self.bus, &self.daemon).login_with(user, conv)
    }

    fn texted_code(&self) -> impl FnMut() -> String + 'static {
        let stub = self.stub.clone();
        move || stub.last_code().unwrap_or_default()
    }
}

#[test]
fn a_login_with_an_app_code_reads_as_recorded() {
    let (_bus, daemon, pam) = app_user("", "gold-totp");
    let (rc, t) = pam.login("gold-totp", &[&app_code()]);
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", daemon.log());
    GoldenTranscript::new()
        .login("login with a code from the app", rc, &t)
        .assert_matches("login_totp");
}

#[test]
fn a_login_with_a_backup_code_reads_as_recorded() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, ISSUER);
    let out = mfa(&bus, &["admin", "backup-codes", "gold-backup"]);
    assert!(out.status.success(), "{}", output_text(&out));
    let printed = String::from_utf8_lossy(&out.stdout).into_owned();
    let code = printed
        .lines()
        .map(str::trim)
        .find(|l| l.len() == 11 && l.chars().all(|c| c.is_ascii_digit() || c == ' '))
        .expect("a backup code")
        .to_string();
    let pam = PamStack::new(&bus, &daemon);
    let (rc, t) = pam.login("gold-backup", &[&code]);
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", daemon.log());
    GoldenTranscript::new()
        .output("mfa admin backup-codes gold-backup", &out)
        .login("login with a backup code", rc, &t)
        .assert_matches("login_backup_code");
}

#[test]
fn a_login_by_text_message_reads_as_recorded() {
    let p = phone_user("gold-sms");
    let conv = ScriptedConversation::with_resolver(&["?", "2", TEXTED_CODE], p.texted_code());
    let (rc, t) = p.login("gold-sms", conv);
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", p.daemon.log());
    GoldenTranscript::new()
        .login("login with a texted code, chosen from the menu", rc, &t)
        .assert_matches("login_sms");
}

#[test]
fn a_wrong_texted_code_then_the_right_one_reads_as_recorded() {
    let p = phone_user("gold-sms-wrong");
    let conv =
        ScriptedConversation::with_resolver(&["?", "2", "000000", TEXTED_CODE], p.texted_code());
    let (rc, t) = p.login("gold-sms-wrong", conv);
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", p.daemon.log());
    GoldenTranscript::new()
        .login("a wrong texted code, then the right one", rc, &t)
        .assert_matches("login_sms_wrong_then_right");
}

#[test]
fn a_login_by_phone_call_reads_as_recorded() {
    let p = phone_user("gold-voice");
    let stub = p.stub.clone();
    // The callee presses # before the user presses Enter, so the transcript never depends on
    // which of the two comes first.
    let conv = ScriptedConversation::with_resolver(&["?", "3", TEXTED_CODE], move || {
        let call = stub.calls().pop().expect("a call was placed");
        let (status, twiml) = call.press("#");
        assert_eq!(status, 200, "{twiml}");
        String::new()
    });
    let (rc, t) = p.login("gold-voice", conv);
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", p.daemon.log());
    GoldenTranscript::new()
        .login("login by a phone call answered with #", rc, &t)
        .assert_matches("login_voice");
}

#[test]
fn the_question_mark_menu_switches_back_to_the_app_as_recorded() {
    let p = phone_user("gold-menu");
    // Enrolling the phone used up this step's code; the next step's is accepted.
    let code = oathtool_code(SECRET, "SHA1", 6, 30, Some(now_unix() + 30));
    let conv = ScriptedConversation::new(&["?", "1", &code]);
    let (rc, t) = p.login("gold-menu", conv);
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", p.daemon.log());
    GoldenTranscript::new()
        .login("? opens the menu, 1 goes back to the app", rc, &t)
        .assert_matches("login_menu_switch");
}

#[test]
fn a_wrong_app_code_then_the_right_one_reads_as_recorded() {
    let (_bus, daemon, pam) = app_user("", "gold-wrong");
    let wrong = wrong_code(SECRET, "SHA1", 6, 30);
    let (wrong_rc, wrong_t) = pam.login("gold-wrong", &[&wrong]);
    assert_eq!(wrong_rc, codes::PAM_AUTH_ERR, "{wrong_t}");
    let (rc, t) = pam.login("gold-wrong", &[&app_code()]);
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", daemon.log());
    GoldenTranscript::new()
        .login("a wrong code from the app", wrong_rc, &wrong_t)
        .login("then the right one", rc, &t)
        .assert_matches("login_totp_wrong_then_right");
}

#[test]
fn the_lock_out_after_too_many_wrong_codes_reads_as_recorded() {
    let (_bus, daemon, pam) = app_user(
        "[limits]\nmax_failures = 3\nfree_failures = 3\n",
        "gold-locked",
    );
    let wrong = wrong_code(SECRET, "SHA1", 6, 30);
    let mut golden = GoldenTranscript::new();
    for n in 1..=3 {
        let (rc, t) = pam.login("gold-locked", &[&wrong]);
        golden.login(&format!("wrong code {n} of 3"), rc, &t);
    }
    let (rc, t) = pam.login("gold-locked", &[&app_code()]);
    assert_ne!(rc, codes::PAM_SUCCESS, "{t}\n{}", daemon.log());
    golden
        .login("the right code, once locked", rc, &t)
        .assert_matches("login_locked_out");
}

#[test]
fn a_login_by_push_with_number_matching_and_a_pin_reads_as_recorded() {
    const PIN: &str = "2468";
    let user = "gold-push";
    let p = PushSetup::start(&PushPolicy {
        pin_required: true,
        extra: ISSUER,
        ..PushPolicy::default()
    });
    p.enroll_push(user, Some(PIN));
    let origin = p.public_url.clone();
    let (rc, t) = p.login(user, &["?", PUSH_OPTION, ON_THE_PHONE], move |c| {
        let page = web_get(&c.link);
        let form: Vec<(String, String)> = [
            ("csrf", csrf_of(&page.body)),
            ("number", c.number.clone()),
            ("pin", PIN.to_string()),
            ("decision", "approve".to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let answer = web_post_form(&c.link, &form, &[("Origin", origin.as_str())]);
        assert!(answer.body.contains("Sign-in approved"), "{}", answer.body);
    });
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", p.daemon.log());
    GoldenTranscript::new()
        .login("login by push: number and PIN on the phone", rc, &t)
        .assert_matches("login_push_number_and_pin");
}
