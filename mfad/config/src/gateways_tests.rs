//! `[gateways.NAME]`: kinds, their keys, secrets by reference only, URLs, templates.

use std::time::Duration;

use super::*;

fn parse(text: &str) -> Config {
    Config::parse(text).unwrap_or_else(|p| panic!("{text}\n{p:#?}"))
}

fn problems(text: &str) -> Vec<Problem> {
    match Config::parse(text) {
        Ok(c) => panic!("expected problems in\n{text}\ngot {c:?}"),
        Err(p) => p,
    }
}

fn one_problem(text: &str) -> Problem {
    let p = problems(text);
    assert_eq!(p.len(), 1, "{text}\n{p:#?}");
    p.into_iter().next().unwrap_or_else(|| Problem::file(""))
}

const SID: &str = "AC0123456789abcdef0123456789abcdef";

fn twilio(extra: &str) -> String {
    format!(
        "[gateways.tw]\nkind = \"twilio\"\naccount_sid = \"{SID}\"\nauth_token_file = \"/etc/mfa/secrets/tw\"\nfrom = \"+15005550006\"\n{extra}"
    )
}

fn http(extra: &str) -> String {
    format!(
        "[gateways.h]\nkind = \"http\"\nurl = \"https://sms.example.com/send\"\nfields = {{ to = \"{{phone}}\", text = \"{{message}}\" }}\n{extra}"
    )
}

#[test]
fn twilio_gateway_gets_its_defaults() {
    let c = parse(&twilio(""));
    let g = &c.gateways["tw"];
    assert_eq!(g.timeout, Duration::from_secs(10));
    assert_eq!(
        g.kind,
        GatewayKind::Twilio(TwilioGateway {
            base_url: "https://api.twilio.com".into(),
            account_sid: SID.into(),
            auth_token: SecretRef::File("/etc/mfa/secrets/tw".into()),
            from: "+15005550006".into(),
        })
    );
    assert!(g.kind.can_call() && g.kind.can_sms());
}

#[test]
fn twilio_token_may_come_from_a_systemd_credential() {
    let text = twilio("").replace(
        "auth_token_file = \"/etc/mfa/secrets/tw\"",
        "auth_token_credential = \"tw\"",
    );
    let c = parse(&text);
    let GatewayKind::Twilio(t) = &c.gateways["tw"].kind else {
        panic!("{c:?}")
    };
    assert_eq!(t.auth_token, SecretRef::Credential("tw".into()));
    let p = one_problem(&text.replace("\"tw\"\n", "\"../tw\"\n"));
    assert!(p.message.contains("not a credential name"), "{p}");
}

#[test]
fn http_gateway_reads_every_key() {
    let text = r#"
[gateways.h]
kind = "http"
timeout = 60
url = "http://127.0.0.1:8080/send?account=7"
method = "post"
body = "json"
fields = { to = ["{phone}"], text = "{message}", "static" = "{ \"a\": 1 }" }
username = "mfa"
password_credential = "h-pass"
success_status = [200, 202]
success_pattern = "^queued"
failure_pattern = "REJECTED|invalid"
phone_format = "international_00"
"#;
    let c = parse(text);
    let g = &c.gateways["h"];
    assert_eq!(g.timeout, Duration::from_secs(60));
    assert!(!g.kind.can_call());
    let GatewayKind::Http(h) = &g.kind else {
        panic!("{g:?}")
    };
    assert_eq!(h.url, "http://127.0.0.1:8080/send?account=7");
    assert_eq!((h.method, h.body), (HttpMethod::Post, HttpBody::Json));
    assert_eq!(
        h.fields,
        [
            ("to".to_owned(), FieldValue::List(vec!["{phone}".into()])),
            ("text".to_owned(), FieldValue::Text("{message}".into())),
            ("static".to_owned(), FieldValue::Text("{ \"a\": 1 }".into())),
        ]
    );
    assert_eq!(
        h.basic_auth,
        Some(("mfa".into(), SecretRef::Credential("h-pass".into())))
    );
    assert_eq!(h.success_status, [200, 202]);
    assert_eq!(h.success_pattern.as_deref(), Some("^queued"));
    assert_eq!(h.failure_pattern.as_deref(), Some("REJECTED|invalid"));
    assert_eq!(h.phone_format, PhoneFormat::International00);
    assert_eq!(h.phone_format.apply("+31612345678"), "0031612345678");
}

