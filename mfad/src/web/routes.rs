//! What the listener answers: the routes the methods contribute (call callbacks, the push
//! approval page; form bodies, at most 16 KiB), and 404 for everything else.

use axum::Router;
use axum::extract::DefaultBodyLimit;

pub(super) const MAX_BODY_BYTES: usize = 16 * 1024;

/// One router of every method's routes (see `Method::start`).
pub fn router(pieces: Vec<Router>) -> Router {
    pieces
        .into_iter()
        .fold(Router::new(), Router::merge)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
}
