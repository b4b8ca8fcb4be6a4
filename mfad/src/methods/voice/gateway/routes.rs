//! The call callbacks the web listener answers for voice (`/twilio/…/{token}`, signed form
//! posts from the provider).

use super::GatewayVoice;
use super::callback::Hook;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use std::sync::Arc;

/// The provider's keypad and call-status callbacks.
pub fn routes(voice: Arc<GatewayVoice>) -> Router {
    Router::new()
        .route("/twilio/voice/{token}", post(keypad))
        .route("/twilio/call-status/{token}", post(status))
        .with_state(voice)
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
        .is_some_and(crate::web::form::is_form);
    if !is_form {
        return StatusCode::UNSUPPORTED_MEDIA_TYPE.into_response();
    }
    let params = crate::web::form::parse(body);
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