#[test]
fn http_gateway_defaults() {
    let c = parse(&http(""));
    let GatewayKind::Http(h) = &c.gateways["h"].kind else {
        panic!()
    };
    assert_eq!((h.method, h.body), (HttpMethod::Post, HttpBody::Form));
    assert_eq!(h.success_status, [200, 201, 202]);
    assert_eq!(h.basic_auth, None);
    assert_eq!(h.phone_format, PhoneFormat::E164);
    let c = parse(&http("method = \"GET\"\n"));
    let GatewayKind::Http(h) = &c.gateways["h"].kind else {
        panic!()
    };
    assert_eq!(h.body, HttpBody::Query);
}

#[test]
fn get_with_a_body_is_refused() {
    let p = one_problem(&http("method = \"GET\"\nbody = \"json\"\n"));
    assert_eq!(
        p.to_string(),
        r#"line 6: gateways.h.body: "json" sends a body, but method "GET" has none: use body = "query""#
    );
}

#[test]
fn exec_gateway_reads_argv_and_stdin() {
    let c =
        parse("[gateways.x]\nkind = \"exec\"\nargv = [\"/usr/bin/send\", \"{phone}\", \"--\"]\n");
    let GatewayKind::Exec(e) = &c.gateways["x"].kind else {
        panic!()
    };
    assert_eq!(e.argv, ["/usr/bin/send", "{phone}", "--"]);
    assert_eq!(e.stdin, "{message}");
    let c =
        parse("[gateways.x]\nkind = \"exec\"\nargv = [\"/bin/x\"]\nstdin = \"{phone} {code}\"\n");
    let GatewayKind::Exec(e) = &c.gateways["x"].kind else {
        panic!()
    };
    assert_eq!(e.stdin, "{phone} {code}");
}

#[test]
fn exec_argv0_must_be_an_absolute_path() {
    for argv0 in ["send-sms", "./send", "/usr/../bin/send", "/bin/{phone}"] {
        let p = one_problem(&format!(
            "[gateways.x]\nkind = \"exec\"\nargv = [\"{argv0}\"]\n"
        ));
        assert_eq!(
            (p.key.as_str(), p.line),
            ("gateways.x.argv", Some(3)),
            "{argv0}"
        );
        assert!(p.message.contains("absolute path"), "{p}");
    }
    let p = one_problem("[gateways.x]\nkind = \"exec\"\nargv = []\n");
    assert!(p.message.starts_with("is empty"), "{p}");
}

#[test]
fn missing_kind_is_reported_on_the_table() {
    let p = one_problem("\n[gateways.g]\nurl = \"https://x.example\"\n");
    assert_eq!(
        p.to_string(),
        r#"line 2: gateways.g: missing key "kind" ("twilio", "http", "exec" or "ntfy")"#
    );
    let p = one_problem("[gateways.g]\nkind = \"smpp\"\n");
    assert_eq!((p.key.as_str(), p.line), ("gateways.g.kind", Some(2)));
    assert_eq!(
        p.message,
        r#""smpp" is not allowed: expected "twilio", "http", "exec" or "ntfy""#
    );
}

#[test]
fn twilio_key_in_an_http_gateway_names_the_key_the_kind_and_the_line() {
    let p = one_problem(&http(&format!("account_sid = \"{SID}\"\n")));
    assert_eq!(
        p.to_string(),
        r#"line 5: gateways.h.account_sid: unknown key for kind "http" ("account_sid" is a key of kind "twilio", not "http")"#
    );
    let p = one_problem(&twilio("argv = [\"/bin/x\"]\n"));
    assert!(p.message.contains("kind \"exec\""), "{p}");
    let p = one_problem(&twilio("acount_sid = \"x\"\n"));
    assert!(p.message.contains("did you mean \"account_sid\""), "{p}");
}

