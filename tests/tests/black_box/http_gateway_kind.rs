//! Gateways of kind "http" through real logins (PamStack → pam_mfa.so → bus → mfad → gateway →
//! loopback stub): the configured method, body kind, URL, Basic auth and fields arrive with
//! `{phone}`, `{message}` and `{code}` filled in (valid JSON even with quotes in the text), and
//! the configured statuses and body patterns decide between sent, next gateway and stop.

use mfa_tests::*;
use std::os::unix::fs::PermissionsExt;

const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const NUMBER: &str = "+31 6 12345678";
const PASSWORD: &str = "gw-pass-4711";
/// base64("mfa:gw-pass-4711")
const BASIC: &str = "Basic bWZhOmd3LXBhc3MtNDcxMQ==";
/// Quotes, a `;`, `$(…)`, `&` and `<`: nothing in the text may change the request's structure.
const MESSAGE_TOML: &str = r#"message = "{code} is \"your\" code for {issuer}; $(id) 'q' & <b>""#;

fn message(code: &str) -> String {
    format!(r#"{code} is "your" code for testhost; $(id) 'q' & <b>"#)
}

/// A daemon texting through `gateways` (TOML tables), in the order `names`.
fn daemon(bus: &Bus, names: &[&str], gateways: &str) -> (Daemon, tempfile::TempDir) {
    let secrets = tempfile::tempdir().expect("secrets dir");
    let pw = secrets.path().join("gw-password");
    std::fs::write(&pw, PASSWORD).expect("password");
    std::fs::set_permissions(&pw, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let list: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
    let config = format!(
        "[totp]\nissuer = \"testhost\"\n\n[sms]\ngateways = [{}]\n{MESSAGE_TOML}\n\n{}",
        list.join(", "),
        gateways.replace("PASSWORD_FILE", &pw.display().to_string())
    );
    (Daemon::start(bus, &config), secrets)
}

/// The code in the last request `stub` received, read from `field` of its JSON body, form or
/// query.
fn last_code(stub: &HttpStub, field: &str) -> Option<String> {
    let r = stub.received().pop()?;
    let from_pairs = |pairs: Vec<(String, String)>| {
        pairs
            .into_iter()
            .find(|(k, _)| k == field)
            .and_then(|(_, v)| code_in(&v))
    };
    serde_json::from_str::<serde_json::Value>(&r.body)
        .ok()
        .and_then(|v| v.get(field)?.as_str().and_then(code_in))
        .or_else(|| from_pairs(r.form()))
        .or_else(|| from_pairs(r.query()))
}

fn resolver(stub: &HttpStub, field: &'static str) -> impl FnMut() -> String + 'static {
    let stub = stub.clone();
    move || last_code(&stub, field).unwrap_or_default()
}

/// `?`, then the text-message entry, then the code `stub` received.
fn login_by_text(
    pam: &PamStack,
    user: &str,
    stub: &HttpStub,
    field: &'static str,
) -> (i32, Transcript) {
    let conv = ScriptedConversation::with_resolver(&["?", "2", TEXTED_CODE], resolver(stub, field));
    pam.login_with(user, conv)
}

#[test]
fn a_json_body_carries_every_placeholder_filled_in_and_stays_valid_json() {
    let bus = Bus::start();
    let stub = HttpStub::start(HttpReply::Status(202, r#"{"ok": true}"#.into()));
    let gateway = format!(
        "[gateways.relay]\nkind = \"http\"\nurl = \"{}/send?key=k1\"\nbody = \"json\"\n\
         username = \"mfa\"\npassword_file = \"PASSWORD_FILE\"\nsuccess_status = [202]\n\
         success_pattern = '\"ok\":\\s*true'\ntimeout = 2\n\n[gateways.relay.fields]\n\
         to = \"{{phone}}\"\ntext = \"{{message}}\"\npin = \"{{code}}\"\n\
         tags = [\"mfa\", \"{{code}}\"]\nnote = \"{{x-1}} stays\"\n",
        stub.base_url
    );
    let (daemon, _secrets) = daemon(&bus, &["relay"], &gateway);
    enroll_phone_via(&bus, "mfa-http-a", SECRET, NUMBER, || {
        last_code(&stub, "pin")
    });
    let pam = PamStack::new(&bus, &daemon);
    let (rc, t) = login_by_text(&pam, "mfa-http-a", &stub, "pin");
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", daemon.log());
    let sent = stub.received();
    assert_eq!(sent.len(), 2, "enrollment + login: {sent:#?}");
    let r = &sent[1];
    assert_eq!(r.method, "POST");
    assert_eq!(r.target, "/send?key=k1");
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.header("authorization"), Some(BASIC));
    let json: serde_json::Value =
        serde_json::from_str(&r.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", r.body));
    let code = json["pin"].as_str().expect("pin").to_string();
    assert_eq!(code.len(), 6, "{json}");
    assert_eq!(
        json,
        serde_json::json!({
            "to": "+31612345678",
            "text": message(&code),
            "pin": code,
            "tags": ["mfa", code],
            "note": "{x-1} stays",
        })
    );
}

#[test]
fn a_form_post_and_a_get_query_carry_the_fields() {
    let bus = Bus::start();
    let form = HttpStub::start(HttpReply::Status(202, String::new()));
    let query = HttpStub::start(HttpReply::Status(200, String::new()));
    let gateways = format!(
        "[gateways.form]\nkind = \"http\"\nurl = \"{}/form\"\nphone_format = \"e164_digits\"\n\
         timeout = 2\n[gateways.form.fields]\nphone = \"{{phone}}\"\nmsg = \"{{message}}\"\n\
         [gateways.query]\nkind = \"http\"\nurl = \"{}/q?user=x\"\nmethod = \"GET\"\n\
         phone_format = \"international_00\"\ntimeout = 2\n[gateways.query.fields]\n\
         to = \"{{phone}}\"\ntext = \"{{message}}\"\nc = \"{{code}}\"\n",
        form.base_url, query.base_url
    );
    let (daemon, _secrets) = daemon(&bus, &["form", "query"], &gateways);
    enroll_phone_via(&bus, "mfa-http-b", SECRET, NUMBER, || {
        last_code(&form, "msg")
    });
    let r = &form.received()[0];
    assert_eq!(r.method, "POST");
    assert!(
        r.header("content-type")
            .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded")),
        "{r:?}"
    );
    let code = last_code(&form, "msg").expect("code");
    let mut fields = r.form();
    fields.sort();
    assert_eq!(
        fields,
        vec![
            ("msg".to_string(), message(&code)),
            ("phone".to_string(), "31612345678".to_string())
        ]
    );
    // The form gateway fails now (503): the login's text goes out through the GET gateway.
    form.reply_with(&[HttpReply::Status(503, String::new())]);
    let pam = PamStack::new(&bus, &daemon);
    let (rc, t) = login_by_text(&pam, "mfa-http-b", &query, "c");
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", daemon.log());
    let r = &query.received()[0];
    assert_eq!(r.method, "GET");
    assert_eq!(r.body, "", "a GET has no body");
    let code = last_code(&query, "c").expect("code");
    let mut fields = r.query();
    fields.sort();
    assert_eq!(
        fields,
        vec![
            ("c".to_string(), code.clone()),
            ("text".to_string(), message(&code)),
            ("to".to_string(), "0031612345678".to_string()),
            ("user".to_string(), "x".to_string()),
        ]
    );
}

/// A strict first gateway (only 202 whose body says ok) and a plain second one.
fn strict_and_backup(bus: &Bus, strict: &HttpStub, backup: &HttpStub) -> Daemon {
    let gateways = format!(
        "[gateways.strict]\nkind = \"http\"\nurl = \"{}/s\"\nsuccess_status = [202]\n\
         success_pattern = '\"ok\":\\s*true'\nfailure_pattern = 'BLOCKED'\ntimeout = 2\n\
         [gateways.strict.fields]\nto = \"{{phone}}\"\ntext = \"{{message}}\"\n\
         [gateways.backup]\nkind = \"http\"\nurl = \"{}/b\"\ntimeout = 2\n\
         [gateways.backup.fields]\nto = \"{{phone}}\"\ntext = \"{{message}}\"\n",
        strict.base_url, backup.base_url
    );
    let (daemon, secrets) = daemon(bus, &["strict", "backup"], &gateways);
    drop(secrets); // no password file in these gateways
    daemon
}

#[test]
fn a_status_outside_success_status_or_a_body_without_success_pattern_tries_the_next_gateway() {
    let bus = Bus::start();
    let strict = HttpStub::start(HttpReply::Status(202, r#"{"ok": true}"#.into()));
    let backup = HttpStub::start(HttpReply::Status(200, String::new()));
    let daemon = strict_and_backup(&bus, &strict, &backup);
    enroll_phone_via(&bus, "mfa-http-c", SECRET, NUMBER, || {
        last_code(&strict, "text")
    });
    assert!(backup.received().is_empty(), "the strict gateway sent it");
    let pam = PamStack::new(&bus, &daemon);
    for (n, refusal) in [
        HttpReply::Status(200, r#"{"ok": true}"#.into()),
        HttpReply::Status(202, r#"{"ok": false}"#.into()),
    ]
    .into_iter()
    .enumerate()
    {
        strict.reply_with(std::slice::from_ref(&refusal));
        let (rc, t) = login_by_text(&pam, "mfa-http-c", &backup, "text");
        assert_eq!(rc, codes::PAM_SUCCESS, "{refusal:?}: {t}\n{}", daemon.log());
        assert_eq!(backup.received().len(), n + 1, "{refusal:?}: fell back");
    }
    assert!(
        daemon.log().contains("falling back from gateway strict"),
        "{}",
        daemon.log()
    );
    // And a 202 with the pattern is sent by the strict gateway itself.
    let (rc, t) = login_by_text(&pam, "mfa-http-c", &strict, "text");
    assert_eq!(rc, codes::PAM_SUCCESS, "{t}\n{}", daemon.log());
    assert_eq!(backup.received().len(), 2, "no fallback this time");
}

#[test]
fn a_body_matching_failure_pattern_stops_without_the_next_gateway() {
    let bus = Bus::start();
    let strict = HttpStub::start(HttpReply::Status(202, r#"{"ok": true}"#.into()));
    let backup = HttpStub::start(HttpReply::Status(200, String::new()));
    let daemon = strict_and_backup(&bus, &strict, &backup);
    enroll_phone_via(&bus, "mfa-http-d", SECRET, NUMBER, || {
        last_code(&strict, "text")
    });
    // Even inside an accepted status, the failure pattern wins.
    strict.reply_with(&[HttpReply::Status(
        202,
        r#"{"ok": true, "x": "BLOCKED"}"#.into(),
    )]);
    let pam = PamStack::new(&bus, &daemon);
    let totp = oathtool_code(SECRET, "SHA1", 6, 30, Some(now_unix() + 30));
    let (rc, t) = pam.login("mfa-http-d", &["?", "2", "1", &totp]);
    assert!(backup.received().is_empty(), "no fallback: {t}");
    assert!(t.prompts()[2].contains("cannot reach this number"), "{t}");
    assert_eq!(
        rc,
        codes::PAM_SUCCESS,
        "the app still works: {t}\n{}",
        daemon.log()
    );
}
