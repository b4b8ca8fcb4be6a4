//! A minimal HTTP/1.1 client for the daemon's loopback web listener: what a provider's callback
//! or a phone's browser sends, with the headers the test chooses.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// A response as received.
#[derive(Debug, Clone, Default)]
pub struct WebResponse {
    pub status: u16,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl WebResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// `GET url` (`http://` on loopback).
pub fn web_get(url: &str) -> WebResponse {
    request("GET", url, &[], "")
}

/// `POST url` with a form body and extra `headers`.
pub fn web_post_form(
    url: &str,
    params: &[(String, String)],
    headers: &[(&str, &str)],
) -> WebResponse {
    let body: String = params
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let mut all = vec![("Content-Type", "application/x-www-form-urlencoded")];
    all.extend_from_slice(headers);
    request("POST", url, &all, &body)
}

fn request(method: &str, url: &str, headers: &[(&str, &str)], body: &str) -> WebResponse {
    let rest = url.strip_prefix("http://").expect("a loopback http:// URL");
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let mut stream = TcpStream::connect(host).expect("connect to the daemon's listener");
    let _ = stream.set_read_timeout(Some(Duration::from_secs(20)));
    let extra: String = headers
        .iter()
        .map(|(k, v)| format!("{k}: {v}\r\n"))
        .collect();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\n{extra}Content-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).expect("send");
    let mut raw = String::new();
    let _ = stream.read_to_string(&mut raw);
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    WebResponse {
        status,
        headers,
        body: body.to_string(),
    }
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
