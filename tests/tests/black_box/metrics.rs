//! The Prometheus endpoint (`[metrics] listen`) scraped with curl from the real daemon after
//! real logins through the real module: the counters move by exactly the logins made, the text
//! passes a strict format check and `promtool check metrics`, idle connections cannot keep a
//! scrape out, and an address other than loopback is refused at config load.

use mfa_tests::*;
use std::collections::BTreeMap;
use std::io::Read;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const NUMBER: &str = "+31 6 12345678";

/// Twilio-speaking gateways `first` and `second`, for texts, and `extra` config.
fn daemon_with_texts(
    bus: &Bus,
    first: &TwilioStub,
    second: &TwilioStub,
    extra: &str,
) -> (Daemon, TwilioSecrets) {
    let secrets = TwilioSecrets::new();
    let config = format!(
        "[sms]\ngateways = [\"first\", \"second\"]\n\n{extra}\n{}{}",
        secrets.gateway("first", first),
        secrets.gateway("second", second)
    );
    (Daemon::start(bus, &config), secrets)
}

/// `curl` with `args`, then the URL; the body, or the failure.
fn curl(args: &[&str], url: &str) -> Result<String, String> {
    let out = Command::new("curl")
        .args(["--silent", "--show-error", "--fail", "--max-time", "5"])
        .args(args)
        .arg(url)
        .output()
        .map_err(|e| format!("curl: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(output_text(&out))
    }
}

fn scrape_socket(socket: &Path) -> String {
    let socket = socket.to_string_lossy();
    curl(&["--unix-socket", &socket], "http://localhost/metrics")
        .unwrap_or_else(|e| panic!("scrape over {socket}: {e}"))
}

/// Every sample, `name{labels}` -> value, after the strict check and promtool's (if present).
fn samples(text: &str) -> BTreeMap<String, f64> {
    if let Err(why) = strictly_valid(text) {
        panic!("not the Prometheus text format: {why}\n{text}");
    }
    promtool_agrees(text);
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .filter_map(|l| l.rsplit_once(' '))
        .map(|(series, v)| (series.to_owned(), v.parse().unwrap_or(f64::NAN)))
        .collect()
}

/// The exposition format, version 0.0.4, checked line by line: `# HELP` and `# TYPE` once per
/// family and before its samples, metric and label names of the allowed characters, quoted
/// label values without raw quotes or newlines, values that are numbers, counters ending in
/// `_total`, histogram buckets cumulative and ending in `+Inf` equal to `_count`.
fn strictly_valid(text: &str) -> Result<(), String> {
    fn name_ok(s: &str) -> bool {
        let mut chars = s.chars();
        chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == ':')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
    }
    if !text.ends_with('\n') {
        return Err("no final newline".into());
    }
    let mut types: BTreeMap<String, String> = BTreeMap::new();
    let mut helps = std::collections::BTreeSet::new();
    let mut current = String::new();
    let mut last_bucket: Option<f64> = None;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("# HELP ") {
            let name = rest.split(' ').next().unwrap_or("");
            if !name_ok(name) || !helps.insert(name.to_owned()) {
                return Err(format!("bad or repeated HELP: {line}"));
            }
            continue;
        }
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let (name, kind) = rest.split_once(' ').ok_or(format!("bad TYPE: {line}"))?;
            let known = ["counter", "gauge", "histogram", "summary", "untyped"];
            if !name_ok(name) || !known.contains(&kind) || types.contains_key(name) {
                return Err(format!("bad or repeated TYPE: {line}"));
            }
            if kind == "counter" && !name.ends_with("_total") {
                return Err(format!("a counter without _total: {line}"));
            }
            types.insert(name.to_owned(), kind.to_owned());
            current = name.to_owned();
            last_bucket = None;
            continue;
        }
        if line.starts_with('#') || line.is_empty() {
            return Err(format!("unexpected line: {line:?}"));
        }
        let (series, value) = line.rsplit_once(' ').ok_or(format!("no value: {line}"))?;
        let value: f64 = match value {
            "+Inf" => f64::INFINITY,
            "-Inf" => f64::NEG_INFINITY,
            v => v.parse().map_err(|_| format!("not a number: {line}"))?,
        };
        let (name, labels) = match series.split_once('{') {
            Some((n, l)) => (
                n,
                l.strip_suffix('}').ok_or(format!("open labels: {line}"))?,
            ),
            None => (series, ""),
        };
        let kind = types.get(&current).map(String::as_str).unwrap_or("");
        let family_ok = name == current
            || (kind == "histogram"
                && [("_bucket"), ("_sum"), ("_count")]
                    .iter()
                    .any(|s| name == format!("{current}{s}")));
        if !name_ok(name) || !family_ok {
            return Err(format!("sample outside its family {current:?}: {line}"));
        }
        for pair in labels.split(',').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').ok_or(format!("bad label: {line}"))?;
            let inner = v
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .ok_or(format!("unquoted label value: {line}"))?;
            if !name_ok(k) || k.starts_with("__") || inner.contains(['"', '\n', '\\']) {
                return Err(format!("bad label {pair}: {line}"));
            }
        }
        if name.ends_with("_bucket") {
            if last_bucket.is_some_and(|prev| value < prev) {
                return Err(format!("buckets not cumulative: {line}"));
            }
            last_bucket = Some(value);
        }
        if name.ends_with("_count") && kind == "histogram" && last_bucket != Some(value) {
            return Err(format!("_count is not the +Inf bucket: {line}"));
        }
    }
    Ok(())
}

