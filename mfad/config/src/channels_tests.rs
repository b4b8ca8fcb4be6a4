//! `[phone]`, `[sms]`, `[voice]`, `[web]`, `[budgets]` and `[services.NAME] methods`.

use std::time::Duration;

use super::*;

fn parse(text: &str) -> Config {
    Config::parse(text).unwrap_or_else(|p| panic!("{text}\n{p:#?}"))
}

fn one_problem(text: &str) -> Problem {
    match Config::parse(text) {
        Ok(c) => panic!("expected a problem in\n{text}\ngot {c:?}"),
        Err(p) if p.len() == 1 => p.into_iter().next().unwrap_or_else(|| Problem::file("")),
        Err(p) => panic!("expected one problem in\n{text}\ngot {p:#?}"),
    }
}

/// A twilio gateway `tw` (E.164 from) and an http gateway `web`, for the tests that need some.
const GATEWAYS: &str = r#"
[gateways.tw]
kind = "twilio"
account_sid = "AC0123456789abcdef0123456789abcdef"
auth_token_file = "/etc/mfa/secrets/tw"
from = "+15005550006"
[gateways.web]
kind = "http"
url = "https://sms.example.com/send"
fields = { to = "{phone}", text = "{message}" }
"#;

const WEB: &str = "[web]\nlisten = \"127.0.0.1:8443\"\npublic_url = \"https://mfa.example.com/\"\n";

#[test]
fn defaults_of_the_phone_tables_are_the_documented_ones() {
    let c = Config::default();
    assert!(c.phone.allowed_countries.is_empty());
    assert_eq!(
        c.phone.sms_types,
        [NumberType::Mobile, NumberType::FixedLineOrMobile]
    );
    assert_eq!(
        c.phone.voice_types,
        [
            NumberType::Mobile,
            NumberType::FixedLineOrMobile,
            NumberType::FixedLine
        ]
    );
    assert!(c.sms.gateways.is_empty() && c.voice.gateways.is_empty());
    assert_eq!((c.sms.code_length, c.sms.max_checks), (6, 3));
    assert_eq!(c.sms.code_lifetime, Duration::from_secs(300));
    assert_eq!(c.sms.resend_cooldown, Duration::from_secs(60));
    assert_eq!(c.sms.message, DEFAULT_SMS_MESSAGE);
    assert_eq!(c.voice.mode, VoiceMode::PressHash);
    assert_eq!(c.voice.answer_timeout, Duration::from_secs(90));
    assert_eq!(c.web, WebConfig::default());
    assert!(c.web.listen.is_none() && c.web.public_url.is_none());
    let b = &c.budgets;
    assert_eq!(
        [
            b.user_hour,
            b.user_day,
            b.number_hour,
            b.number_day,
            b.prefix_hour,
            b.prefix_day,
            b.country_hour,
            b.country_day,
            b.gateway_hour,
            b.gateway_day,
            b.nonroot_user_hour,
            b.nonroot_user_day
        ],
        [5, 20, 5, 20, 20, 50, 100, 500, 500, 2000, 4, 12]
    );
    assert!(c.gateways.is_empty());
}

