//! The HTTP side shared by the `twilio` and `http` kinds: one client without proxies or
//! redirects, every exchange (connect, send, whole response body) bounded by a deadline, bodies
//! capped at 64 KiB, and one retry after a 429 whose `Retry-After` ends before the deadline.
//!
//! Errors are described without the URL: an `http` gateway with `body = "query"` carries the
//! message and the code in it.

use std::time::Duration;

use reqwest::header::RETRY_AFTER;
use reqwest::{Client, RequestBuilder, StatusCode};
use tokio::time::Instant;

use super::outcome::Outcome;

/// The most of a response body that is read.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// A response, read within the deadline.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub retry_after: Option<Duration>,
    /// At most [`MAX_BODY_BYTES`].
    pub body: Vec<u8>,
    /// The body was longer than [`MAX_BODY_BYTES`]; the rest was not read.
    pub truncated: bool,
}

/// The client every gateway shares.
pub fn client() -> Result<Client, String> {
    Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("mfad/", env!("CARGO_PKG_VERSION")))
        .pool_idle_timeout(Duration::from_secs(30))
        .build()
        .map_err(|e| format!("cannot set up the HTTP client: {e}"))
}

/// Sends the request `build` makes, within `timeout`. On a 429 whose `Retry-After` ends early
/// enough to leave time for another try, waits and sends it once more; otherwise returns the
/// 429 for the caller to classify (and move on).
pub async fn exchange(
    build: impl Fn() -> RequestBuilder,
    timeout: Duration,
) -> Result<Reply, Outcome> {
    let deadline = Instant::now() + timeout;
    let reply = once(build(), deadline, timeout).await?;
    if reply.status != StatusCode::TOO_MANY_REQUESTS {
        return Ok(reply);
    }
    let Some(wait) = reply.retry_after else {
        return Ok(reply);
    };
    // Leave the retry some time of its own: honour the wait only if it ends before 3/4 of the
    // remaining time has gone.
    let left = deadline.saturating_duration_since(Instant::now());
    if wait >= left.mul_f64(0.75) {
        return Ok(reply);
    }
    tokio::time::sleep(wait).await;
    once(build(), deadline, timeout).await
}

async fn once(
    request: RequestBuilder,
    deadline: Instant,
    timeout: Duration,
) -> Result<Reply, Outcome> {
    let work = async {
        let mut response = request.send().await.map_err(describe)?;
        let status = response.status();
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let mut body = Vec::new();
        let mut truncated = false;
        while let Some(chunk) = response.chunk().await.map_err(describe)? {
            let room = MAX_BODY_BYTES - body.len();
            if chunk.len() > room {
                body.extend_from_slice(&chunk[..room]);
                truncated = true;
                break;
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Reply {
            status,
            retry_after,
            body,
            truncated,
        })
    };
    match tokio::time::timeout_at(deadline, work).await {
        Ok(result) => result,
        Err(_) => Err(Outcome::Transient(format!(
            "no complete answer within the timeout ({} s)",
            timeout.as_secs()
        ))),
    }
}

/// A transport error, without the URL.
fn describe(e: reqwest::Error) -> Outcome {
    let what = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "cannot connect"
    } else if e.is_body() || e.is_decode() {
        "the response broke off"
    } else if e.is_request() {
        "the request failed"
    } else {
        "HTTP error"
    };
    Outcome::Transient(what.to_owned())
}

/// The usual sorting of an HTTP status that is not a success: 429, 408 and 5xx are passing;
/// 401 and 403 are credentials; anything else is our configuration.
pub fn status_outcome(status: StatusCode) -> Outcome {
    let code = status.as_u16();
    if status == StatusCode::TOO_MANY_REQUESTS
        || status == StatusCode::REQUEST_TIMEOUT
        || status.is_server_error()
    {
        Outcome::Transient(format!("HTTP {code}"))
    } else if status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN {
        Outcome::ConfigOrAuth(format!("HTTP {code}: credentials refused"))
    } else if status.is_redirection() {
        Outcome::ConfigOrAuth(format!("HTTP {code}: redirects are not followed"))
    } else {
        Outcome::ConfigOrAuth(format!("HTTP {code}"))
    }
}
