//! A loopback HTTP stub: records every request (method, path, query, headers, body) and answers
//! as the test says, with failure injection (status, body, headers such as `Retry-After`,
//! a delay beyond the client's timeout). `twilio()` wraps an answer in the checks Twilio makes.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, Method, Response, StatusCode, Uri};
use base64::Engine;
use tokio::net::TcpListener;

/// One request as the stub saw it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body as `application/x-www-form-urlencoded` pairs, in order.
    pub fn form(&self) -> Vec<(String, String)> {
        url::form_urlencoded::parse(&self.body)
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    }

    /// One form field (the first of that name).
    pub fn field(&self, name: &str) -> Option<String> {
        self.form()
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }

    /// The query string as pairs.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        url::form_urlencoded::parse(self.query.as_deref().unwrap_or("").as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    }

    /// The user and password of a Basic `Authorization` header.
    pub fn basic_auth(&self) -> Option<(String, String)> {
        let b64 = self.header("authorization")?.strip_prefix("Basic ")?;
        let raw = base64::engine::general_purpose::STANDARD.decode(b64).ok()?;
        let text = String::from_utf8(raw).ok()?;
        let (user, password) = text.split_once(':')?;
        Some((user.to_owned(), password.to_owned()))
    }
}

/// What the stub answers.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Wait this long before answering at all.
    pub delay: Duration,
}

impl Reply {
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: body.into(),
            delay: Duration::ZERO,
        }
    }

    pub fn json(status: u16, value: serde_json::Value) -> Reply {
        Reply::new(status, value.to_string()).header("content-type", "application/json")
    }

    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn delayed(mut self, delay: Duration) -> Reply {
        self.delay = delay;
        self
    }
}

/// Decides the answer to the `n`th request (0-based).
pub type Responder = dyn Fn(&Recorded, usize) -> Reply + Send + Sync;

struct Inner {
    seen: Mutex<Vec<Recorded>>,
    respond: Box<Responder>,
}

/// A running stub on 127.0.0.1; stops when dropped.
pub struct Stub {
    /// `http://127.0.0.1:PORT`
    pub url: String,
    inner: Arc<Inner>,
    task: tokio::task::JoinHandle<()>,
}

impl Stub {
    pub async fn start(
        respond: impl Fn(&Recorded, usize) -> Reply + Send + Sync + 'static,
    ) -> Stub {
        let inner = Arc::new(Inner {
            seen: Mutex::new(Vec::new()),
            respond: Box::new(respond),
        });
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("bind: {e}"));
        let port = listener
            .local_addr()
            .unwrap_or_else(|e| panic!("addr: {e}"))
            .port();
        let app = Router::new().fallback(handle).with_state(inner.clone());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Stub {
            url: format!("http://127.0.0.1:{port}"),
            inner,
            task,
        }
    }

    /// Every request so far, in order.
    pub fn requests(&self) -> Vec<Recorded> {
        self.inner
            .seen
            .lock()
            .map(|s| s.clone())
            .unwrap_or_default()
    }
}

impl Drop for Stub {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn handle(
    State(inner): State<Arc<Inner>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response<Body> {
    let recorded = Recorded {
        method: method.to_string(),
        path: uri.path().to_owned(),
        query: uri.query().map(str::to_owned),
        headers,
        body: body.to_vec(),
    };
    let n = {
        let mut seen = inner.seen.lock().unwrap_or_else(|e| e.into_inner());
        seen.push(recorded.clone());
        seen.len() - 1
    };
    let reply = (inner.respond)(&recorded, n);
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    let mut response = Response::builder()
        .status(StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR));
    for (k, v) in &reply.headers {
        response = response.header(k, v);
    }
    response
        .body(Body::from(reply.body))
        .unwrap_or_else(|e| panic!("stub response: {e}"))
}

/// A Twilio-shaped error body: `{code, message, more_info, status}`.
pub fn twilio_error(status: u16, code: u32, message: &str) -> Reply {
    Reply::json(
        status,
        serde_json::json!({
            "code": code,
            "message": message,
            "more_info": format!("https://www.twilio.com/docs/errors/{code}"),
            "status": status,
        }),
    )
}

/// Twilio's 201 for a created message or call.
pub fn twilio_created(sid: &str) -> Reply {
    Reply::json(
        201,
        serde_json::json!({
            "sid": sid,
            "status": "queued",
            "error_code": null,
            "error_message": null,
        }),
    )
}

/// Answers like Twilio's Messages and Calls endpoints for account `sid` with token `token`:
/// checks the path, Basic auth, content type, an E.164 `To`, `From`, and `Body` (texts) or
/// `Twiml` (calls), and Twilio's magic test numbers; then asks `then` (for failure injection),
/// or answers 201 with a new sid.
pub fn twilio(
    sid: &'static str,
    token: &'static str,
    then: impl Fn(&Recorded, usize) -> Option<Reply> + Send + Sync + 'static,
) -> impl Fn(&Recorded, usize) -> Reply + Send + Sync + 'static {
    move |req, n| {
        if let Some(error) = twilio_checks(req, sid, token) {
            return error;
        }
        if let Some(reply) = then(req, n) {
            return reply;
        }
        if req.path.ends_with("/Calls.json") {
            twilio_created(&format!("CA{:032x}", n + 1))
        } else {
            twilio_created(&format!("SM{:032x}", n + 1))
        }
    }
}

fn twilio_checks(req: &Recorded, sid: &str, token: &str) -> Option<Reply> {
    let messages = format!("/2010-04-01/Accounts/{sid}/Messages.json");
    let calls = format!("/2010-04-01/Accounts/{sid}/Calls.json");
    if req.method != "POST" || (req.path != messages && req.path != calls) {
        return Some(twilio_error(
            404,
            20404,
            "The requested resource was not found",
        ));
    }
    if req.basic_auth() != Some((sid.to_owned(), token.to_owned())) {
        return Some(twilio_error(401, 20003, "Authenticate"));
    }
    let content_type = req.header("content-type").unwrap_or("");
    if content_type != "application/x-www-form-urlencoded" {
        return Some(twilio_error(400, 99999, "stub: expected a form body"));
    }
    let Some(to) = req.field("To") else {
        return Some(twilio_error(400, 21604, "A 'To' phone number is required."));
    };
    if req.field("From").is_none_or(|f| f.is_empty()) {
        return Some(twilio_error(
            400,
            21603,
            "A 'From' phone number is required.",
        ));
    }
    if req.path == messages && req.field("Body").is_none_or(|b| b.is_empty()) {
        return Some(twilio_error(400, 21602, "Message body is required."));
    }
    if req.path == calls && req.field("Twiml").is_none_or(|b| b.is_empty()) {
        return Some(twilio_error(400, 21205, "Url parameter is required."));
    }
    if !crate::config::is_e164(&to) {
        return Some(twilio_error(
            400,
            21211,
            "The 'To' number is not a valid phone number.",
        ));
    }
    // Twilio's magic test numbers.
    match to.as_str() {
        "+15005550001" => Some(twilio_error(
            400,
            21211,
            "The 'To' number is not a valid phone number.",
        )),
        "+15005550003" => Some(twilio_error(
            400,
            21408,
            "Permission to send an SMS has not been enabled for the region",
        )),
        "+15005550004" => Some(twilio_error(
            400,
            21610,
            "Attempt to send to unsubscribed recipient",
        )),
        "+15005550009" => Some(twilio_error(
            400,
            21614,
            "'To' number is not a valid mobile number",
        )),
        _ => None,
    }
}