#[test]
fn every_channel_key_can_be_set() {
    let text = format!(
        r#"{GATEWAYS}
[phone]
allowed_countries = ["nl", "BE"]
sms_types = ["mobile"]
voice_types = ["fixed_line", "voip"]
[sms]
gateways = ["web", "tw"]
code_length = 8
code_lifetime = 600
max_checks = 5
resend_cooldown = 30
message = "Code: {{code}} ({{minutes}} min)"
[voice]
gateways = ["tw"]
mode = "number_match"
answer_timeout = 120
[web]
listen = "[::1]:8443"
public_url = "https://mfa.example.com/cb/"
tls_cert = "/etc/mfa/tls/cert.pem"
tls_key = "/etc/mfa/tls/key.pem"
[budgets]
user_hour = 1
user_day = 2
number_hour = 3
number_day = 4
prefix_hour = 5
prefix_day = 6
country_hour = 7
country_day = 8
gateway_hour = 9
gateway_day = 10000
nonroot_user_hour = 1
nonroot_user_day = 1
"#
    );
    let c = parse(&text);
    assert_eq!(c.phone.allowed_countries, ["NL", "BE"]);
    assert_eq!(c.phone.sms_types, [NumberType::Mobile]);
    assert_eq!(
        c.phone.voice_types,
        [NumberType::FixedLine, NumberType::Voip]
    );
    assert_eq!(c.sms.gateways, ["web", "tw"]);
    assert_eq!((c.sms.code_length, c.sms.max_checks), (8, 5));
    assert_eq!(c.sms.code_lifetime, Duration::from_secs(600));
    assert_eq!(c.sms.resend_cooldown, Duration::from_secs(30));
    assert_eq!(c.sms.render("12345678", "x"), "Code: 12345678 (10 min)");
    assert_eq!(c.voice.gateways, ["tw"]);
    assert_eq!(c.voice.mode, VoiceMode::NumberMatch);
    assert_eq!(c.voice.answer_timeout, Duration::from_secs(120));
    assert_eq!(
        c.web.listen.map(|a| a.to_string()),
        Some("[::1]:8443".into())
    );
    assert_eq!(
        c.web.public_url.as_deref(),
        Some("https://mfa.example.com/cb")
    );
    assert_eq!(
        c.web.tls_cert.as_deref(),
        Some(Path::new("/etc/mfa/tls/cert.pem"))
    );
    assert_eq!(
        c.web.tls_key.as_deref(),
        Some(Path::new("/etc/mfa/tls/key.pem"))
    );
    assert_eq!((c.budgets.user_hour, c.budgets.gateway_day), (1, 10000));
    assert_eq!(c.budgets.country_day, 8);
}

#[test]
fn channel_values_out_of_range_are_refused_and_bounds_accepted() {
    let mut keys = vec![
        ("sms", "code_length", 6, 10, ""),
        ("sms", "code_lifetime", 60, 1800, "resend_cooldown = 10"),
        ("sms", "max_checks", 1, 10, ""),
        ("sms", "resend_cooldown", 10, 600, "code_lifetime = 1800"),
        ("voice", "answer_timeout", 20, 300, ""),
    ];
    for key in BudgetConfig::KEYS {
        keys.push(("budgets", key, 1, 10_000, ""));
    }
    for (table, key, lo, hi, extra) in keys {
        // The budgets' cross-checks must not get in the way: set every budget to the value.
        for ok in [lo, hi] {
            let text = if table == "budgets" {
                let all: Vec<String> = BudgetConfig::KEYS
                    .iter()
                    .map(|k| format!("{k} = {ok}"))
                    .collect();
                format!("[budgets]\n{}\n", all.join("\n"))
            } else {
                format!("[{table}]\n{key} = {ok}\n{extra}\n")
            };
            assert!(
                Config::parse(&text).is_ok(),
                "{text}: {:?}",
                Config::parse(&text)
            );
        }
        for bad in [lo - 1, hi + 1] {
            let p = one_problem(&format!("[{table}]\n{key} = {bad}\n{extra}\n"));
            assert_eq!((p.key, p.line), (format!("{table}.{key}"), Some(2)));
        }
    }
}

#[test]
fn zero_budget_is_refused_there_is_no_unlimited() {
    let p = one_problem("[budgets]\nuser_hour = 0\n");
    assert_eq!(
        p.to_string(),
        "line 2: budgets.user_hour: 0 is less than 1 (allowed: 1..=10000)"
    );
}

#[test]
fn budget_per_hour_above_its_day_is_refused() {
    let p = one_problem("[budgets]\nnumber_hour = 21\n");
    assert_eq!(
        p.to_string(),
        "line 2: budgets.number_hour: 21 is more than budgets.number_day (20, the default)"
    );
    let p = one_problem("[budgets]\nprefix_hour = 30\nprefix_day = 25\n");
    assert_eq!(
        p.to_string(),
        "line 3: budgets.prefix_day: 25 is less than budgets.prefix_hour (30)"
    );
}

#[test]
fn non_root_budget_above_the_users_budget_is_refused() {
    let p = one_problem("[budgets]\nnonroot_user_hour = 6\nnonroot_user_day = 8\n");
    assert_eq!(
        p.to_string(),
        "line 2: budgets.nonroot_user_hour: 6 is more than budgets.user_hour (5, the default)"
    );
}

