//! Push approvals end to end: the real module through libpam, the real daemon publishing to an
//! ntfy stand-in, and the approval page answered in headless Chromium (JavaScript off) with the
//! number the login prompt shows. Screenshots: target/test-artifacts/screenshots/push-*.png.

use mfa_tests::*;
use std::sync::{Arc, Mutex};

const PIN: &str = "2468";

/// A daemon with push (PIN per `pin_required`) and `user` linked to it.
fn linked(user: &str, policy: PushPolicy) -> PushSetup {
    let pin = policy.pin_required.then_some(PIN);
    let setup = PushSetup::start(&policy);
    setup.enroll_push(user, pin);
    setup
}

/// Answers the page with `action`, typing `number` (the shown one when None) and the PIN; the
/// page's result text lands in the returned slot.
fn phone(
    action: PageAction,
    number: Option<&'static str>,
    pin: Option<&'static str>,
    name: &'static str,
) -> (impl FnMut(&PushChallenge) + 'static, Arc<Mutex<String>>) {
    let result = Arc::new(Mutex::new(String::new()));
    let slot = result.clone();
    let answer = move |c: &PushChallenge| {
        let number = number.unwrap_or(&c.number);
        let text = approve_in_browser(&c.link, action, Some(number), pin, name);
        *slot.lock().expect("result") = text;
    };
    (answer, result)
}

/// A number that is not `shown` (two digits).
fn other_than(shown: &str) -> String {
    let n: u32 = shown.parse().expect("digits");
    format!("{:02}", (n + 1) % 100)
}

const BY_PUSH: &[&str] = &["?", PUSH_OPTION, ON_THE_PHONE];

#[test]
fn approving_with_the_shown_number_and_the_pin_logs_in() {
    let user = "mfa-push-a";
    let p = linked(
        user,
        PushPolicy {
            pin_required: true,
            ..PushPolicy::default()
        },
    );
    let (answer, result) = phone(PageAction::Verify, None, Some(PIN), "push-approve");
    let (rc, t) = p.login(user, BY_PUSH, answer);
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", p.daemon.log());
    assert!(
        result
            .lock()
            .expect("result")
            .starts_with("Sign-in approved"),
        "{result:?}"
    );
    let prompt = t.prompts()[2];
    let number = shown_number(prompt).expect("two digits");
    assert!(
        prompt.contains(&format!("enter {number} on your phone"))
            && prompt.contains("press Enter here once you have approved"),
        "{t}"
    );
    // What went to ntfy: the page link, and nothing that would let a glance approve it.
    let sent = p.ntfy.delivered().pop().expect("the login's notification");
    assert!(sent.click.starts_with(&format!("{}/push/", p.public_url)));
    assert!(sent.actions.len() <= 3 && sent.title.starts_with("Sign-in to"));
    // (The time and address lines may hold the same two digits by chance.)
    let words: String = sent
        .message
        .lines()
        .filter(|l| !l.starts_with("Time:") && !l.starts_with("From:"))
        .collect();
    assert!(
        !words.contains(&number) && !sent.title.contains(&number),
        "the number is only on the login screen: {sent:?}"
    );
    assert!(p.daemon.log().contains("method=push outcome=granted"));
    let shots = screenshot_dir();
    for view in ["phone", "desktop"] {
        let png = shots.join(format!("push-approve-{view}-page.png"));
        assert!(png.is_file(), "{}", png.display());
    }
}

