//! The approval page's HTML: one small form that works without JavaScript, readable on a
//! phone. maud escapes every value at compile-time-checked places (no hand-written escaping);
//! the security headers that go with it are set by the web layer.

use super::PendingPush;
use crate::config::Language;
use crate::methods::push::port::PushPurpose;
use crate::methods::push::texts::Page;
use maud::{DOCTYPE, Markup, PreEscaped, html};

const STYLE: &str = "body{font-family:sans-serif;margin:0 auto;max-width:30rem;padding:1rem;\
line-height:1.4}h1{font-size:1.4rem}dl{display:grid;grid-template-columns:auto 1fr;gap:.2rem 1rem}\
dt{font-weight:bold}dd{margin:0;overflow-wrap:anywhere}label{display:block;margin-top:1rem}\
input{font-size:1.5rem;width:100%;box-sizing:border-box;padding:.4rem;letter-spacing:.2rem}\
button{font-size:1.1rem;width:100%;padding:.8rem;margin-top:.8rem;border-radius:.4rem;\
border:1px solid #555}#verify{background:#1a7f37;color:#fff}#deny{background:#fff}\
#report{background:#b42318;color:#fff}#result{font-size:1.2rem}";

/// The form for a pending approval posted back to `action`.
pub fn form(p: &PendingPush, action: &str) -> String {
    let t = |word: Page| word.text(p.lang);
    let title = match p.purpose {
        PushPurpose::Login => t(Page::Title),
        PushPurpose::Enroll => t(Page::EnrollTitle),
    };
    let from = if p.rhost.is_empty() { "-" } else { &p.rhost };
    let body = html! {
        h1 { (title) }
        p { (t(Page::Intro)) }
        @if p.purpose == PushPurpose::Login {
            dl {
                dt { (t(Page::Service)) } dd { (p.service) }
                dt { (t(Page::From)) } dd { (from) }
                dt { (t(Page::Time)) } dd { (p.time) }
            }
        }
        form method="post" action=(action) {
            input type="hidden" name="csrf" value=(p.csrf);
            label for="number" { (t(Page::Number)) }
            input id="number" name="number" inputmode="numeric" autocomplete="off" maxlength="4"
                pattern="[0-9]*";
            @if p.pin.is_some() {
                label for="pin" { (t(Page::Pin)) }
                input id="pin" name="pin" type="password" inputmode="numeric" autocomplete="off"
                    maxlength="8";
            }
            (buttons(p.lang))
        }
    };
    document(p.lang, title, body)
}

fn buttons(lang: Language) -> Markup {
    let t = |word: Page| word.text(lang);
    html! {
        button id="verify" name="decision" value="approve" { (t(Page::Verify)) }
        button id="deny" name="decision" value="deny" { (t(Page::Deny)) }
        button id="report" name="decision" value="report" { (t(Page::Report)) }
    }
}

/// The page after an answer, or for a link that is gone.
pub fn result(lang: Language, text: &str) -> String {
    let body = html! { p id="result" role="status" { (text) } };
    document(lang, Page::Title.text(lang), body)
}

fn document(lang: Language, title: &str, body: Markup) -> String {
    let page = html! {
        (DOCTYPE)
        html lang=(lang.as_str()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="same-origin";
                title { (title) }
                style { (PreEscaped(STYLE)) }
            }
            body { (body) }
        }
    };
    page.into_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pending(pin: bool) -> PendingPush {
        PendingPush {
            user: "alice".into(),
            lang: Language::En,
            number: "42".into(),
            pin: pin.then(|| crate::methods::push::pin::PinHash::new("4711").unwrap()),
            csrf: "c".into(),
            service: "sshd".into(),
            rhost: "<script>alert(1)</script>".into(),
            time: "2026-11-25T10:00:00Z".into(),
            purpose: PushPurpose::Login,
        }
    }

    #[test]
    fn the_form_has_the_fields_and_escapes_what_it_shows() {
        let html = form(&pending(true), "https://mfa.example/push/ab");
        for id in ["number", "pin", "verify", "deny", "report"] {
            assert!(html.contains(&format!("id=\"{id}\"")), "{id}");
        }
        assert!(!html.contains("<script>") && html.contains("&lt;script&gt;"));
        assert!(!html.contains(">42<"), "the number is never on the page");
        assert!(!form(&pending(false), "x").contains("id=\"pin\""));
    }

    #[test]
    fn a_quote_in_a_value_cannot_end_its_attribute() {
        let mut p = pending(false);
        p.csrf = "\"><script>".into();
        let html = form(&p, "/push/\"x");
        assert!(html.contains("value=\"&quot;&gt;&lt;script&gt;\""));
        assert!(html.contains("action=\"/push/&quot;x\""));
    }
}
