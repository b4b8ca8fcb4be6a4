//! The daemon's HTTP listener (`[web]`): where providers call back (challenge calls now, the
//! push approval page later). TLS with the configured certificate, or plain HTTP behind a
//! reverse proxy (plain only on loopback, enforced by the config check).
//!
//! Bounded on every side, because anyone on the network may connect: a connection cap, a
//! handshake and header deadline, a whole-connection deadline, and small bodies.

pub mod form;
mod routes;
mod tls;

pub use routes::router;

use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;

const MAX_CONNECTIONS: usize = 256;
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
const CONNECTION_TIMEOUT: Duration = Duration::from_secs(60);

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

    /// Serves `app` until the daemon stops.
    pub async fn serve(self, app: axum::Router) {
        let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
        loop {
            let stream = match self.tcp.accept().await {
                Ok((stream, _)) => stream,
                Err(_) => {
                    // Out of descriptors and the like: wait instead of spinning.
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            };
            let Ok(slot) = slots.clone().try_acquire_owned() else {
                continue;
            };
            let (app, tls) = (app.clone(), self.tls.clone());
            tokio::spawn(async move {
                let _slot = slot;
                let service = TowerToHyperService::new(app);
                match tls {
                    Some(acceptor) => {
                        let handshake = acceptor.accept(stream);
                        if let Ok(Ok(stream)) =
                            tokio::time::timeout(HANDSHAKE_TIMEOUT, handshake).await
                        {
                            serve_connection(TokioIo::new(stream), service).await;
                        }
                    }
                    None => serve_connection(TokioIo::new(stream), service).await,
                }
            });
        }
    }
}

async fn serve_connection<I>(io: I, service: TowerToHyperService<axum::Router>)
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let connection = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT)
        .serve_connection(io, service);
    let _ = tokio::time::timeout(CONNECTION_TIMEOUT, connection).await;
}
