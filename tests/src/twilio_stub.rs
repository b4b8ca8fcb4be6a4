//! A loopback stand-in for Twilio's Messages and Calls APIs that checks what Twilio checks (the
//! account path, Basic auth, a form body, an E.164 `To`, `From`, and `Body` for a text, `Twiml`
//! with a `<Gather action>` and a `StatusCallback` for a call) and answers in Twilio's format.
//! Every request is recorded; failures can be injected per request. `twilio_phone` plays the
//! callee of a placed call.

use crate::loopback_http::{self, RawRequest, respond};
use std::collections::VecDeque;
use std::net::TcpStream;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How the stub answers the next request (then the queue's next; `Accept` when empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    Accept,
    /// HTTP 429 with Twilio code 20429 and this Retry-After.
    TooManyRequests {
        retry_after: u32,
    },
    /// HTTP 500.
    ServerError,
    /// A Twilio error body: e.g. 400 + 21211 (invalid number), 30450 (pumping block).
    TwilioError {
        status: u16,
        code: u32,
    },
    /// HTTP 201 with a body that is not JSON.
    Malformed,
    /// Never answers (the client must time out).
    Hang,
}

/// One request as received.
#[derive(Debug, Clone, Default)]
pub struct Received {
    pub path: String,
    pub authorization: String,
    pub content_type: String,
    pub form: Vec<(String, String)>,
    /// Why the stub refused it ("" when it looked like a valid Twilio request).
    pub problem: String,
    /// The SID the stub gave it when it accepted it ("" otherwise).
    pub sid: String,
}

impl Received {
    pub fn field(&self, name: &str) -> Option<&str> {
        self.form
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Clone)]
pub struct TwilioStub {
    pub base_url: String,
    pub account_sid: String,
    pub auth_token: String,
    replies: Arc<Mutex<VecDeque<Reply>>>,
    received: Arc<Mutex<Vec<Received>>>,
}

impl TwilioStub {
    pub fn start(account_sid: &str, auth_token: &str) -> TwilioStub {
        let mut stub = TwilioStub {
            base_url: String::new(),
            account_sid: account_sid.into(),
            auth_token: auth_token.into(),
            replies: Arc::default(),
            received: Arc::default(),
        };
        let server = stub.clone();
        stub.base_url = loopback_http::serve(move |request, stream| server.serve(request, stream));
        stub
    }

    /// Queue how the next requests are answered.
    pub fn reply_with(&self, replies: &[Reply]) {
        self.replies
            .lock()
            .expect("replies")
            .extend(replies.iter().cloned());
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().expect("received").clone()
    }

    /// The last code texted (the first run of digits of at least 6 in the last accepted body).
    pub fn last_code(&self) -> Option<String> {
        let body = self.accepted_bodies().pop()?;
        body.split(|c: char| !c.is_ascii_digit())
            .find(|run| run.len() >= 6)
            .map(str::to_string)
    }

    /// The bodies of the messages accepted so far.
    pub fn accepted_bodies(&self) -> Vec<String> {
        self.received()
            .iter()
            .filter(|r| r.problem.is_empty())
            .filter_map(|r| r.field("Body").map(str::to_string))
            .collect()
    }