#[test]
fn inline_secrets_are_refused_with_what_to_write_instead() {
    let p = one_problem(&twilio("auth_token = \"0123\"\n"));
    assert_eq!(
        p.to_string(),
        "line 6: gateways.tw.auth_token: secrets are never written in this file (others may read it): use auth_token_file or auth_token_credential"
    );
    let p = one_problem(&http(
        "username = \"u\"\npassword_file = \"/p\"\npassword = \"x\"\n",
    ));
    assert_eq!(p.key, "gateways.h.password");
    assert!(
        p.message.contains("password_file or password_credential"),
        "{p}"
    );
    let p = one_problem(
        "[gateways.h]\nkind = \"http\"\nurl = \"https://u:secret@sms.example.com/\"\nfields = { to = \"{phone}\", t = \"{code}\" }\n",
    );
    assert_eq!(p.key, "gateways.h.url");
    assert!(p.message.contains("user name or password"), "{p}");
}

#[test]
fn two_sources_for_one_secret_are_refused() {
    let p = one_problem(&twilio("auth_token_credential = \"tw\"\n"));
    assert_eq!(
        p.to_string(),
        "line 6: gateways.tw.auth_token_credential: auth_token_file is set too: set only one of them"
    );
}

#[test]
fn missing_required_keys_are_each_reported() {
    let p = problems("[gateways.tw]\nkind = \"twilio\"\n");
    let got: Vec<String> = p.iter().map(ToString::to_string).collect();
    assert_eq!(got.len(), 3, "{got:#?}");
    assert!(
        got.iter()
            .all(|g| g.starts_with("line 1: gateways.tw: missing key")),
        "{got:#?}"
    );
    assert!(got[0].contains("\"account_sid\""), "{got:#?}");
    let p = problems("[gateways.h]\nkind = \"http\"\n");
    assert_eq!(p.len(), 2, "{p:#?}");
}

#[test]
fn account_sid_must_be_ac_and_32_hex_digits() {
    for bad in [
        "SK0123456789abcdef0123456789abcdef",
        "AC123",
        "AC0123456789abcdef0123456789abcdeg",
    ] {
        let p = one_problem(&twilio("").replace(SID, bad));
        assert_eq!(
            (p.key.as_str(), p.line),
            ("gateways.tw.account_sid", Some(3)),
            "{bad}"
        );
    }
}

#[test]
fn twilio_from_must_be_a_number_or_a_sender_id() {
    assert!(Config::parse(&twilio("").replace("+15005550006", "Example Co")).is_ok());
    for bad in ["15005550006", "+0123", "Example Corp Ltd", "a/b"] {
        let p = one_problem(&twilio("").replace("+15005550006", bad));
        assert_eq!(p.key, "gateways.tw.from", "{bad}");
    }
}

#[test]
fn plain_http_to_a_host_that_is_not_loopback_is_refused() {
    for url in [
        "http://sms.example.com/send",
        "http://10.0.0.1/",
        "http://[fe80::1]/",
    ] {
        let p = one_problem(&http("").replace("https://sms.example.com/send", url));
        assert_eq!(
            (p.key.as_str(), p.line),
            ("gateways.h.url", Some(3)),
            "{url}"
        );
        assert!(p.message.contains("TLS is required"), "{p}");
    }
    for url in [
        "http://127.0.0.1:9/x",
        "http://127.8.9.10/",
        "http://[::1]:80/",
        "http://localhost:1/",
    ] {
        let text = http("").replace("https://sms.example.com/send", url);
        assert!(
            Config::parse(&text).is_ok(),
            "{url}: {:?}",
            Config::parse(&text)
        );
    }
    let p = one_problem(&twilio("base_url = \"http://api.twilio.com\"\n"));
    assert_eq!(p.key, "gateways.tw.base_url");
    let c = parse(&twilio("base_url = \"http://127.0.0.1:1234/\"\n"));
    let GatewayKind::Twilio(t) = &c.gateways["tw"].kind else {
        panic!()
    };
    assert_eq!(t.base_url, "http://127.0.0.1:1234");
}

