//! The daemon's HTTP listener (`[web]`): where providers call back and users answer push
//! approvals, on the routes the methods contribute (`Method::start`). TLS with the configured
//! certificate, or plain HTTP behind a reverse proxy (plain only on loopback, enforced by the
//! config check).
//!
//! Bounded on every side, because anyone on the network may connect: connection slots with a
//! per-client share (slots.rs), handshake, header, body and whole-connection deadlines
//! (connection.rs), small bodies, and refusals logged in summary (tally.rs).

mod connection;
pub mod form;
mod routes;
mod slots;
mod tally;
mod tls;

pub use routes::router;

use crate::audit::Audit;
use slots::{Refusal, Slots};
use std::sync::Arc;
use std::time::Duration;
use tally::{Tally, Turned};
use tokio::net::TcpListener;

/// A bound listener, ready to serve.
pub struct Listener {
    tcp: TcpListener,
    tls: Option<tokio_rustls::TlsAcceptor>,
}

impl Listener {
    /// Binds `[web] listen` and loads the certificate; the error says which part failed.
    pub async fn bind(config: &crate::config::WebConfig) -> Result<Option<Listener>, String> {
        let Some(addr) = config.listen else {
            return Ok(None);
        };
        let tls = match (&config.tls_cert, &config.tls_key) {
            (Some(cert), Some(key)) => Some(tls::acceptor(cert, key)?),
            _ => None,
        };
        let tcp = TcpListener::bind(addr)
            .await
            .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
        Ok(Some(Listener { tcp, tls }))
    }

    pub fn local_addr(&self) -> Option<std::net::SocketAddr> {
        self.tcp.local_addr().ok()
    }

    /// Serves `app` until the daemon stops; refusals are summarised to `audit`'s log.
    pub async fn serve(self, app: axum::Router, audit: Option<Arc<Audit>>) {
        let slots = Slots::default();
        let tally = Arc::new(Tally::new(audit));
        loop {
            let (stream, peer) = match self.tcp.accept().await {
                Ok(accepted) => accepted,
                Err(_) => {
                    // Out of descriptors and the like: wait instead of spinning.
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            };
            let slot = match slots.admit(peer.ip()) {
                Ok(slot) => slot,
                Err(refusal) => {
                    tally.note(match refusal {
                        Refusal::ClientFull => Turned::ClientFull,
                        Refusal::AllBusy => Turned::AllBusy,
                    });
                    continue;
                }
            };
            let (app, tls, tally) = (app.clone(), self.tls.clone(), tally.clone());
            tokio::spawn(connection::run(stream, tls, app, slot, tally));
        }
    }
}