#[test]
fn unknown_budget_key_gets_a_did_you_mean() {
    let p = one_problem("[budgets]\nuser_hours = 3\n");
    assert_eq!(
        p.to_string(),
        r#"line 2: budgets.user_hours: unknown key (did you mean "user_hour"?)"#
    );
}

#[test]
fn sms_message_without_code_is_refused() {
    let p = one_problem("[sms]\nmessage = \"Your sign-in code\"\n");
    assert_eq!(
        p.to_string(),
        "line 2: sms.message: does not contain {code}"
    );
}

#[test]
fn sms_message_with_an_unknown_placeholder_is_refused() {
    let p = one_problem("[sms]\nmessage = \"{code} {ttl}\"\n");
    assert_eq!(p.key, "sms.message");
    assert!(p.message.contains("unknown placeholder {ttl}"), "{p}");
}

#[test]
fn sms_message_that_is_not_ascii_is_refused() {
    // As written in TOML.
    for text in [
        "{code} is je code \u{2013} snel",
        "{code} \u{1F600}",
        "`{code}`",
        "{code}\\t",
    ] {
        let p = one_problem(&format!("[sms]\nmessage = \"{text}\"\n"));
        assert_eq!((p.key.as_str(), p.line), ("sms.message", Some(2)), "{text}");
        assert!(p.message.contains("not plain ASCII"), "{p}");
    }
    assert!(Config::parse("[sms]\nmessage = \"{code}\\n\\n@login.example.com #{code}\"\n").is_ok());
}

#[test]
fn sms_message_longer_than_one_sms_when_rendered_is_refused() {
    // 150 characters and a 10-digit code: 160 fits, one more does not.
    let fits = format!("{{code}}{}", "x".repeat(150));
    assert!(Config::parse(&format!("[sms]\ncode_length = 10\nmessage = \"{fits}\"\n")).is_ok());
    let long = format!("{{code}}{}", "x".repeat(151));
    let p = one_problem(&format!("[sms]\ncode_length = 10\nmessage = \"{long}\"\n"));
    assert_eq!(
        p.to_string(),
        "line 3: sms.message: the text is 161 characters with a 10-digit code: more than one SMS (160)"
    );
    // GSM-7 sends braces and brackets as two characters.
    let braces = format!("{{code}}{}", "[".repeat(78));
    let p = one_problem(&format!("[sms]\nmessage = \"{braces}\"\n"));
    assert!(p.message.contains("162 characters"), "{p}");
}

#[test]
fn long_issuer_that_overflows_the_default_message_is_reported_on_the_issuer() {
    // 58 characters of the default text with a 6-digit code, and 100 of issuer: fits; a 10-digit
    // code does not.
    let issuer = "I".repeat(100);
    assert!(Config::parse(&format!("[totp]\nissuer = \"{issuer}\"\n")).is_ok());
    let p = one_problem(&format!(
        "[totp]\nissuer = \"{issuer}\"\n[sms]\ncode_length = 10\n"
    ));
    assert_eq!((p.key.as_str(), p.line), ("totp.issuer", Some(2)));
    assert!(p.message.contains("and the issuer"), "{p}");
    // Without {issuer} in the message, the issuer does not matter.
    let text = format!("[totp]\nissuer = \"{issuer}\"\n[sms]\nmessage = \"{{code}}\"\n");
    assert!(Config::parse(&text).is_ok());
}

#[test]
fn issuer_that_is_not_ascii_is_refused_when_the_message_shows_it() {
    let p = one_problem("[totp]\nissuer = \"Caf\u{e9}\"\n");
    assert_eq!(p.key, "totp.issuer");
    assert!(p.message.contains("not plain ASCII"), "{p}");
    assert!(Config::parse("[totp]\nissuer = \"Caf\u{e9}\"\n[sms]\nmessage = \"{code}\"\n").is_ok());
}

#[test]
fn sms_render_fills_code_issuer_and_minutes() {
    let c = parse("[sms]\ncode_lifetime = 150\n");
    assert_eq!(c.sms.minutes(), 2);
    assert_eq!(
        c.sms.render("123456", "host1"),
        "123456 is your sign-in code for host1. It expires in 2 minutes."
    );
}