#[test]
fn a_wrong_number_or_pin_on_the_page_refuses_the_login_and_counts_as_a_failure() {
    let user = "mfa-push-b";
    let p = linked(
        user,
        PushPolicy {
            pin_required: true,
            extra: "[limits]\nmax_failures = 2\nfree_failures = 2\n",
            ..PushPolicy::default()
        },
    );
    let typed = Arc::new(Mutex::new(String::new()));
    let slot = typed.clone();
    let (rc, t) = p.login(user, BY_PUSH, move |c| {
        let wrong = other_than(&c.number);
        *slot.lock().expect("typed") = approve_in_browser(
            &c.link,
            PageAction::Verify,
            Some(&wrong),
            Some(PIN),
            "push-wrong",
        );
    });
    assert_eq!(rc, codes::PAM_AUTH_ERR, "{t}\n{}", p.daemon.log());
    assert!(
        typed.lock().expect("typed").contains("not right"),
        "{typed:?}"
    );
    assert!(
        t.contains("number or PIN entered on the phone was not right"),
        "{t}"
    );
    assert!(
        p.daemon
            .log()
            .contains("method=push outcome=denied-wrong-number")
    );

    // The right number with a wrong PIN is the second failure: the account locks.
    let (answer, result) = phone(PageAction::Verify, None, Some("1357"), "push-wrong-pin");
    let (rc, t) = p.login(user, BY_PUSH, answer);
    assert!(result.lock().expect("result").contains("not right"));
    assert_eq!(rc, codes::PAM_MAXTRIES, "{t}\n{}", p.daemon.log());
}

#[test]
fn deny_refuses_the_login_and_push_is_not_offered_during_the_cooldown() {
    let user = "mfa-push-c";
    let p = linked(user, PushPolicy::default());
    let (answer, result) = phone(PageAction::Deny, None, None, "push-deny");
    let (rc, t) = p.login(user, BY_PUSH, answer);
    assert_eq!(rc, codes::PAM_AUTH_ERR, "{t}\n{}", p.daemon.log());
    assert_eq!(*result.lock().expect("result"), "Sign-in denied.");
    assert!(t.contains("denied on your phone"), "{t}");

    let code = oathtool_code(&p.secret, "SHA1", 6, 30, Some(now_unix() + 30));
    let (rc, t) = PamStack::new(&p.bus, &p.daemon).login(user, &[&code]);
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", p.daemon.log());
    assert!(!t.contains("Approve on your phone"), "cooling off: {t}");
    assert!(
        !t.prompts()[0].contains("other options"),
        "nothing else: {t}"
    );
}

#[test]
fn this_wasnt_me_refuses_the_login_turns_push_off_and_raises_an_alert() {
    let user = "mfa-push-d";
    // No cooldown: only the report can keep push off afterwards.
    let p = linked(
        user,
        PushPolicy {
            deny_cooldown: 0,
            ..PushPolicy::default()
        },
    );
    let (answer, result) = phone(PageAction::Report, None, None, "push-report");
    let (rc, t) = p.login(user, BY_PUSH, answer);
    assert_eq!(rc, codes::PAM_AUTH_ERR, "{t}\n{}", p.daemon.log());
    assert!(
        result.lock().expect("result").contains("reported"),
        "{result:?}"
    );
    assert!(t.contains("reported as not yours"), "{t}");
    // An alert for the admin (syslog LOG_ALERT) and the refusal in the audit record.
    let alert = format!("mfad[alert]: ALERT: {user} reported a push approval as not theirs");
    assert!(p.daemon.log().contains(&alert), "{}", p.daemon.log());
    let audit = p.audit_log();
    assert!(
        audit.contains("method=push\toutcome=denied-reported"),
        "{audit}"
    );

    let code = oathtool_code(&p.secret, "SHA1", 6, 30, Some(now_unix() + 30));
    let (rc, t) = PamStack::new(&p.bus, &p.daemon).login(user, &[&code]);
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", p.daemon.log());
    assert!(!t.contains("Approve on your phone"), "push is off: {t}");
}

