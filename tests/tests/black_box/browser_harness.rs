//! The browser harness itself, without the daemon: headless Chromium with JavaScript disabled
//! opens a static approval-like form served from loopback, types into it, submits it, and the
//! server receives exactly what was typed. If this fails, the push browser tests cannot be
//! trusted either way.

use mfa_tests::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

/// A page like the daemon's approval page. The script fills a hidden field: if it arrives
/// filled, JavaScript ran.
fn form_page(with_pin: bool) -> String {
    let pin = if with_pin {
        r#"<label>PIN <input id="pin" name="pin" type="password"></label>"#
    } else {
        ""
    };
    format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Approve sign-in</title></head>
<body><main><h1>Approve the sign-in?</h1><form method="post">
<input type="hidden" name="csrf" value="csrf-4711"><input type="hidden" id="js" name="js" value="">
<script>document.getElementById("js").value = "ran";</script>
<label>Number <input id="number" name="number" inputmode="numeric"></label>{pin}
<button id="verify" name="decision" value="approve">Approve</button>
<button id="deny" name="decision" value="deny">Deny</button>
<button id="report" name="decision" value="report">Deny — this wasn't me</button>
</form></main></body></html>"#
    )
}

/// A decoded form body, fields in the order sent.
type Form = Vec<(String, String)>;

/// What the loopback page server got and how it answers.
#[derive(Clone, Default)]
struct PageServer {
    url: String,
    with_pin: bool,
    /// Answer a POST with a page that has no `#result` (a broken page).
    no_result: bool,
    /// Every POSTed form, decoded.
    posts: Arc<Mutex<Vec<Form>>>,
    gets: Arc<Mutex<usize>>,
}

impl PageServer {
    fn start(with_pin: bool, no_result: bool) -> PageServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!(
            "http://{}/push/tok123",
            listener.local_addr().expect("address")
        );
        let server = PageServer {
            url,
            with_pin,
            no_result,
            ..PageServer::default()
        };
        let serving = server.clone();
        std::thread::spawn(move || {
            // One thread per connection: Chromium keeps idle preconnected sockets open.
            for stream in listener.incoming().flatten() {
                let serving = serving.clone();
                std::thread::spawn(move || serving.answer(stream));
            }
        });
        server
    }

    fn answer(&self, stream: std::net::TcpStream) {
        let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(10)));
        let mut reader = BufReader::new(stream);
        let mut request = String::new();
        let _ = reader.read_line(&mut request);
        let mut length = 0;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).is_err() || line.trim().is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; length];
        let _ = reader.read_exact(&mut body);
        let (status, html) = if request.starts_with("GET /push/tok123 ") {
            let mut gets = self.gets.lock().expect("gets");
            *gets += 1;
            if *gets == 1 {
                (200, form_page(self.with_pin))
            } else {
                (410, "<main><p>This link was already used</p></main>".into())
            }
        } else if request.starts_with("POST /push/tok123 ") {
            let form = decode_form(&String::from_utf8_lossy(&body));
            let decision = field(&form, "decision");
            let number = field(&form, "number");
            self.posts.lock().expect("posts").push(form);
            let id = if self.no_result { "other" } else { "result" };
            (
                200,
                format!(r#"<main><p id="{id}">Decision {decision}, number [{number}]</p></main>"#),
            )
        } else {
            (404, "not found".into())
        };
        let _ = write!(
            reader.get_mut(),
            "HTTP/1.1 {status} X\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{html}",
            html.len()
        );
    }

    fn posts(&self) -> Vec<Form> {
        self.posts.lock().expect("posts").clone()
    }
}

fn field(form: &[(String, String)], name: &str) -> String {
    form.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// `application/x-www-form-urlencoded`, as a browser sends it.
fn decode_form(body: &str) -> Form {
    let decode = |s: &str| {
        let bytes = s.replace('+', " ").into_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok());
            match (bytes[i], hex) {
                (b'%', Some(b)) => {
                    out.push(b);
                    i += 3;
                }
                (b, _) => {
                    out.push(b);
                    i += 1;
                }
            }
        }
        String::from_utf8_lossy(&out).into_owned()
    };
    body.split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (decode(k), decode(v))
        })
        .collect()
}

/// The width in a PNG's IHDR, or None when the file is not a PNG.
fn png_width(path: &std::path::Path) -> Option<u32> {
    let bytes = std::fs::read(path).ok()?;
    if !bytes.starts_with(b"\x89PNG\r\n\x1a\n") || bytes.len() < 24 {
        return None;
    }
    Some(u32::from_be_bytes(bytes[16..20].try_into().ok()?))
}

#[test]
fn a_form_submitted_without_javascript_reaches_the_server_with_what_was_typed() {
    let server = PageServer::start(true, false);
    let name = "harness-verify";
    let visit = visit_in_browser(
        &server.url,
        PageAction::Verify,
        Some("42"),
        Some("2468"),
        name,
        false,
    );
    assert_eq!(visit.result, "Decision approve, number [42]");
    assert_eq!(visit.fields, ["number", "pin"]);
    let posts = server.posts();
    assert_eq!(posts.len(), 1, "one submission");
    let form = &posts[0];
    assert_eq!(field(form, "number"), "42");
    assert_eq!(field(form, "pin"), "2468");
    assert_eq!(field(form, "decision"), "approve");
    assert_eq!(field(form, "csrf"), "csrf-4711", "hidden fields go along");
    assert_eq!(field(form, "js"), "", "the page's script must not have run");

    let dir = screenshot_dir();
    for (suffix, width) in [("phone-page", Some(390)), ("desktop-page", Some(1280))] {
        let path = dir.join(format!("{name}-{suffix}.png"));
        assert_eq!(png_width(&path), width, "{}", path.display());
    }
    assert!(png_width(&dir.join(format!("{name}-result.png"))).is_some());
}

#[test]
fn deny_and_report_press_their_own_buttons_and_no_pin_is_typed_where_none_is_asked() {
    for (action, decision) in [(PageAction::Deny, "deny"), (PageAction::Report, "report")] {
        let server = PageServer::start(false, false);
        let name = format!("harness-{decision}");
        let visit = visit_in_browser(&server.url, action, None, Some("2468"), &name, false);
        assert_eq!(visit.result, format!("Decision {decision}, number []"));
        assert_eq!(visit.fields, ["number"]);
        let form = &server.posts()[0];
        assert_eq!(field(form, "decision"), decision);
        assert!(form.iter().all(|(k, _)| k != "pin"), "{form:?}");
    }
}

#[test]
fn opening_the_link_again_after_answering_shows_what_the_server_says_then() {
    let server = PageServer::start(false, false);
    let visit = visit_in_browser(
        &server.url,
        PageAction::Verify,
        Some("07"),
        None,
        "harness-again",
        true,
    );
    assert_eq!(visit.result, "Decision approve, number [07]");
    assert_eq!(visit.again.as_deref(), Some("This link was already used"));
    assert_eq!(server.posts().len(), 1, "the reload does not submit again");
}

#[test]
#[should_panic(expected = "no #result after verify")]
fn a_page_without_a_result_is_a_harness_error_not_an_answer() {
    let server = PageServer::start(false, true);
    approve_in_browser(
        &server.url,
        PageAction::Verify,
        Some("42"),
        None,
        "harness-broken",
    );
}
