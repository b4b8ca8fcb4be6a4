//! A loopback stand-in for an ntfy server's "publish as JSON" API (`POST /` with
//! `{"topic","message","title","priority","tags","click","actions"}`). It refuses what ntfy
//! refuses (bad JSON, a bad topic, a wrong Bearer token, a message over 4096 bytes, more than
//! 3 actions), optionally that a link points somewhere other than the daemon, and answers with
//! ntfy's message JSON. Every request is recorded; failures can be injected per request.
//! `GET /_stub/last-click` hands the last link to a browser driver outside this process.

use crate::loopback_http::{self, RawRequest, respond};
use serde_json::{Value, json};
use std::collections::VecDeque;
use std::net::TcpStream;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// ntfy's default message size limit (larger bodies become attachments there).
const MAX_MESSAGE_BYTES: usize = 4096;
/// ntfy allows at most this many action buttons per notification.
const MAX_ACTIONS: usize = 3;

/// How the stub answers the next well-formed publish (then the queue's next; `Accept` when empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NtfyReply {
    Accept,
    /// HTTP 429 (ntfy code 42901) with this Retry-After.
    TooManyRequests {
        retry_after: u32,
    },
    /// HTTP 500.
    ServerError,
    /// HTTP 200 with a body that is not JSON.
    Malformed,
    /// Never answers (the client must time out).
    Hang,
}

/// One action button as published.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NtfyAction {
    /// `view`, `http` or `broadcast`.
    pub action: String,
    pub label: String,
    pub url: String,
    /// For `http` actions (ntfy's default is POST).
    pub method: String,
    pub body: String,
}

/// One publish request as received.
#[derive(Debug, Clone, Default)]
pub struct NtfyMessage {
    pub path: String,
    pub authorization: String,
    pub content_type: String,
    pub topic: String,
    pub title: String,
    pub message: String,
    /// 0 when the request gave none (ntfy then uses 3).
    pub priority: u8,
    pub tags: Vec<String>,
    pub click: String,
    pub actions: Vec<NtfyAction>,
    /// The raw body, for assertions the fields above do not cover.
    pub raw: String,
    /// Why the stub refused it ("" when ntfy would have accepted it).
    pub problem: String,
    /// The id the stub gave it when it accepted it ("" otherwise).
    pub id: String,
}

#[derive(Clone)]
pub struct NtfyStub {
    pub base_url: String,
    token: Option<String>,
    expect_url_prefix: Arc<Mutex<Option<String>>>,
    replies: Arc<Mutex<VecDeque<NtfyReply>>>,
    received: Arc<Mutex<Vec<NtfyMessage>>>,
}

impl NtfyStub {
    /// A server that requires `Authorization: Bearer <token>` when `token` is given, else
    /// accepts anonymous publishes (ntfy's default open server).
    pub fn start(token: Option<&str>) -> NtfyStub {
        let mut stub = NtfyStub {
            base_url: String::new(),
            token: token.map(str::to_string),
            expect_url_prefix: Arc::default(),
            replies: Arc::default(),
            received: Arc::default(),
        };
        let server = stub.clone();
        stub.base_url = loopback_http::serve(move |request, stream| server.serve(request, stream));
        stub
    }

    /// Refuse (400) a publish whose `click` or `view`/`http` action URL does not start with
    /// `prefix` (the daemon's public URL): a link elsewhere would send the phone astray.
    pub fn expect_url_prefix(&self, prefix: &str) {
        *self.expect_url_prefix.lock().expect("prefix") = Some(prefix.to_string());
    }

    /// Queue how the next well-formed publishes are answered.
    pub fn reply_with(&self, replies: &[NtfyReply]) {
        self.replies
            .lock()
            .expect("replies")
            .extend(replies.iter().cloned());
    }

    /// Every publish request so far, refused ones included.
    pub fn messages(&self) -> Vec<NtfyMessage> {
        self.received.lock().expect("received").clone()
    }

    /// The publishes the stub accepted (what reached the phone).
    pub fn delivered(&self) -> Vec<NtfyMessage> {
        self.messages()
            .into_iter()
            .filter(|m| !m.id.is_empty())
            .collect()
    }

