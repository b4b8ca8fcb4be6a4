//! The approval page against requests a browser of the user would never send: a post without
//! the form's CSRF value, or from another site's page, decides nothing; the page is sent with
//! headers that forbid scripts, framing, caching and leaking its link.

use mfa_tests::*;
use std::sync::{Arc, Mutex};

#[test]
fn cross_site_or_tokenless_posts_decide_nothing_and_the_page_is_locked_down() {
    let p = PushSetup::start(&PushPolicy::default());
    let user = "mfa-push-sec";
    p.enroll_push(user, None);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let origin = p.public_url.clone();
    let script = ["?", PUSH_OPTION, ON_THE_PHONE];
    let (rc, t) = p.login(user, &script, move |c| {
        let page = web_get(&c.link);
        let csrf = csrf_of(&page.body);
        let mut statuses = vec![page.status];
        // Without the CSRF value, with a wrong one, and from another site: refused.
        let evil = [("Origin", "https://evil.example")];
        for (body, headers) in [
            (approval_form("", &c.number, "approve"), &[][..]),
            (approval_form("0000", &c.number, "approve"), &[][..]),
            (approval_form(&csrf, &c.number, "approve"), &evil[..]),
        ] {
            statuses.push(web_post_form(&c.link, &body, headers).status);
        }
        // The link still works for the user's own page.
        let own = [("Origin", origin.as_str())];
        let answer = web_post_form(&c.link, &approval_form(&csrf, &c.number, "approve"), &own);
        statuses.push(answer.status);
        let again = web_get(&c.link);
        statuses.push(again.status);
        log.lock().expect("log").push((statuses, page, answer.body));
    });
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", p.daemon.log());
    let (statuses, page, answer) = seen.lock().expect("log").pop().expect("the phone acted");
    assert_eq!(statuses, [200, 403, 403, 403, 200, 410], "{answer}");
    assert!(answer.contains("Sign-in approved"), "{answer}");
    let csp = page.header("content-security-policy").unwrap_or_default();
    assert!(
        csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"),
        "{csp}"
    );
    assert!(
        !csp.contains("script-src"),
        "no script is ever allowed: {csp}"
    );
    assert_eq!(page.header("x-frame-options"), Some("DENY"));
    assert_eq!(page.header("cache-control"), Some("no-store"));
    assert_eq!(page.header("referrer-policy"), Some("same-origin"));
    assert!(!page.body.contains("<script"), "works without JavaScript");
    assert!(
        p.daemon.log().contains("from another page"),
        "{}",
        p.daemon.log()
    );
}