    fn serve(&self, request: RawRequest, mut stream: TcpStream) {
        if request.method == "GET" && request.target.starts_with("/_stub/last-code") {
            let code = self.last_code().unwrap_or_default();
            respond(&mut stream, 200, "text/plain", "", &code);
            return;
        }
        let form = parse_form(&request.body_text());
        let (path, authorization, content_type) = (
            request.target.clone(),
            request.header("authorization").to_string(),
            request.header("content-type").to_string(),
        );
        let mut received = Received {
            path,
            authorization,
            content_type,
            form,
            problem: String::new(),
            sid: String::new(),
        };
        received.problem = self.check(&received);
        let reply = if received.problem.is_empty() {
            self.replies
                .lock()
                .expect("replies")
                .pop_front()
                .unwrap_or(Reply::Accept)
        } else {
            Reply::TwilioError {
                status: 400,
                code: 21604,
            }
        };
        let problem = received.problem.clone();
        let is_call = received.path.ends_with("/Calls.json");
        let sid_prefix = if is_call { "CA" } else { "SM" };
        let sid = format!("{sid_prefix}{:032x}", rand_u128());
        if reply == Reply::Accept {
            received.sid = sid.clone();
        }
        self.received.lock().expect("received").push(received);
        let (status, extra, body) = match reply {
            Reply::Accept => (
                201,
                String::new(),
                format!(r#"{{"sid":"{sid}","status":"queued","error_code":null}}"#),
            ),
            Reply::TooManyRequests { retry_after } => (
                429,
                format!("Retry-After: {retry_after}\r\n"),
                twilio_error(429, 20429, "Too Many Requests"),
            ),
            Reply::ServerError => (500, String::new(), "internal error".into()),
            Reply::TwilioError { status, code } => (
                status,
                String::new(),
                twilio_error(
                    status,
                    code,
                    if problem.is_empty() {
                        "error"
                    } else {
                        &problem
                    },
                ),
            ),
            Reply::Malformed => (201, String::new(), "<html>not json".into()),
            Reply::Hang => {
                std::thread::sleep(Duration::from_secs(60));
                return;
            }
        };
        respond(&mut stream, status, "application/json", &extra, &body);
    }

    /// What Twilio itself would refuse.
    fn check(&self, r: &Received) -> String {
        let account = format!("/2010-04-01/Accounts/{}/", self.account_sid);
        let resource = r.path.strip_prefix(&account).unwrap_or_default();
        let expected_auth = format!(
            "Basic {}",
            base64(format!("{}:{}", self.account_sid, self.auth_token).as_bytes())
        );
        let e164 = |v: Option<&str>| {
            v.is_some_and(|n| {
                n.starts_with('+')
                    && (8..=16).contains(&n.len())
                    && n[1..].bytes().all(|b| b.is_ascii_digit())
            })
        };
        if resource != "Messages.json" && resource != "Calls.json" {
            format!("wrong path {}", r.path)
        } else if r.authorization != expected_auth {
            "wrong credentials".into()
        } else if !r
            .content_type
            .starts_with("application/x-www-form-urlencoded")
        {
            format!("wrong content type {}", r.content_type)
        } else if !e164(r.field("To")) {
            "To is not E.164".into()
        } else if r.field("From").is_none_or(str::is_empty) {
            "no From".into()
        } else if resource == "Messages.json" && r.field("Body").is_none_or(str::is_empty) {
            "no Body".into()
        } else if resource == "Calls.json" {
            check_call(r)
        } else {
            String::new()
        }
    }
}

/// A call needs TwiML whose `<Gather>` posts somewhere, and (for this daemon) a status callback
/// with the events that report an unanswered call.
fn check_call(r: &Received) -> String {
    let twiml = r.field("Twiml").unwrap_or_default();
    let events: Vec<&str> = r
        .form
        .iter()
        .filter(|(k, _)| k == "StatusCallbackEvent")
        .map(|(_, v)| v.as_str())
        .collect();
    if !twiml.starts_with("<Response>") || !twiml.contains("<Gather ") {
        "Twiml has no <Gather>".into()
    } else if crate::twilio_phone::attribute(twiml, "action").is_none() {
        "Gather has no action".into()
    } else if r.field("StatusCallback").is_none_or(str::is_empty) {
        "no StatusCallback".into()
    } else if !events.contains(&"completed") {
        "StatusCallbackEvent lacks completed".into()
    } else {
        String::new()
    }
}

fn twilio_error(status: u16, code: u32, message: &str) -> String {
    format!(
        r#"{{"code":{code},"message":"{message}","more_info":"https://www.twilio.com/docs/errors/{code}","status":{status}}}"#
    )
}

fn rand_u128() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}

fn parse_form(body: &str) -> Vec<(String, String)> {
    body.split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (crate::percent_decode(k), crate::percent_decode(v))
        })
        .collect()
}

pub(crate) fn base64(bytes: &[u8]) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(TABLE[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_bodies_and_basic_auth_are_decoded_like_twilio_does() {
        assert_eq!(
            parse_form("To=%2B31612345678&Body=Your+code+is+123456"),
            vec![
                ("To".to_string(), "+31612345678".to_string()),
                ("Body".to_string(), "Your code is 123456".to_string())
            ]
        );
        assert_eq!(base64(b"AC123:secret"), "QUMxMjM6c2VjcmV0");
        assert_eq!(base64(b"a"), "YQ==");
    }
}
