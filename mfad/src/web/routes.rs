//! What the listener answers: the call callbacks (form bodies, at most 16 KiB) and 404 for
//! everything else.

use crate::voice::GatewayVoice;
use crate::voice::callback::Hook;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use std::sync::Arc;

const MAX_BODY_BYTES: usize = 16 * 1024;

/// The routes for what is switched on (`voice` when calls are).
pub fn router(voice: Option<Arc<GatewayVoice>>) -> Router {
    let mut app = Router::new();
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
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return StatusCode::UNSUPPORTED_MEDIA_TYPE.into_response();
    }
    let params: Vec<(String, String)> = url::form_urlencoded::parse(body).into_owned().collect();
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