#[test]
fn resend_cooldown_longer_than_the_code_lifetime_is_refused() {
    let p = one_problem("[sms]\ncode_lifetime = 60\nresend_cooldown = 120\n");
    assert_eq!(
        p.to_string(),
        "line 3: sms.resend_cooldown: 120 is more than sms.code_lifetime (60)"
    );
}

#[test]
fn unknown_country_code_is_refused_and_case_is_normalised() {
    let p = one_problem("[phone]\nallowed_countries = [\"NL\",\n  \"XX\"]\n");
    assert_eq!(
        (p.key.as_str(), p.line),
        ("phone.allowed_countries", Some(3))
    );
    assert!(p.message.contains("\"XX\" is not an ISO 3166-1"), "{p}");
    let p = one_problem("[phone]\nallowed_countries = [\"NL\", \"nl\"]\n");
    assert!(p.message.contains("listed twice"), "{p}");
    let p = one_problem("[phone]\nallowed_countries = \"NL\"\n");
    assert_eq!(p.message, "expected an array, found a string");
    let p = one_problem("[phone]\nallowed_countries = [31]\n");
    assert_eq!(p.message, "expected a string, found an integer");
}

#[test]
fn premium_rate_numbers_are_refused_with_the_reason() {
    let p = one_problem("[phone]\nsms_types = [\"mobile\", \"premium_rate\"]\n");
    assert_eq!(p.key, "phone.sms_types");
    assert!(p.message.contains("toll fraud"), "{p}");
    let p = one_problem("[phone]\nvoice_types = [\"mobile\", \"pager\"]\n");
    assert!(p.message.contains("never allowed"), "{p}");
    let p = one_problem("[phone]\nvoice_types = [\"landline\"]\n");
    assert!(p.message.contains("\"landline\" is not allowed"), "{p}");
    let p = one_problem("[phone]\nvoice_types = []\n");
    assert!(p.message.starts_with("is empty"), "{p}");
}

#[test]
fn sms_gateway_that_does_not_exist_is_refused_with_its_line() {
    let p = one_problem(&format!(
        "{GATEWAYS}[sms]\ngateways = [\n  \"tw\",\n  \"nope\",\n]\n"
    ));
    assert_eq!(
        p.to_string(),
        r#"line 14: sms.gateways: "nope" is not a gateway: there is no [gateways.nope]"#
    );
}

#[test]
fn gateway_listed_twice_is_refused() {
    let p = one_problem(&format!("{GATEWAYS}[sms]\ngateways = [\"tw\", \"tw\"]\n"));
    assert!(p.message.contains("listed twice"), "{p}");
}

#[test]
fn voice_gateway_must_be_twilio_with_a_number() {
    let p = one_problem(&format!("{GATEWAYS}{WEB}[voice]\ngateways = [\"web\"]\n"));
    assert_eq!(p.key, "voice.gateways");
    assert!(p.message.contains("cannot place calls"), "{p}");
    let text =
        format!("{GATEWAYS}{WEB}[voice]\ngateways = [\"tw\"]\n").replace("+15005550006", "ACME");
    let p = one_problem(&text);
    assert!(p.message.contains("alphanumeric sender ID"), "{p}");
}

#[test]
fn calls_need_a_listener_and_a_public_url() {
    let p = one_problem(&format!("{GATEWAYS}[voice]\ngateways = [\"tw\"]\n"));
    assert_eq!(
        p.to_string(),
        "line 12: voice.gateways: calls need the provider to call back: set web.listen and web.public_url"
    );
    assert!(Config::parse(&format!("{GATEWAYS}{WEB}[voice]\ngateways = [\"tw\"]\n")).is_ok());
}

#[test]
fn answer_timeout_beyond_the_session_timeout_is_refused_when_calls_are_on() {
    let on =
        format!("{GATEWAYS}{WEB}[voice]\ngateways = [\"tw\"]\n[daemon]\nsession_timeout = 60\n");
    let p = one_problem(&on);
    assert_eq!(
        p.to_string(),
        "line 17: daemon.session_timeout: 60 is less than voice.answer_timeout (90, the default)"
    );
    assert!(Config::parse("[daemon]\nsession_timeout = 60\n").is_ok());
}