    /// The `click` link of the last delivered notification.
    pub fn last_click(&self) -> Option<String> {
        self.delivered()
            .pop()
            .map(|m| m.click)
            .filter(|c| !c.is_empty())
    }

    fn serve(&self, request: RawRequest, mut stream: TcpStream) {
        let (method, path) = (request.method.as_str(), request.target.clone());
        if method == "GET" && path == "/_stub/last-click" {
            let click = self.last_click().unwrap_or_default();
            respond(&mut stream, 200, "text/plain", "", &click);
            return;
        }
        let raw = request.body_text();
        let mut msg = parse_publish(&raw);
        msg.path = path;
        msg.authorization = request.header("authorization").to_string();
        msg.content_type = request.header("content-type").to_string();
        msg.raw = raw;
        let refusal = if method != "POST" && method != "PUT" {
            Some((405, 40501, format!("method {method} not allowed")))
        } else {
            self.check(&msg)
        };
        let reply = match &refusal {
            Some((_, _, problem)) => {
                msg.problem = problem.clone();
                None
            }
            None => Some(
                self.replies
                    .lock()
                    .expect("replies")
                    .pop_front()
                    .unwrap_or(NtfyReply::Accept),
            ),
        };
        let now = now_unix();
        if reply == Some(NtfyReply::Accept) {
            msg.id = message_id();
        }
        let accepted = json!({
            "id": msg.id, "time": now, "expires": now + 43200, "event": "message",
            "topic": msg.topic, "message": msg.message,
        })
        .to_string();
        self.received.lock().expect("received").push(msg);
        match (refusal, reply) {
            (Some((status, code, problem)), _) => respond(
                &mut stream,
                status,
                JSON,
                "",
                &ntfy_error(status, code, &problem),
            ),
            (None, Some(NtfyReply::Accept)) => respond(&mut stream, 200, JSON, "", &accepted),
            (None, Some(NtfyReply::TooManyRequests { retry_after })) => respond(
                &mut stream,
                429,
                JSON,
                &format!("Retry-After: {retry_after}\r\n"),
                &ntfy_error(429, 42901, "limit reached: too many requests"),
            ),
            (None, Some(NtfyReply::ServerError)) => respond(
                &mut stream,
                500,
                JSON,
                "",
                &ntfy_error(500, 50001, "internal server error"),
            ),
            (None, Some(NtfyReply::Malformed)) => {
                respond(&mut stream, 200, JSON, "", "<html>not json")
            }
            (None, Some(NtfyReply::Hang)) | (None, None) => {
                std::thread::sleep(Duration::from_secs(60))
            }
        }
    }

    /// What ntfy itself (and, if asked, the daemon's own link policy) would refuse: status,
    /// ntfy error code, and why.
    fn check(&self, m: &NtfyMessage) -> Option<(u16, u32, String)> {
        if let Some(token) = &self.token
            && m.authorization != format!("Bearer {token}")
        {
            return Some((401, 40101, "unauthorized".into()));
        }
        if m.path != "/" {
            return Some((
                400,
                40000,
                format!("publish as JSON goes to /, not {}", m.path),
            ));
        }
        if !m.problem.is_empty() {
            return Some((400, 40024, m.problem.clone()));
        }
        let topic_ok = (1..=64).contains(&m.topic.len())
            && m.topic
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !topic_ok {
            return Some((400, 40009, format!("invalid topic {:?}", m.topic)));
        }
        if m.message.len() > MAX_MESSAGE_BYTES {
            return Some((413, 41301, "message too large".into()));
        }
        if m.actions.len() > MAX_ACTIONS {
            return Some((400, 40018, "too many actions".into()));
        }
        if !(0..=5).contains(&m.priority) {
            return Some((400, 40007, "invalid priority".into()));
        }
        let prefix = self.expect_url_prefix.lock().expect("prefix").clone()?;
        let links = std::iter::once(m.click.as_str())
            .filter(|c| !c.is_empty())
            .chain(
                m.actions
                    .iter()
                    .filter(|a| a.action == "view" || a.action == "http")
                    .map(|a| a.url.as_str()),
            );
        for link in links {
            if !link.starts_with(&prefix) {
                return Some((400, 40000, format!("link {link:?} is not under {prefix}")));
            }
        }
        None
    }
}