/// `promtool check metrics` (Debian package `prometheus`, in `scripts/deps.sh test`) reads the
/// text too: Prometheus's own parser and linter.
fn promtool_agrees(text: &str) {
    use std::io::Write;
    let mut child = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("promtool (Debian package prometheus: scripts/deps.sh test)");
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(text.as_bytes()).expect("to promtool");
    }
    let out = child.wait_with_output().expect("promtool");
    assert!(
        out.status.success(),
        "promtool check metrics: {}\n{text}",
        output_text(&out)
    );
}

/// How much each series moved between two scrapes (series that did not exist count from 0).
fn moved(before: &BTreeMap<String, f64>, after: &BTreeMap<String, f64>, series: &str) -> f64 {
    after.get(series).copied().unwrap_or(0.0) - before.get(series).copied().unwrap_or(0.0)
}

#[test]
fn a_scrape_over_the_unix_socket_counts_exactly_the_logins_made_through_the_module() {
    let bus = Bus::start();
    let (first, second) = (
        TwilioStub::start(TWILIO_SID, TWILIO_TOKEN),
        TwilioStub::start(TWILIO_SID, TWILIO_TOKEN),
    );
    let dir = tempfile::tempdir().expect("socket dir");
    let socket = dir.path().join("metrics.sock");
    let extra = format!("[metrics]\nlisten = \"{}\"\n", socket.display());
    let (daemon, _secrets) = daemon_with_texts(&bus, &first, &second, &extra);
    let mode = std::fs::metadata(&socket).map(|m| m.permissions().mode() & 0o777);
    assert_eq!(mode.ok(), Some(0o660), "the socket's mode");
    mfa_tests::enroll_phone(&bus, &[&first, &second], "mfa-metrics-a", SECRET, NUMBER);
    let before = samples(&scrape_socket(&socket));

    let pam = PamStack::new(&bus, &daemon);
    // The next step's code: enrolling the phone used this step's.
    let code = oathtool_code(SECRET, "SHA1", 6, 30, Some(now_unix() + 30));
    let (rc, t) = pam.login("mfa-metrics-a", &[&code]);
    assert_eq!(rc, codes::PAM_SUCCESS, "right code: {t}\n{}", daemon.log());
    let wrong = mfa_tests::wrong_code(SECRET, "SHA1", 6, 30);
    let (rc, t) = pam.login("mfa-metrics-a", &[&wrong]);
    assert_eq!(rc, codes::PAM_AUTH_ERR, "wrong code: {t}");
    // A text: the first gateway fails (HTTP 500), the second sends it.
    first.reply_with(&[Reply::ServerError]);
    let (first_c, second_c) = (first.clone(), second.clone());
    let texted = move || {
        second_c
            .last_code()
            .or_else(|| first_c.last_code())
            .unwrap_or_default()
    };
    let conv = ScriptedConversation::with_resolver(&["?", "2", TEXTED_CODE], texted);
    let (rc, t) = pam.login_with("mfa-metrics-a", conv);
    assert_eq!(rc, codes::PAM_SUCCESS, "texted code: {t}\n{}", daemon.log());

    let after = samples(&scrape_socket(&socket));
    let decisions = |m: &str, o: &str| {
        let series = format!("mfad_login_decisions_total{{method=\"{m}\",outcome=\"{o}\"}}");
        moved(&before, &after, &series)
    };
    assert_eq!(decisions("totp", "granted"), 1.0, "{after:#?}");
    assert_eq!(decisions("totp", "denied-wrong-code"), 1.0, "{after:#?}");
    assert_eq!(decisions("sms", "granted"), 1.0, "{after:#?}");
    let all_decisions: f64 = after
        .keys()
        .filter(|k| k.starts_with("mfad_login_decisions_total{"))
        .map(|k| moved(&before, &after, k))
        .sum();
    assert!(
        (3.0..=4.0).contains(&all_decisions),
        "three logins, plus at most the text's own \"sent\" line: {after:#?}"
    );
    let gateway = |family: &str, labels: &str| {
        moved(
            &before,
            &after,
            &format!("{family}{{channel=\"text\",{labels}}}"),
        )
    };
    assert_eq!(
        gateway("mfad_gateway_sends_total", "gateway=\"second\""),
        1.0
    );
    assert_eq!(
        gateway("mfad_gateway_sends_total", "gateway=\"first\""),
        0.0
    );
    let failed = "gateway=\"first\",reason=\"transient\"";
    assert_eq!(gateway("mfad_gateway_failures_total", failed), 1.0);
    assert_eq!(
        gateway("mfad_gateway_fallbacks_total", "gateway=\"first\""),
        1.0
    );
    let answers = moved(&before, &after, "mfad_login_answer_duration_seconds_count");
    assert!(
        answers >= 3.0,
        "each login answered at least once: {answers}"
    );
    assert_eq!(after.get("mfad_open_sessions"), Some(&0.0));
    assert_eq!(moved(&before, &after, "mfad_account_locks_total"), 0.0);
    assert_eq!(moved(&before, &after, "mfad_store_errors_total"), 0.0);
    let text = scrape_socket(&socket);
    assert!(
        !text.contains("mfa-metrics-a") && !text.contains("192.0.2.10") && !text.contains("+31"),
        "no user, host or number in the metrics: {text}"
    );
}

