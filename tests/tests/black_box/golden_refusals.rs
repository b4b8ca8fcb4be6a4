//! Golden transcripts of logins that do not simply succeed: no daemon, an account with no second
//! factor, a push denied on the phone (and push not offered during the cool-down), and the texts
//! in Dutch, compared with `tests/golden/*.txt` (see `GoldenTranscript`).

use mfa_tests::*;

const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
/// Fixed so that no prompt carries the machine's host name.
const ISSUER: &str = "[totp]\nissuer = \"testhost\"\n";

#[test]
fn a_login_with_no_daemon_running_reads_as_recorded() {
    let bus = Bus::start();
    let pam = PamStack::with_options(
        &bus,
        0,
        StackOptions {
            module_args: vec!["timeout=2".into()],
            ..Default::default()
        },
    );
    let (rc, t) = pam.login("gold-nodaemon", &[]);
    assert_eq!(rc, codes::PAM_AUTHINFO_UNAVAIL, "{t}");
    GoldenTranscript::new()
        .login("no daemon on the bus", rc, &t)
        .assert_matches("refused_no_daemon");
}

#[test]
fn a_login_of_an_account_without_a_second_factor_reads_as_recorded() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, ISSUER);
    let pam = PamStack::new(&bus, &daemon);
    let (rc, t) = pam.login("gold-unenrolled", &["123456"]);
    assert_ne!(rc, codes::PAM_SUCCESS, "{t}\n{}", daemon.log());
    GoldenTranscript::new()
        .login("an account with nothing enrolled, policy deny", rc, &t)
        .assert_matches("refused_not_enrolled");
}

#[test]
fn dutch_texts_for_a_wrong_then_a_right_code_read_as_recorded() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, &format!("{ISSUER}[daemon]\nlanguage = \"nl\"\n"));
    enroll_totp(&bus, "gold-dutch", SECRET, 6, "SHA1", 30);
    let pam = PamStack::new(&bus, &daemon);
    let (wrong_rc, wrong_t) = pam.login("gold-dutch", &[&wrong_code(SECRET, "SHA1", 6, 30)]);
    let (rc, t) = pam.login("gold-dutch", &[&oathtool_code(SECRET, "SHA1", 6, 30, None)]);
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", daemon.log());
    GoldenTranscript::new()
        .login("een verkeerde code", wrong_rc, &wrong_t)
        .login("de juiste code", rc, &t)
        .assert_matches("login_totp_dutch");
}

#[test]
fn a_push_denied_on_the_phone_and_the_cool_down_after_it_read_as_recorded() {
    let user = "gold-push-deny";
    let p = PushSetup::start(&PushPolicy {
        extra: ISSUER,
        ..PushPolicy::default()
    });
    p.enroll_push(user, None);
    let origin = p.public_url.clone();
    let (rc, t) = p.login(user, &["?", PUSH_OPTION, ON_THE_PHONE], move |c| {
        let page = web_get(&c.link);
        let form: Vec<(String, String)> = [
            ("csrf", csrf_of(&page.body)),
            ("number", String::new()),
            ("decision", "deny".to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let answer = web_post_form(&c.link, &form, &[("Origin", origin.as_str())]);
        assert_eq!(answer.status, 200, "{}", answer.body);
    });
    assert_ne!(rc, codes::PAM_SUCCESS, "{t}\n{}", p.daemon.log());
    // During the cool-down the menu no longer offers push; the app code still logs in.
    let code = oathtool_code(&p.secret, "SHA1", 6, 30, Some(now_unix() + 30));
    let (again_rc, again_t) = PamStack::new(&p.bus, &p.daemon).login(user, &["?", "1", &code]);
    assert_eq!(
        again_rc,
        codes::PAM_SUCCESS,
        "{again_t}\n{}",
        p.daemon.log()
    );
    GoldenTranscript::new()
        .login("push denied on the phone", rc, &t)
        .login("the next login, during the cool-down", again_rc, &again_t)
        .assert_matches("refused_push_denied");
}
