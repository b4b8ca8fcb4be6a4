//! What the listener answers: the call callbacks and the push approval page (form bodies, at
//! most 16 KiB), and 404 for everything else. The page is sent with headers that forbid
//! scripts, framing, caching and referrers.

use crate::methods::push::gateway::GatewayPush;
use crate::methods::voice::gateway::GatewayVoice;
use crate::methods::voice::gateway::callback::Hook;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use std::sync::Arc;

pub(super) const MAX_BODY_BYTES: usize = 16 * 1024;

/// The routes for what is switched on (`voice` when calls are, `push` when push is).
pub fn router(voice: Option<Arc<GatewayVoice>>, push: Option<Arc<GatewayPush>>) -> Router {
    let mut app = Router::new();
    if let Some(push) = push {
        let page = Router::new()
            .route("/push/{token}", get(show_page).post(answer_page))
            .with_state(push);
        app = app.merge(page);
    }
    if let Some(voice) = voice {
        let calls = Router::new()
            .route("/twilio/voice/{token}", post(keypad))
            .route("/twilio/call-status/{token}", post(status))
            .with_state(voice);
        app = app.merge(calls);
    }
    app.layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
}

async fn keypad(
    State(voice): State<Arc<GatewayVoice>>,
    Path(token): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    call_callback(&voice, Hook::Keypad, &token, &headers, &body)
}

async fn status(
    State(voice): State<Arc<GatewayVoice>>,
    Path(token): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    call_callback(&voice, Hook::Status, &token, &headers, &body)
}

async fn show_page(State(push): State<Arc<GatewayPush>>, Path(token): Path<String>) -> Response {
    page_response(push.show(&token))
}

async fn answer_page(
    State(push): State<Arc<GatewayPush>>,
    Path(token): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form = super::form::parse(&body);
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    page_response(push.answer(&token, &form, origin).await)
}

fn page_response(reply: crate::methods::push::gateway::approval::PageReply) -> Response {
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::FORBIDDEN);
    let headers = [
        (header::CONTENT_TYPE, "text/html; charset=utf-8"),
        (
            header::CONTENT_SECURITY_POLICY,
            concat!(
                "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; ",
                "frame-ancestors 'none'; base-uri 'none'"
            ),
        ),
        (header::X_FRAME_OPTIONS, "DENY"),
        // Same-origin: the link (with its token) never leaves this site, and the form post
        // carries this site's Origin (with no-referrer, browsers send "null").
        (header::REFERRER_POLICY, "same-origin"),
        (header::CACHE_CONTROL, "no-store"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    ];
    (status, headers, reply.html).into_response()
}

fn call_callback(
    voice: &GatewayVoice,
    hook: Hook,
    token: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Response {
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(super::form::is_form);
    if !is_form {
        return StatusCode::UNSUPPORTED_MEDIA_TYPE.into_response();
    }
    let params = super::form::parse(body);
    let signature = headers
        .get("x-twilio-signature")
        .and_then(|v| v.to_str().ok());
    let reply = voice.callback(hook, token, &params, signature);
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::FORBIDDEN);
    if reply.twiml.is_empty() {
        return status.into_response();
    }
    (status, [(header::CONTENT_TYPE, "text/xml")], reply.twiml).into_response()
}
