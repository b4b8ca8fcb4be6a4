//! One connection's life, with deadlines that free its slot: 5 s for the TLS handshake and the
//! request head (counted again from the end of each answered request), 5 s for the body (then
//! 408), 60 s in all; and it ends at once when a newcomer evicts it.

use super::slots::Slot;
use super::tally::{Tally, Turned};
use axum::body::Body;
use axum::http::{Request, Response, StatusCode, header};
use hyper::body::Incoming;
use hyper::service::Service;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpStream;

pub const HEADER_DEADLINE: Duration = Duration::from_secs(5);
pub const BODY_DEADLINE: Duration = Duration::from_secs(5);
pub const CONNECTION_DEADLINE: Duration = Duration::from_secs(60);

/// Serves `stream` until it closes, misses a deadline or is evicted.
pub async fn run(
    stream: TcpStream,
    tls: Option<tokio_rustls::TlsAcceptor>,
    app: axum::Router,
    slot: Slot,
    tally: Arc<Tally>,
) {
    let slot = Arc::new(slot);
    let serving = serve(stream, tls, app, slot.clone(), tally.clone());
    tokio::select! {
        _ = serving => {}
        _ = slot.evicted() => tally.note(Turned::Evicted),
        _ = header_deadline(&slot) => tally.note(Turned::HeaderDeadline),
        _ = tokio::time::sleep(CONNECTION_DEADLINE) => {}
    }
}

async fn serve(
    stream: TcpStream,
    tls: Option<tokio_rustls::TlsAcceptor>,
    app: axum::Router,
    slot: Arc<Slot>,
    tally: Arc<Tally>,
) {
    let service = hyper::service::service_fn(move |request| {
        handle(request, app.clone(), slot.clone(), tally.clone())
    });
    let http = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_DEADLINE)
        .clone();
    match tls {
        Some(acceptor) => {
            if let Ok(stream) = acceptor.accept(stream).await {
                let _ = http.serve_connection(TokioIo::new(stream), service).await;
            }
        }
        None => {
            let _ = http.serve_connection(TokioIo::new(stream), service).await;
        }
    }
}

/// Resolves when the connection has waited `HEADER_DEADLINE` for a request head (the
/// handshake included); never while a request is being answered.
async fn header_deadline(slot: &Slot) {
    loop {
        match slot.waiting_since() {
            Some(since)
                if crate::clock::now().saturating_duration_since(since) >= HEADER_DEADLINE =>
            {
                return;
            }
            Some(since) => tokio::time::sleep_until((since + HEADER_DEADLINE).into()).await,
            None => tokio::time::sleep(Duration::from_millis(500)).await,
        }
    }
}

/// Reads the body within `BODY_DEADLINE`, then lets the routes answer.
async fn handle(
    request: Request<Incoming>,
    app: axum::Router,
    slot: Arc<Slot>,
    tally: Arc<Tally>,
) -> Result<Response<Body>, Infallible> {
    slot.head_received();
    let _finished = Finished(&slot);
    let (parts, body) = request.into_parts();
    let reading = axum::body::to_bytes(Body::new(body), super::routes::MAX_BODY_BYTES);
    let bytes = match tokio::time::timeout(BODY_DEADLINE, reading).await {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(_)) => return Ok(refuse(StatusCode::PAYLOAD_TOO_LARGE)),
        Err(_) => {
            tally.note(Turned::BodyDeadline);
            return Ok(refuse(StatusCode::REQUEST_TIMEOUT));
        }
    };
    slot.request_started();
    let request = Request::from_parts(parts, Body::from(bytes));
    TowerToHyperService::new(app).call(request).await
}

fn refuse(status: StatusCode) -> Response<Body> {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = status;
    // The rest of the body may still be on its way: do not read it as the next request.
    response.headers_mut().insert(
        header::CONNECTION,
        header::HeaderValue::from_static("close"),
    );
    response
}

/// Marks the request answered however `handle` returns.
struct Finished<'a>(&'a Slot);

impl Drop for Finished<'_> {
    fn drop(&mut self) {
        self.0.request_finished();
    }
}