#[test]
fn fields_must_carry_the_number_and_the_code() {
    let p = one_problem(
        "[gateways.h]\nkind = \"http\"\nurl = \"https://x.example\"\nfields = { text = \"{message}\" }\n",
    );
    assert_eq!((p.key.as_str(), p.line), ("gateways.h.fields", Some(4)));
    assert!(p.message.contains("{phone}"), "{p}");
    let p = one_problem(
        "[gateways.h]\nkind = \"http\"\nurl = \"https://x.example\"\nfields = { to = \"{phone}\" }\n",
    );
    assert!(p.message.contains("{message} or {code}"), "{p}");
    let text = "[gateways.h]\nkind = \"http\"\nurl = \"https://x.example\"\nfields = { to = \"{phone}\", pin = \"{code}\" }\n";
    assert!(Config::parse(text).is_ok());
}

#[test]
fn unknown_placeholder_in_a_gateway_template_is_refused() {
    let p = one_problem(&http("").replace("{message}", "{otp}"));
    assert_eq!(p.key, "gateways.h.fields.text");
    assert!(p.message.contains("unknown placeholder {otp}"), "{p}");
    let p = one_problem("[gateways.x]\nkind = \"exec\"\nargv = [\"/bin/x\", \"{user}\"]\n");
    assert!(p.message.contains("{user}"), "{p}");
    let p = one_problem(
        "[gateways.h]\nkind = \"http\"\nurl = \"https://x.example\"\nfields = { to = \"{phone}\", t = \"{code}\", n = 3 }\n",
    );
    assert_eq!(
        p.message,
        "expected a string or an array of strings, found an integer"
    );
}

#[test]
fn invalid_patterns_and_statuses_are_refused() {
    let p = one_problem(&http("success_pattern = \"(queued\"\n"));
    assert_eq!(
        (p.key.as_str(), p.line),
        ("gateways.h.success_pattern", Some(5))
    );
    assert!(p.message.contains("not a valid regular expression"), "{p}");
    assert!(!p.message.contains('\n'), "{p}");
    let p = one_problem(&http("success_status = [200, 404]\n"));
    assert_eq!(p.message, "404 is more than 299 (allowed: 200..=299)");
    let p = one_problem(&http("success_status = []\n"));
    assert!(p.message.starts_with("is empty"), "{p}");
}

#[test]
fn basic_auth_needs_both_user_and_password() {
    let p = one_problem(&http("username = \"mfa\"\n"));
    assert_eq!(p.key, "gateways.h.username");
    let p = one_problem(&http("password_file = \"/etc/mfa/p\"\n"));
    assert_eq!(p.key, "gateways.h.username");
    assert!(
        Config::parse(&http(
            "username = \"mfa\"\npassword_file = \"/etc/mfa/p\"\n"
        ))
        .is_ok()
    );
}

#[test]
fn gateway_timeout_is_1_to_60_seconds() {
    assert!(Config::parse(&twilio("timeout = 1\n")).is_ok());
    assert!(Config::parse(&twilio("timeout = 60\n")).is_ok());
    let p = one_problem(&twilio("timeout = 0\n"));
    assert_eq!((p.key.as_str(), p.line), ("gateways.tw.timeout", Some(6)));
    let p = one_problem(&twilio("timeout = 61\n"));
    assert_eq!(p.key, "gateways.tw.timeout");
}

#[test]
fn bad_gateway_name_is_refused() {
    let p = one_problem("[gateways.\"a b\"]\nkind = \"exec\"\nargv = [\"/bin/x\"]\n");
    assert!(p.message.contains("is not a gateway name"), "{p}");
}

#[test]
fn a_broken_gateway_is_reported_once_not_again_where_sms_lists_it() {
    let p =
        one_problem("[gateways.x]\nkind = \"exec\"\nargv = [\"x\"]\n[sms]\ngateways = [\"x\"]\n");
    assert_eq!(p.key, "gateways.x.argv");
}