#[test]
fn a_push_not_approved_in_time_refuses_the_login_and_its_link_is_dead() {
    let user = "mfa-push-e";
    let p = linked(
        user,
        PushPolicy {
            timeout: 20,
            ..PushPolicy::default()
        },
    );
    let link = Arc::new(Mutex::new(String::new()));
    let slot = link.clone();
    // The phone stays in the pocket; Enter is pressed at once and the login waits it out.
    let (rc, t) = p.login(user, BY_PUSH, move |c| {
        *slot.lock().expect("link") = c.link.clone();
    });
    assert_eq!(rc, codes::PAM_AUTH_ERR, "{t}\n{}", p.daemon.log());
    assert!(t.contains("not approved in time"), "{t}");
    assert!(
        p.daemon
            .log()
            .contains("method=push outcome=denied-timeout")
    );
    let link = link.lock().expect("link").clone();
    let late = approve_in_browser(&link, PageAction::Look, None, None, "push-late");
    assert_eq!(late, "This link has expired or was already used.");
}

#[test]
fn a_used_link_opened_again_only_says_so_and_approves_nothing_more() {
    let user = "mfa-push-f";
    let p = linked(user, PushPolicy::default());
    let visit = Arc::new(Mutex::new(BrowserVisit::default()));
    let slot = visit.clone();
    let (rc, t) = p.login(user, BY_PUSH, move |c| {
        *slot.lock().expect("visit") = visit_in_browser(
            &c.link,
            PageAction::Verify,
            Some(&c.number),
            None,
            "push-replay",
            true,
        );
    });
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", p.daemon.log());
    let visit = visit.lock().expect("visit").clone();
    assert!(visit.result.starts_with("Sign-in approved"), "{visit:?}");
    assert_eq!(
        visit.again.as_deref(),
        Some("This link has expired or was already used."),
        "{visit:?}"
    );
    // The enrollment's test notification and this login: no approval from the reload.
    let approved = format!("push for {user}: approved");
    assert_eq!(
        p.daemon.log().matches(&approved).count(),
        2,
        "{}",
        p.daemon.log()
    );
    let granted = p
        .audit_log()
        .matches("method=push\toutcome=granted")
        .count();
    assert_eq!(granted, 1, "{}", p.audit_log());
}

#[test]
fn more_pushes_than_the_window_allows_are_refused_with_a_clear_text() {
    let user = "mfa-push-g";
    let p = linked(
        user,
        PushPolicy {
            max_per_window: 2,
            ..PushPolicy::default()
        },
    );
    for n in ["push-bomb-1", "push-bomb-2"] {
        let (answer, _) = phone(PageAction::Verify, None, None, n);
        let (rc, t) = p.login(user, BY_PUSH, answer);
        assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", p.daemon.log());
    }
    let sent = p.ntfy.delivered().len();
    let code = oathtool_code(&p.secret, "SHA1", 6, 30, Some(now_unix() + 30));
    let (rc, t) = p.login(user, &["?", PUSH_OPTION, "1", &code], |_| {});
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", p.daemon.log());
    assert!(
        t.prompts()[2].starts_with("Too many notifications were sent recently."),
        "{t}"
    );
    assert_eq!(p.ntfy.delivered().len(), sent, "no third notification");
    assert!(
        p.daemon
            .log()
            .contains("method=push outcome=push-refused-limit")
    );
}

#[test]
fn the_prompt_and_the_page_speak_the_users_language() {
    let user = "mfa-push-h";
    let p = linked(
        user,
        PushPolicy {
            pin_required: true,
            ..PushPolicy::default()
        },
    );
    p.set_language(user, "nl");
    let (answer, result) = phone(PageAction::Verify, None, Some(PIN), "push-nl");
    let (rc, t) = p.login(user, BY_PUSH, answer);
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", p.daemon.log());
    let number = shown_number(t.prompts()[2]).expect("digits");
    assert!(
        t.prompts()[2].contains(&format!("vul {number} in op uw telefoon")),
        "{t}"
    );
    assert!(
        result
            .lock()
            .expect("result")
            .starts_with("Aanmelding goedgekeurd"),
        "{result:?}"
    );
}
