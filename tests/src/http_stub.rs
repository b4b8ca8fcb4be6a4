//! A loopback HTTP server that records every request as it arrived (method, target, headers,
//! raw body) and answers from a queue of (status, body) replies, for gateways of kind "http".
//! It judges nothing itself: the tests assert on what it recorded.

use crate::loopback_http::{self, RawRequest};
use std::collections::VecDeque;
use std::net::TcpStream;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One request as received.
#[derive(Debug, Clone, Default)]
pub struct HttpRequest {
    pub method: String,
    /// Path and query, as sent (`/send?key=1&to=%2B31…`).
    pub target: String,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl HttpRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The decoded `name=value` pairs of the query string.
    pub fn query(&self) -> Vec<(String, String)> {
        self.target
            .split_once('?')
            .map(|(_, q)| decode_pairs(q))
            .unwrap_or_default()
    }

    /// The decoded pairs of a form body.
    pub fn form(&self) -> Vec<(String, String)> {
        decode_pairs(&self.body)
    }
}

/// How the stub answers one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HttpReply {
    /// This status and body.
    Status(u16, String),
    /// No answer at all (the client must time out).
    Hang,
}

#[derive(Clone)]
pub struct HttpStub {
    /// `http://127.0.0.1:PORT`
    pub base_url: String,
    /// The reply when the queue is empty.
    default: Arc<Mutex<HttpReply>>,
    replies: Arc<Mutex<VecDeque<HttpReply>>>,
    received: Arc<Mutex<Vec<HttpRequest>>>,
}

impl HttpStub {
    /// A stub answering `default` unless a queued reply says otherwise.
    pub fn start(default: HttpReply) -> HttpStub {
        let mut stub = HttpStub {
            base_url: String::new(),
            default: Arc::new(Mutex::new(default)),
            replies: Arc::default(),
            received: Arc::default(),
        };
        let server = stub.clone();
        stub.base_url = loopback_http::serve(move |request, stream| server.serve(request, stream));
        stub
    }

    /// Queue replies for the next requests.
    pub fn reply_with(&self, replies: &[HttpReply]) {
        self.replies
            .lock()
            .expect("replies")
            .extend(replies.iter().cloned());
    }

    pub fn received(&self) -> Vec<HttpRequest> {
        self.received.lock().expect("received").clone()
    }

    fn serve(&self, request: RawRequest, mut stream: TcpStream) {
        self.received.lock().expect("received").push(HttpRequest {
            body: request.body_text(),
            method: request.method,
            target: request.target,
            headers: request.headers,
        });
        let reply = self
            .replies
            .lock()
            .expect("replies")
            .pop_front()
            .unwrap_or_else(|| self.default.lock().expect("default").clone());
        let (status, body) = match reply {
            HttpReply::Status(status, body) => (status, body),
            HttpReply::Hang => {
                std::thread::sleep(Duration::from_secs(60));
                return;
            }
        };
        loopback_http::respond(&mut stream, status, "application/json", "", &body);
    }
}

fn decode_pairs(s: &str) -> Vec<(String, String)> {
    s.split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

/// `application/x-www-form-urlencoded` decoding (`+` is a space).
pub fn percent_decode(s: &str) -> String {
    let spaced = s.replace('+', " ");
    percent_encoding::percent_decode_str(&spaced)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_and_queries_are_decoded() {
        assert_eq!(
            decode_pairs("to=%2B316&text=a+%22b%22%3B"),
            vec![
                ("to".to_string(), "+316".to_string()),
                ("text".to_string(), "a \"b\";".to_string())
            ]
        );
        let r = HttpRequest {
            target: "/send?k=1&x=%24(id)".into(),
            ..Default::default()
        };
        assert_eq!(r.query()[1], ("x".to_string(), "$(id)".to_string()));
    }
}
