//! The twilio kind against a stub that checks what Twilio checks, and the fallback rules.

use std::time::Duration;
use tokio::time::Instant;

use super::stub::{Reply, Stub, twilio, twilio_error};
use super::*;
use crate::gateways::{Call, Outcome};

/// Two Twilio stubs, `first` and `second`, and gateways `a` and `b` pointing at them.
struct Pair {
    first: Stub,
    second: Stub,
    gateways: Gateways,
    _dir: TempDir,
}

async fn pair(
    first: impl Fn(&stub::Recorded, usize) -> Option<Reply> + Send + Sync + 'static,
    timeout: u64,
) -> Pair {
    let dir = TempDir::new();
    let token = dir.file("token", &format!("{TOKEN}\n"), 0o600);
    let first = Stub::start(twilio(SID, TOKEN, first)).await;
    let second = Stub::start(twilio(SID, TOKEN, |_, _| None)).await;
    let text = format!(
        "{}{}",
        twilio_table("a", &first.url, &token, timeout),
        twilio_table("b", &second.url, &token, timeout)
    );
    Pair {
        first,
        second,
        gateways: gateways(&text),
        _dir: dir,
    }
}

async fn send(p: &Pair, to: &str) -> Delivery {
    let d = p
        .gateways
        .send_sms(&order(&["a", "b"]), to, MESSAGE, CODE)
        .await;
    assert_loggable(&d);
    d
}