#[test]
fn a_lock_is_counted_once_when_the_failures_reach_the_limit() {
    let bus = Bus::start();
    let dir = tempfile::tempdir().expect("socket dir");
    let socket = dir.path().join("metrics.sock");
    let config = format!(
        "[limits]\nmax_failures = 2\nfree_failures = 2\n\n[metrics]\nlisten = \"{}\"\n",
        socket.display()
    );
    let daemon = Daemon::start(&bus, &config);
    enroll_totp(&bus, "mfa-metrics-b", SECRET, 6, "SHA1", 30);
    let before = samples(&scrape_socket(&socket));
    let pam = PamStack::new(&bus, &daemon);
    let wrong = mfa_tests::wrong_code(SECRET, "SHA1", 6, 30);
    for _ in 0..3 {
        let (rc, t) = pam.login("mfa-metrics-b", &[&wrong]);
        assert_ne!(rc, codes::PAM_SUCCESS, "{t}");
    }
    let after = samples(&scrape_socket(&socket));
    assert_eq!(
        moved(&before, &after, "mfad_account_locks_total"),
        1.0,
        "{after:#?}\n{}",
        daemon.log()
    );
}

/// A port free now on 127.0.0.1.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

#[test]
fn a_flood_of_idle_connections_on_loopback_is_cut_off_and_cannot_keep_a_scrape_out() {
    let bus = Bus::start();
    let port = free_port();
    let daemon = Daemon::start(&bus, &format!("[metrics]\nlisten = \"127.0.0.1:{port}\"\n"));
    let url = format!("http://127.0.0.1:{port}/metrics");
    let first = curl(&[], &url).unwrap_or_else(|e| panic!("{e}\n{}", daemon.log()));
    assert!(
        daemon
            .log()
            .contains(&format!("metrics at 127.0.0.1:{port}"))
    );
    assert_eq!(samples(&first).get("mfad_open_sessions"), Some(&0.0));
    let mut idle: Vec<std::net::TcpStream> = (0..40)
        .filter_map(|_| std::net::TcpStream::connect(("127.0.0.1", port)).ok())
        .collect();
    assert_eq!(idle.len(), 40);
    std::thread::sleep(Duration::from_millis(2500));
    // The daemon closed every one of them, and answers the next scrape.
    for stream in &mut idle {
        stream
            .set_read_timeout(Some(Duration::from_secs(1)))
            .expect("timeout");
        let mut buf = [0u8; 16];
        assert!(
            matches!(stream.read(&mut buf), Ok(0) | Err(_)),
            "an idle connection outlived the deadline"
        );
    }
    assert!(curl(&[], &url).is_ok(), "scrape after the flood");
    let wrong_path = curl(&[], &format!("http://127.0.0.1:{port}/"));
    assert!(wrong_path.is_err_and(|e| e.contains("404")));
}

#[test]
fn check_config_refuses_a_metrics_address_other_than_loopback_naming_the_key_and_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("mfad.toml");
    std::fs::write(&path, "[daemon]\n\n[metrics]\nlisten = \"0.0.0.0:9464\"\n").expect("write");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let out = Command::new(&build_once().mfad)
        .arg("--check-config")
        .arg("--config")
        .arg(&path)
        .output()
        .expect("run mfad");
    let text = output_text(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("line 4")
            && text.contains("metrics.listen")
            && text.contains("not a loopback address"),
        "{text}"
    );
}