#[test]
fn web_listen_must_be_an_address_and_port() {
    for bad in ["localhost:8443", "127.0.0.1", "127.0.0.1:0", "[::1]"] {
        let p = one_problem(&format!("[web]\nlisten = \"{bad}\"\n"));
        assert_eq!((p.key.as_str(), p.line), ("web.listen", Some(2)), "{bad}");
    }
}

#[test]
fn plain_http_listener_only_on_loopback() {
    let p = one_problem("[web]\nlisten = \"0.0.0.0:8443\"\n");
    assert_eq!(p.key, "web.listen");
    assert!(p.message.contains("plain HTTP"), "{p}");
    let tls = "tls_cert = \"/etc/mfa/c.pem\"\ntls_key = \"/etc/mfa/k.pem\"\n";
    assert!(Config::parse(&format!("[web]\nlisten = \"0.0.0.0:8443\"\n{tls}")).is_ok());
}

#[test]
fn tls_files_go_together_and_need_a_listener() {
    let p = one_problem("[web]\nlisten = \"127.0.0.1:1\"\ntls_cert = \"/etc/mfa/c.pem\"\n");
    assert_eq!(
        p.to_string(),
        "line 3: web.tls_cert: is set without web.tls_key: set both or neither"
    );
    let p = one_problem("[web]\ntls_cert = \"/c.pem\"\ntls_key = \"/k.pem\"\n");
    assert_eq!((p.key.as_str(), p.line), ("web.tls_cert", Some(2)));
    assert!(p.message.contains("no listener"), "{p}");
    let p = one_problem("[web]\ntls_key = \"k.pem\"\n");
    assert!(p.message.contains("absolute"), "{p}");
}

#[test]
fn public_url_must_be_https_unless_loopback() {
    let p = one_problem("[web]\npublic_url = \"http://mfa.example.com\"\n");
    assert_eq!((p.key.as_str(), p.line), ("web.public_url", Some(2)));
    assert!(p.message.contains("TLS is required"), "{p}");
    for bad in [
        "https://mfa.example.com/?a=b",
        "ftp://x",
        "https://u:p@x.example",
    ] {
        let p = one_problem(&format!("[web]\npublic_url = \"{bad}\"\n"));
        assert_eq!(p.key, "web.public_url", "{bad}");
    }
    assert!(Config::parse("[web]\npublic_url = \"http://127.0.0.1:9000\"\n").is_ok());
}

#[test]
fn service_methods_are_read_in_order() {
    let text = format!(
        "{GATEWAYS}[sms]\ngateways = [\"tw\"]\n[services.sshd]\nmethods = [\"SMS\", \"totp\"]\n"
    );
    let c = parse(&text);
    assert_eq!(c.methods_for("sshd"), ["sms", "totp"]);
    assert_eq!(
        c.methods_for("login"),
        ["totp", "backup", "sms", "voice", "push"]
    );
    assert_eq!(c.services["sshd"].unenrolled, None);
}

#[test]
fn bad_service_methods_are_refused() {
    let p = one_problem("[services.sshd]\nmethods = [\"totp\", \"email\"]\n");
    assert_eq!((p.key.as_str(), p.line), ("services.sshd.methods", Some(2)));
    assert_eq!(
        p.message,
        r#""email" is not allowed: expected "totp", "backup", "sms", "voice" or "push""#
    );
    let p = one_problem("[services.sshd]\nmethods = [\"totp\", \"push\"]\n");
    assert!(p.message.contains("[push] gateways is empty"), "{p}");
    let p = one_problem("[services.sshd]\nmethods = [\"totp\", \"totp\"]\n");
    assert!(p.message.contains("listed twice"), "{p}");
    let p = one_problem("[services.sshd]\nmethods = []\n");
    assert!(p.message.starts_with("is empty"), "{p}");
}

#[test]
fn service_method_without_gateways_is_refused() {
    let p = one_problem("[services.sshd]\n\nmethods = [\"totp\", \"voice\"]\n");
    assert_eq!(
        p.to_string(),
        r#"line 3: services.sshd.methods: lists "voice", but [voice] gateways is empty, so calls are off"#
    );
}