#[tokio::test]
async fn accepted_text_carries_exactly_the_fields_twilio_needs() {
    let p = pair(|_, _| None, 10).await;
    let d = send(&p, TO).await;
    assert_eq!(
        d.outcome,
        Outcome::Accepted {
            id: format!("SM{:032x}", 1)
        }
    );
    assert_eq!(d.gateway.as_deref(), Some("a"));
    assert_eq!(tried(&d), [("a", "accepted")]);
    let reqs = p.first.requests();
    assert_eq!(reqs.len(), 1);
    let r = &reqs[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.path, format!("/2010-04-01/Accounts/{SID}/Messages.json"));
    assert_eq!(r.basic_auth(), Some((SID.to_owned(), TOKEN.to_owned())));
    assert_eq!(
        r.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    let form = r.form();
    let want = [
        ("To", TO),
        ("From", "+15005550006"),
        ("Body", MESSAGE),
        ("ValidityPeriod", "300"),
    ];
    assert_eq!(
        form,
        want.map(|(k, v)| (k.to_owned(), v.to_owned())).to_vec()
    );
    assert!(p.second.requests().is_empty());
}

#[tokio::test]
async fn validity_period_is_the_code_lifetime() {
    let dir = TempDir::new();
    let token = dir.file("token", TOKEN, 0o600);
    let s = Stub::start(twilio(SID, TOKEN, |_, _| None)).await;
    let text = format!(
        "{}[sms]\ncode_lifetime = 120\n",
        twilio_table("a", &s.url, &token, 5)
    );
    let d = gateways(&text)
        .send_sms(&order(&["a"]), TO, MESSAGE, CODE)
        .await;
    assert!(d.outcome.is_accepted(), "{d:?}");
    assert_eq!(
        s.requests()[0].field("ValidityPeriod").as_deref(),
        Some("120")
    );
}

#[tokio::test]
async fn too_many_requests_with_a_long_retry_after_moves_on_to_the_next_gateway() {
    let p = pair(
        |_, _| Some(twilio_error(429, 20429, "Too Many Requests").header("Retry-After", "30")),
        2,
    )
    .await;
    let start = Instant::now();
    let d = send(&p, TO).await;
    assert!(
        start.elapsed() < Duration::from_secs(1),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(tried(&d), [("a", "transient"), ("b", "accepted")]);
    assert_eq!(d.gateway.as_deref(), Some("b"));
    assert_eq!(p.first.requests().len(), 1);
    assert_eq!(p.second.requests().len(), 1);
}

#[tokio::test]
async fn too_many_requests_with_a_short_retry_after_is_retried_on_the_same_gateway() {
    let p = pair(
        |_, n| {
            (n == 0)
                .then(|| twilio_error(429, 20429, "Too Many Requests").header("Retry-After", "1"))
        },
        5,
    )
    .await;
    let start = Instant::now();
    let d = send(&p, TO).await;
    assert!(start.elapsed() >= Duration::from_secs(1));
    assert_eq!(tried(&d), [("a", "accepted")]);
    assert_eq!(p.first.requests().len(), 2);
    assert!(p.second.requests().is_empty());
}

#[tokio::test]
async fn too_many_requests_twice_moves_on() {
    let p = pair(
        |_, _| Some(twilio_error(429, 20429, "Too Many Requests").header("Retry-After", "1")),
        5,
    )
    .await;
    let d = send(&p, TO).await;
    assert_eq!(tried(&d), [("a", "transient"), ("b", "accepted")]);
    assert_eq!(p.first.requests().len(), 2);
}

#[tokio::test]
async fn server_error_moves_on_to_the_next_gateway() {
    let p = pair(|_, _| Some(Reply::new(500, "Internal Server Error")), 5).await;
    let d = send(&p, TO).await;
    assert_eq!(tried(&d), [("a", "transient"), ("b", "accepted")]);
    assert_eq!(d.attempts[0].outcome, Outcome::Transient("HTTP 500".into()));
}

#[tokio::test]
async fn gateway_slower_than_its_timeout_is_abandoned_in_time() {
    let p = pair(
        |_, _| Some(super::stub::twilio_created("SMslow").delayed(Duration::from_secs(20))),
        1,
    )
    .await;
    let start = Instant::now();
    let d = send(&p, TO).await;
    let took = start.elapsed();
    assert!(
        took >= Duration::from_secs(1) && took < Duration::from_millis(2500),
        "{took:?}"
    );
    assert_eq!(tried(&d), [("a", "transient"), ("b", "accepted")]);
    assert!(d.attempts[0].outcome.detail().contains("timeout"), "{d:?}");
}

#[tokio::test]
async fn malformed_success_body_is_not_taken_as_sent() {
    for body in [
        "<html>ok</html>",
        "{\"status\": \"queued\"}",
        "{\"sid\": \"../x\"}",
        "",
    ] {
        let p = pair(move |_, _| Some(Reply::new(201, body)), 5).await;
        let d = send(&p, TO).await;
        assert_eq!(tried(&d), [("a", "transient"), ("b", "accepted")], "{body}");
    }
}

#[tokio::test]
async fn oversized_answer_is_cut_off_and_not_taken_as_sent() {
    let huge = format!("{{\"sid\": \"SM1\", \"pad\": \"{}\"}}", "x".repeat(1 << 20));
    let p = pair(move |_, _| Some(Reply::new(201, huge.clone())), 5).await;
    let d = send(&p, TO).await;
    assert_eq!(tried(&d), [("a", "transient"), ("b", "accepted")]);
}

#[tokio::test]
async fn invalid_number_stops_without_trying_another_gateway() {
    let p = pair(|_, _| None, 5).await;
    // Twilio's magic number for 21211.
    let d = p
        .gateways
        .send_sms(&order(&["a", "b"]), "+15005550001", MESSAGE, CODE)
        .await;
    assert_loggable(&d);
    assert_eq!(tried(&d), [("a", "recipient_permanent")]);
    assert!(d.outcome.detail().contains("21211"), "{d:?}");
    assert!(p.second.requests().is_empty());
    for (to, code) in [("+15005550009", "21614"), ("+15005550004", "21610")] {
        let d = p
            .gateways
            .send_sms(&order(&["a", "b"]), to, MESSAGE, CODE)
            .await;
        assert_eq!(tried(&d), [("a", "recipient_permanent")], "{to}");
        assert!(d.outcome.detail().contains(code), "{d:?}");
    }
    assert!(p.second.requests().is_empty());
}

#[tokio::test]
async fn fraud_block_stops_without_trying_another_gateway() {
    let p = pair(
        |_, _| {
            Some(twilio_error(
                400,
                30450,
                "Message delivery blocked by SMS Pumping Protection",
            ))
        },
        5,
    )
    .await;
    let d = send(&p, TO).await;
    assert_eq!(tried(&d), [("a", "fraud_or_policy")]);
    assert!(matches!(d.outcome, Outcome::FraudOrPolicy(_)));
    assert!(p.second.requests().is_empty());
    // Twilio's magic number for 21408 (region not enabled) is a policy block too.
    let d = p
        .gateways
        .send_sms(&order(&["a", "b"]), "+15005550003", MESSAGE, CODE)
        .await;
    assert_eq!(tried(&d), [("a", "fraud_or_policy")]);
    assert!(p.second.requests().is_empty());
}

#[tokio::test]
async fn created_but_already_failed_by_a_fraud_block_stops() {
    let p = pair(
        |_, _| {
            Some(Reply::json(
                201,
                serde_json::json!({"sid": "SM9", "status": "failed", "error_code": 30453}),
            ))
        },
        5,
    )
    .await;
    let d = send(&p, TO).await;
    assert_eq!(tried(&d), [("a", "fraud_or_policy")]);
    assert!(p.second.requests().is_empty());
}

#[tokio::test]
async fn refused_credentials_move_on_to_the_next_gateway() {
    let dir = TempDir::new();
    let wrong = dir.file("wrong", "not-the-token", 0o600);
    let right = dir.file("right", TOKEN, 0o600);
    let first = Stub::start(twilio(SID, TOKEN, |_, _| None)).await;
    let second = Stub::start(twilio(SID, TOKEN, |_, _| None)).await;
    let text = format!(
        "{}{}",
        twilio_table("a", &first.url, &wrong, 5),
        twilio_table("b", &second.url, &right, 5)
    );
    let d = gateways(&text)
        .send_sms(&order(&["a", "b"]), TO, MESSAGE, CODE)
        .await;
    assert_eq!(tried(&d), [("a", "config_or_auth"), ("b", "accepted")]);
    assert!(d.attempts[0].outcome.detail().contains("20003"), "{d:?}");
}

#[tokio::test]
async fn every_gateway_failing_gives_the_last_failure() {
    let dir = TempDir::new();
    let token = dir.file("token", TOKEN, 0o600);
    let down = Stub::start(|_, _| Reply::new(503, "")).await;
    let text = format!(
        "{}{}",
        twilio_table("a", &down.url, &token, 5),
        // Nothing listens on port 9 of 127.0.0.1 (discard): connection refused.
        twilio_table("b", "http://127.0.0.1:9", &token, 5)
    );
    let d = gateways(&text)
        .send_sms(&order(&["a", "b", "missing"]), TO, MESSAGE, CODE)
        .await;
    assert_eq!(
        tried(&d),
        [
            ("a", "transient"),
            ("b", "transient"),
            ("missing", "config_or_auth")
        ]
    );
    assert_eq!(d.gateway.as_deref(), Some("missing"));
    assert!(!d.outcome.is_accepted());
}

#[tokio::test]
async fn no_gateway_and_bad_numbers_send_nothing() {
    let p = pair(|_, _| None, 5).await;
    let d = p.gateways.send_sms(&[], TO, MESSAGE, CODE).await;
    assert!(matches!(d.outcome, Outcome::ConfigOrAuth(_)) && d.gateway.is_none());
    for to in [
        "0612345678",
        "+0612345678",
        "+31 6 12345678",
        "+3161234567890123",
    ] {
        let d = p.gateways.send_sms(&order(&["a"]), to, MESSAGE, CODE).await;
        assert!(matches!(d.outcome, Outcome::RecipientPermanent(_)), "{to}");
        assert!(d.attempts.is_empty());
    }
    assert!(p.first.requests().is_empty());
}

#[tokio::test]
async fn call_posts_inline_twiml_to_the_calls_resource() {
    let p = pair(|_, _| None, 5).await;
    let twiml = "<Response><Gather numDigits=\"1\" finishOnKey=\"\" action=\"https://mfa.example.com/cb/1\"><Say>Press pound &amp; hang up</Say></Gather></Response>";
    let call = Call {
        twiml,
        status_callback: Some("https://mfa.example.com/cb/status"),
        ring_seconds: 30,
    };
    let d = p.gateways.place_call(&order(&["a"]), TO, &call).await;
    assert_eq!(
        d.outcome,
        Outcome::Accepted {
            id: format!("CA{:032x}", 1)
        }
    );
    let r = &p.first.requests()[0];
    assert_eq!(r.path, format!("/2010-04-01/Accounts/{SID}/Calls.json"));
    assert_eq!(r.basic_auth(), Some((SID.to_owned(), TOKEN.to_owned())));
    let want = [
        ("To", TO),
        ("From", "+15005550006"),
        ("Twiml", twiml),
        ("Timeout", "30"),
        ("StatusCallback", "https://mfa.example.com/cb/status"),
        ("StatusCallbackMethod", "POST"),
        ("StatusCallbackEvent", "initiated"),
        ("StatusCallbackEvent", "ringing"),
        ("StatusCallbackEvent", "answered"),
        ("StatusCallbackEvent", "completed"),
    ];
    assert_eq!(
        r.form(),
        want.map(|(k, v)| (k.to_owned(), v.to_owned())).to_vec()
    );
}

#[tokio::test]
async fn calls_skip_gateways_that_cannot_place_them() {
    let dir = TempDir::new();
    let token = dir.file("token", TOKEN, 0o600);
    let s = Stub::start(twilio(SID, TOKEN, |_, _| None)).await;
    let text = format!(
        "[gateways.web]\nkind = \"http\"\nurl = \"http://127.0.0.1:9/\"\nfields = {{ to = \"{{phone}}\", t = \"{{code}}\" }}\n{}",
        twilio_table("tw", &s.url, &token, 5)
    );
    let d = gateways(&text)
        .place_call(&order(&["web", "tw"]), TO, &plain_call("<Response/>"))
        .await;
    assert_eq!(tried(&d), [("web", "config_or_auth"), ("tw", "accepted")]);
    let long = "x".repeat(crate::gateways::MAX_TWIML_CHARS + 1);
    let d = gateways(&text)
        .place_call(&order(&["tw"]), TO, &plain_call(&long))
        .await;
    assert!(matches!(d.outcome, Outcome::ConfigOrAuth(_)));
    assert_eq!(s.requests().len(), 1);
}

fn plain_call(twiml: &str) -> Call<'_> {
    Call {
        twiml,
        status_callback: None,
        ring_seconds: 60,
    }
}
