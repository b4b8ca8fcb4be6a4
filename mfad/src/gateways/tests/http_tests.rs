//! The http kind: body kinds, placeholders, Basic auth, success and failure patterns.

use super::stub::{Reply, Stub};
use super::*;
use crate::gateways::Outcome;

/// A `[gateways.NAME]` of kind http at `url` with `extra` keys.
fn http_table(name: &str, url: &str, extra: &str) -> String {
    format!("[gateways.{name}]\nkind = \"http\"\ntimeout = 5\nurl = \"{url}\"\n{extra}\n")
}

/// An http gateway `h` and a second http gateway `b` that always accepts. Keep the stubs
/// alive (`_first`, not `_`): dropping one stops it.
async fn with_fallback(
    respond: impl Fn(&stub::Recorded, usize) -> Reply + Send + Sync + 'static,
    extra: &str,
) -> (Stub, Stub, Gateways) {
    let first = Stub::start(respond).await;
    let second = Stub::start(|_, _| Reply::new(200, "OK")).await;
    let fields = "fields = { to = \"{phone}\", text = \"{message}\" }";
    let text = format!(
        "{}{}",
        http_table("h", &first.url, &format!("{fields}\n{extra}")),
        http_table("b", &second.url, fields)
    );
    (first, second, gateways(&text))
}

async fn send(g: &Gateways, message: &str) -> Delivery {
    let d = g.send_sms(&order(&["h", "b"]), TO, message, CODE).await;
    assert_loggable(&d);
    d
}

#[tokio::test]
async fn json_body_stays_valid_when_the_text_holds_quotes_and_braces() {
    let s = Stub::start(|_, _| Reply::new(202, "{\"status\": \"queued\"}")).await;
    let extra = r#"body = "json"
fields = { to = ["{phone}"], text = "{message}", pin = "{code}", tag = "{\"k\": \"{code}\"}" }"#;
    let g = gateways(&http_table("h", &format!("{}/api/v2/sms", s.url), extra));
    let message = "He said \"hi\" }{ \\ {code} 493817\n\u{0}end";
    let d = g.send_sms(&order(&["h"]), TO, message, CODE).await;
    assert_eq!(d.outcome, Outcome::Accepted { id: String::new() });
    let r = &s.requests()[0];
    assert_eq!(
        (r.method.as_str(), r.path.as_str()),
        ("POST", "/api/v2/sms")
    );
    assert_eq!(r.header("content-type"), Some("application/json"));
    let json: serde_json::Value =
        serde_json::from_slice(&r.body).unwrap_or_else(|e| panic!("not JSON: {e}"));
    assert_eq!(
        json,
        serde_json::json!({
            "to": [TO],
            "text": message,
            "pin": CODE,
            "tag": format!("{{\"k\": \"{CODE}\"}}"),
        })
    );
}

