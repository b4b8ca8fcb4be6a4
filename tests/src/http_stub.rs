//! A loopback HTTP server that records every request as it arrived (method, target, headers,
//! raw body) and answers from a queue of (status, body) replies, for gateways of kind "http".
//! It judges nothing itself: the tests assert on what it recorded.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
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
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind http stub");
        let base_url = format!("http://{}", listener.local_addr().expect("stub address"));
        let stub = HttpStub {
            base_url,
            default: Arc::new(Mutex::new(default)),
            replies: Arc::default(),
            received: Arc::default(),
        };
        let server = stub.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let server = server.clone();
                std::thread::spawn(move || server.serve(stream));
            }
        });
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

    fn serve(&self, stream: TcpStream) {
        let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
        let mut reader = BufReader::new(stream);
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).is_err() {
            return;
        }
        let mut words = request_line.split_whitespace();
        let method = words.next().unwrap_or_default().to_string();
        let target = words.next().unwrap_or_default().to_string();
        let mut headers = Vec::new();
        let mut length = 0usize;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).is_err() || line.trim().is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                let (name, value) = (name.trim().to_ascii_lowercase(), value.trim().to_string());
                if name == "content-length" {
                    length = value.parse().unwrap_or(0);
                }
                headers.push((name, value));
            }
        }
        let mut body = vec![0u8; length.min(1 << 20)];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        self.received.lock().expect("received").push(HttpRequest {
            method,
            target,
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
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
        let mut stream = reader.into_inner();
        let _ = write!(
            stream,
            "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
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
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
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
