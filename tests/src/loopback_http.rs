//! What the loopback stand-ins (Twilio, ntfy, generic HTTP gateways) share: a listener on
//! 127.0.0.1 that serves each connection on its own thread, one HTTP/1.1 request read from it
//! (header names in lower case, the body by `Content-Length`, bounded), and a response written
//! back with `Connection: close`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

/// One request as it arrived.
#[derive(Debug, Clone, Default)]
pub struct RawRequest {
    pub method: String,
    /// Path and query, as sent.
    pub target: String,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RawRequest {
    /// The header's value, or "" when it was not sent.
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Starts a listener on a free loopback port; `handle` gets each request and its connection.
/// Returns the base URL (`http://127.0.0.1:PORT`).
pub fn serve(handle: impl Fn(RawRequest, TcpStream) + Clone + Send + 'static) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback stub");
    let base_url = format!("http://{}", listener.local_addr().expect("stub address"));
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let handle = handle.clone();
            std::thread::spawn(move || {
                if let Some((request, stream)) = read_request(stream) {
                    handle(request, stream);
                }
            });
        }
    });
    base_url
}

/// Reads one request; `None` when the client sent something unreadable or too little.
fn read_request(stream: TcpStream) -> Option<(RawRequest, TcpStream)> {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(stream);
    let mut request_line = String::new();
    reader.read_line(&mut request_line).ok()?;
    let mut words = request_line.split_whitespace();
    let method = words.next().unwrap_or_default().to_string();
    let target = words.next().unwrap_or_default().to_string();
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).is_err() || line.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
    }
    let mut request = RawRequest {
        method,
        target,
        headers,
        body: Vec::new(),
    };
    let length: usize = request.header("content-length").parse().unwrap_or(0);
    // Only bounds memory: every real body here is far smaller.
    let mut body = vec![0u8; length.min(1 << 20)];
    reader.read_exact(&mut body).ok()?;
    request.body = body;
    Some((request, reader.into_inner()))
}

/// Writes a whole response; `extra` holds more header lines, each ending in `\r\n`.
pub fn respond(stream: &mut TcpStream, status: u16, content_type: &str, extra: &str, body: &str) {
    let response = format!(
        "HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n{extra}Connection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(response.as_bytes());
}