#[tokio::test]
async fn form_body_carries_the_fields_in_the_phone_format_with_basic_auth() {
    let dir = TempDir::new();
    let password = dir.file("pw", "s3cr:et\n", 0o640);
    let s = Stub::start(|_, _| Reply::new(200, "ID: 77")).await;
    let extra = format!(
        "fields = {{ to = \"{{phone}}\", text = \"{{message}}\", list = [\"a\", \"{{code}}\"] }}\n\
         phone_format = \"e164_digits\"\nusername = \"mfa\"\npassword_file = \"{}\"",
        password.display()
    );
    let g = gateways(&http_table("h", &s.url, &extra));
    let d = g.send_sms(&order(&["h"]), TO, MESSAGE, CODE).await;
    assert!(d.outcome.is_accepted(), "{d:?}");
    let r = &s.requests()[0];
    assert_eq!(
        r.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(r.basic_auth(), Some(("mfa".into(), "s3cr:et".into())));
    let want = [
        ("to", &TO[1..]),
        ("text", MESSAGE),
        ("list", "a"),
        ("list", CODE),
    ];
    assert_eq!(
        r.form(),
        want.map(|(k, v)| (k.to_owned(), v.to_owned())).to_vec()
    );
}

#[tokio::test]
async fn get_sends_the_fields_in_the_query_string() {
    let s = Stub::start(|_, _| Reply::new(200, "OK")).await;
    let extra = "method = \"GET\"\nphone_format = \"international_00\"\n\
                 fields = { to = \"{phone}\", text = \"{message}\" }";
    let g = gateways(&http_table("h", &format!("{}/send?user=7", s.url), extra));
    let d = g.send_sms(&order(&["h"]), TO, "a&b=c {x} #1", CODE).await;
    assert!(d.outcome.is_accepted(), "{d:?}");
    let r = &s.requests()[0];
    assert_eq!((r.method.as_str(), r.path.as_str()), ("GET", "/send"));
    assert!(r.body.is_empty());
    let want = [
        ("user", "7"),
        ("to", "0031612345678"),
        ("text", "a&b=c {x} #1"),
    ];
    assert_eq!(
        r.query_pairs(),
        want.map(|(k, v)| (k.to_owned(), v.to_owned())).to_vec()
    );
}

#[tokio::test]
async fn answer_without_the_success_pattern_moves_on() {
    let (first, second, g) = with_fallback(
        |_, _| Reply::new(200, "status: pending"),
        "success_pattern = \"^status: (queued|sent)$\"",
    )
    .await;
    let d = send(&g, MESSAGE).await;
    assert_eq!(tried(&d), [("h", "transient"), ("b", "accepted")]);
    assert_eq!((first.requests().len(), second.requests().len()), (1, 1));
    let (_first, _second, g) = with_fallback(
        |_, _| Reply::new(200, "status: queued"),
        "success_pattern = \"^status: (queued|sent)$\"",
    )
    .await;
    assert_eq!(tried(&send(&g, MESSAGE).await), [("h", "accepted")]);
}

#[tokio::test]
async fn answer_matching_the_failure_pattern_stops_without_fallback() {
    for status in [200, 400] {
        let (_first, second, g) = with_fallback(
            move |_, _| Reply::new(status, "{\"result\": \"REJECTED: invalid number\"}"),
            "failure_pattern = \"REJECTED\"\nsuccess_pattern = \"queued|REJECTED\"",
        )
        .await;
        let d = send(&g, MESSAGE).await;
        assert_eq!(tried(&d), [("h", "recipient_permanent")], "{status}");
        assert!(second.requests().is_empty());
    }
}

#[tokio::test]
async fn failure_pattern_does_not_turn_a_server_error_into_a_refusal() {
    let (_first, _second, g) = with_fallback(
        |_, _| Reply::new(503, "REJECTED: overloaded"),
        "failure_pattern = \"REJECTED\"",
    )
    .await;
    assert_eq!(
        tried(&send(&g, MESSAGE).await),
        [("h", "transient"), ("b", "accepted")]
    );
}

#[tokio::test]
async fn status_outside_success_status_moves_on() {
    for (status, class) in [
        (404, "config_or_auth"),
        (401, "config_or_auth"),
        (201, "config_or_auth"),
        (503, "transient"),
        (429, "transient"),
    ] {
        let (_first, _second, g) = with_fallback(
            move |_, _| Reply::new(status, "x"),
            "success_status = [200]",
        )
        .await;
        let d = send(&g, MESSAGE).await;
        assert_eq!(tried(&d), [("h", class), ("b", "accepted")], "{status}");
    }
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let elsewhere = Stub::start(|_, _| Reply::new(200, "OK")).await;
    let location = format!("{}/stolen", elsewhere.url);
    let (_first, _second, g) = with_fallback(
        move |_, _| Reply::new(302, "").header("Location", &location),
        "",
    )
    .await;
    let d = send(&g, MESSAGE).await;
    assert_eq!(tried(&d), [("h", "config_or_auth"), ("b", "accepted")]);
    assert!(elsewhere.requests().is_empty());
}

#[test]
fn plain_http_to_a_host_that_is_not_loopback_is_refused_by_the_config() {
    let text = http_table(
        "h",
        "http://sms.example.com/send",
        "fields = { to = \"{phone}\", text = \"{message}\" }",
    );
    let p = Config::parse(&text).err().unwrap_or_default();
    assert_eq!(p.len(), 1, "{p:#?}");
    assert_eq!((p[0].key.as_str(), p[0].line), ("gateways.h.url", Some(4)));
    assert!(p[0].message.contains("TLS is required"), "{}", p[0]);
}