const JSON: &str = "application/json";

/// ntfy's error body, fields in ntfy's own order.
fn ntfy_error(status: u16, code: u32, error: &str) -> String {
    let error = Value::from(error);
    format!(r#"{{"code":{code},"http":{status},"error":{error}}}"#)
}

/// The fields of a JSON publish; a body ntfy could not use leaves its reason in `problem`.
fn parse_publish(raw: &str) -> NtfyMessage {
    let mut m = NtfyMessage::default();
    let value: Value = match serde_json::from_str(raw) {
        Ok(v @ Value::Object(_)) => v,
        Ok(_) => {
            m.problem = "body is not a JSON object".into();
            return m;
        }
        Err(e) => {
            m.problem = format!("invalid JSON: {e}");
            return m;
        }
    };
    let text = |key: &str| value[key].as_str().unwrap_or_default().to_string();
    m.topic = text("topic");
    m.title = text("title");
    m.message = text("message");
    m.click = text("click");
    m.priority = match &value["priority"] {
        Value::Null => 0,
        // Out of range is kept out of range (6) so that check() refuses it.
        p => p.as_u64().map_or(6, |p| p.min(6) as u8),
    };
    m.tags = value["tags"]
        .as_array()
        .map(|tags| {
            tags.iter()
                .filter_map(|t| t.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    match &value["actions"] {
        Value::Null => {}
        Value::Array(actions) => {
            m.actions = actions
                .iter()
                .map(|a| NtfyAction {
                    action: a["action"].as_str().unwrap_or_default().into(),
                    label: a["label"].as_str().unwrap_or_default().into(),
                    url: a["url"].as_str().unwrap_or_default().into(),
                    method: a["method"].as_str().unwrap_or("POST").into(),
                    body: a["body"].as_str().unwrap_or_default().into(),
                })
                .collect();
            if let Some(bad) = m.actions.iter().find(|a| {
                !matches!(a.action.as_str(), "view" | "http" | "broadcast") || a.label.is_empty()
            }) {
                m.problem = format!("invalid action {bad:?}");
            }
        }
        _ => m.problem = "actions is not a list".into(),
    }
    if value["topic"].is_null() {
        m.problem = "topic missing".into();
    }
    m
}

fn now_unix() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// A 12-character id like ntfy's (unique enough for one test process).
fn message_id() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("{:08x}{:04x}", nanos, n & 0xffff)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    fn connect(stub: &NtfyStub) -> TcpStream {
        TcpStream::connect(stub.base_url.trim_start_matches("http://")).expect("connect")
    }

    fn publish(stub: &NtfyStub, auth: Option<&str>, body: &str) -> (u16, String) {
        let mut stream = connect(stub);
        let auth = auth
            .map(|a| format!("Authorization: {a}\r\n"))
            .unwrap_or_default();
        write!(
            stream,
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n{auth}Content-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .expect("write");
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("read");
        let status = response[9..12].parse().expect("status");
        let body = response.split("\r\n\r\n").nth(1).unwrap_or_default();
        (status, body.to_string())
    }

    #[test]
    fn accepts_what_ntfy_accepts_and_answers_with_the_message_json() {
        let stub = NtfyStub::start(Some("tk_abc"));
        stub.expect_url_prefix("https://mfa.example");
        let (status, body) = publish(
            &stub,
            Some("Bearer tk_abc"),
            r#"{"topic":"mfa-alice_1","message":"Sign in?","title":"Sign-in","priority":4,
               "tags":["lock"],"click":"https://mfa.example/push/t1",
               "actions":[{"action":"view","label":"Open","url":"https://mfa.example/push/t1"}]}"#,
        );
        assert_eq!(status, 200, "{body}");
        let reply: Value = serde_json::from_str(&body).expect("json reply");
        assert_eq!(reply["event"], "message");
        assert_eq!(reply["topic"], "mfa-alice_1");
        assert!(!reply["id"].as_str().unwrap_or_default().is_empty());
        let got = stub.messages().pop().expect("recorded");
        assert_eq!(got.tags, vec!["lock"]);
        assert_eq!(got.actions[0].method, "POST", "ntfy's default method");
        assert_eq!(
            stub.last_click().as_deref(),
            Some("https://mfa.example/push/t1")
        );
        // The same link for a browser driver in another process.
        let mut stream = connect(&stub);
        write!(stream, "GET /_stub/last-click HTTP/1.1\r\nHost: x\r\n\r\n").expect("write");
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("read");
        assert!(
            response.ends_with("\r\n\r\nhttps://mfa.example/push/t1"),
            "{response}"
        );
    }

    #[test]
    fn refuses_what_ntfy_refuses_and_links_elsewhere() {
        let stub = NtfyStub::start(Some("tk_abc"));
        stub.expect_url_prefix("https://mfa.example");
        let ok = Some("Bearer tk_abc");
        let cases = [
            (Some("Bearer tk_other"), r#"{"topic":"t"}"#.to_string(), 401),
            (None, r#"{"topic":"t"}"#.into(), 401),
            (ok, r#"{"topic":"t""#.into(), 400),
            (ok, r#"{"message":"no topic"}"#.into(), 400),
            (ok, r#"{"topic":"a/b"}"#.into(), 400),
            (ok, format!(r#"{{"topic":"{}"}}"#, "a".repeat(65)), 400),
            (ok, format!(r#"{{"topic":"t","message":"{}"}}"#, "x".repeat(4097)), 413),
            (
                ok,
                r#"{"topic":"t","actions":[{"action":"view","label":"1","url":"https://mfa.example/1"},
                   {"action":"view","label":"2","url":"https://mfa.example/2"},
                   {"action":"view","label":"3","url":"https://mfa.example/3"},
                   {"action":"view","label":"4","url":"https://mfa.example/4"}]}"#
                    .into(),
                400,
            ),
            (ok, r#"{"topic":"t","click":"https://evil.example/push/x"}"#.into(), 400),
            (
                ok,
                r#"{"topic":"t","actions":[{"action":"http","label":"Yes","url":"http://evil/x"}]}"#
                    .into(),
                400,
            ),
        ];
        for (auth, body, want) in &cases {
            let (status, reply) = publish(&stub, *auth, body);
            assert_eq!(status, *want, "{body} → {reply}");
        }
        let (_, unauthorized) = publish(&stub, None, r#"{"topic":"t"}"#);
        assert_eq!(
            unauthorized,
            r#"{"code":40101,"http":401,"error":"unauthorized"}"#
        );
        assert!(stub.messages().iter().all(|m| !m.problem.is_empty()));
        assert_eq!(stub.last_click(), None, "nothing was delivered");
    }

    #[test]
    fn injected_failures_come_in_order_then_accepts_again() {
        let stub = NtfyStub::start(None);
        stub.reply_with(&[
            NtfyReply::TooManyRequests { retry_after: 7 },
            NtfyReply::ServerError,
            NtfyReply::Malformed,
        ]);
        let body = r#"{"topic":"t","click":"http://127.0.0.1/push/x"}"#;
        assert_eq!(publish(&stub, None, body).0, 429);
        assert_eq!(publish(&stub, None, body).0, 500);
        assert_eq!(publish(&stub, None, body), (200, "<html>not json".into()));
        assert_eq!(publish(&stub, None, body).0, 200);
        assert_eq!(stub.delivered().len(), 1);
        // A hanging server answers nothing within any client's timeout.
        stub.reply_with(&[NtfyReply::Hang]);
        let mut stream = connect(&stub);
        stream
            .set_read_timeout(Some(Duration::from_millis(300)))
            .expect("timeout");
        write!(
            stream,
            "POST / HTTP/1.1\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .expect("write");
        assert!(stream.read(&mut [0u8; 16]).is_err(), "no answer");
        assert_eq!(
            stub.last_click().as_deref(),
            Some("http://127.0.0.1/push/x")
        );
    }
}
