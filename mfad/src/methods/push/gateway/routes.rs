//! The approval page the web listener answers for push (`/push/{token}`), sent with headers
//! that forbid scripts, framing, caching and referrers.

use super::GatewayPush;
use super::approval::PageReply;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::sync::Arc;

/// The page a push notification links to: shown by `GET`, answered by `POST`.
pub fn routes(push: Arc<GatewayPush>) -> Router {
    Router::new()
        .route("/push/{token}", get(show_page).post(answer_page))
        .with_state(push)
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
    let form = crate::web::form::parse(&body);
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    page_response(push.answer(&token, &form, origin).await)
}

fn page_response(reply: PageReply) -> Response {
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
