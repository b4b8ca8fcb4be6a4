//! The endpoint: `GET /metrics` on a loopback port or a Unix socket, one request per
//! connection. Bounded like the web listener, in a simpler way since only this host can reach
//! it: 8 connections at once (a ninth is closed at once), a request head of at most 4 KiB, and
//! 2 s for the whole exchange, so a slow or flooding client costs a few slots, never the daemon.

use super::exposition::CONTENT_TYPE;
use crate::config::{MetricsConfig, MetricsListen};
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, UnixListener};
use tokio::sync::Semaphore;

pub const SLOTS: usize = 8;
pub const MAX_HEAD: usize = 4096;
pub const DEADLINE: Duration = Duration::from_secs(2);
/// The socket's mode: the daemon's user and group may scrape, no one else.
pub const SOCKET_MODE: u32 = 0o660;

/// A bound endpoint, ready to serve.
pub enum Endpoint {
    Tcp(TcpListener),
    Unix(UnixListener),
}

/// Binds `[metrics] listen`; `None` when it is off. A stale socket left by an earlier run is
/// replaced; any other file at the path is an error, never removed.
pub async fn bind(config: &MetricsConfig) -> Result<Option<Endpoint>, String> {
    match &config.listen {
        None => Ok(None),
        Some(MetricsListen::Loopback(addr)) => TcpListener::bind(addr)
            .await
            .map(|l| Some(Endpoint::Tcp(l)))
            .map_err(|e| format!("metrics: cannot listen on {addr}: {e}")),
        Some(MetricsListen::Unix(path)) => bind_unix(path).map(|l| Some(Endpoint::Unix(l))),
    }
}

fn bind_unix(path: &Path) -> Result<UnixListener, String> {
    let shown = path.display();
    if let Ok(meta) = std::fs::symlink_metadata(path) {
        if !meta.file_type().is_socket() {
            return Err(format!("metrics: {shown} exists and is not a socket"));
        }
        std::fs::remove_file(path).map_err(|e| format!("metrics: cannot replace {shown}: {e}"))?;
    }
    let listener =
        UnixListener::bind(path).map_err(|e| format!("metrics: cannot listen on {shown}: {e}"))?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(SOCKET_MODE))
        .map_err(|e| format!("metrics: cannot set the mode of {shown}: {e}"))?;
    Ok(listener)
}

impl Endpoint {
    /// Serves until the daemon stops; `open_sessions` is read at each scrape.
    pub async fn serve(self, open_sessions: Arc<dyn Fn() -> usize + Send + Sync>) {
        let slots = Arc::new(Semaphore::new(SLOTS));
        loop {
            let accepted = match &self {
                Endpoint::Tcp(l) => l.accept().await.map(|(s, _)| Conn::Tcp(s)),
                Endpoint::Unix(l) => l.accept().await.map(|(s, _)| Conn::Unix(s)),
            };
            let Ok(conn) = accepted else {
                // Out of descriptors and the like: wait instead of spinning.
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            };
            // No free slot: the newcomer is closed at once (dropped).
            let Ok(slot) = slots.clone().try_acquire_owned() else {
                continue;
            };
            let open_sessions = open_sessions.clone();
            tokio::spawn(async move {
                let _ = tokio::time::timeout(DEADLINE, conn.answer(&*open_sessions)).await;
                drop(slot);
            });
        }
    }
}

enum Conn {
    Tcp(tokio::net::TcpStream),
    Unix(tokio::net::UnixStream),
}

impl Conn {
    async fn answer(self, open_sessions: &(dyn Fn() -> usize + Send + Sync)) {
        match self {
            Conn::Tcp(s) => exchange(s, open_sessions).await,
            Conn::Unix(s) => exchange(s, open_sessions).await,
        }
    }
}

async fn exchange<S: AsyncRead + AsyncWrite + Unpin>(
    mut stream: S,
    open_sessions: &(dyn Fn() -> usize + Send + Sync),
) {
    let Some(head) = read_head(&mut stream).await else {
        return;
    };
    let response = respond(&head, open_sessions);
    let _ = stream.write_all(&response).await;
    let _ = stream.shutdown().await;
}

/// The request head, up to its blank line; `None` if it is too long or the peer stops early.
async fn read_head<S: AsyncRead + Unpin>(stream: &mut S) -> Option<Vec<u8>> {
    let mut head = Vec::with_capacity(512);
    let mut buf = [0u8; 512];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && !head.windows(2).any(|w| w == b"\n\n") {
        let n = stream.read(&mut buf).await.ok()?;
        if n == 0 || head.len() + n > MAX_HEAD {
            return None;
        }
        head.extend_from_slice(&buf[..n]);
    }
    Some(head)
}

/// `GET /metrics` (or `HEAD`) gets the metrics; anything else a short error.
fn respond(head: &[u8], open_sessions: &(dyn Fn() -> usize + Send + Sync)) -> Vec<u8> {
    let line = head.split(|b| *b == b'\n').next().unwrap_or_default();
    let mut words = line.split(|b| *b == b' ');
    let (method, target) = (
        words.next().unwrap_or_default(),
        words.next().unwrap_or_default(),
    );
    let path = target.split(|b| *b == b'?').next().unwrap_or_default();
    let (status, body, with_body) = match (method, path) {
        (b"GET" | b"HEAD", b"/metrics") => {
            ("200 OK", super::render(open_sessions()), method == b"GET")
        }
        (b"GET" | b"HEAD", _) => ("404 Not Found", "only /metrics here\n".into(), true),
        _ => ("405 Method Not Allowed", "GET /metrics\n".into(), true),
    };
    let content_type = if status.starts_with("200") {
        CONTENT_TYPE
    } else {
        "text/plain"
    };
    let mut out = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    if with_body {
        out.extend_from_slice(body.as_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(request: &str) -> String {
        String::from_utf8_lossy(&respond(request.as_bytes(), &|| 3)).into_owned()
    }

    #[test]
    fn get_metrics_is_answered_with_the_text_format_and_others_are_not() {
        let ok = answer("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
        assert!(ok.starts_with("HTTP/1.1 200 OK\r\n"), "{ok}");
        assert!(
            ok.contains("version=0.0.4") && ok.contains("\nmfad_open_sessions 3\n"),
            "{ok}"
        );
        assert!(answer("GET /other HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 404"));
        assert!(answer("POST /metrics HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 405"));
    }

    #[tokio::test]
    async fn a_stale_socket_is_replaced_but_any_other_file_is_left_alone() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("metrics.sock");
        drop(bind_unix(&path).expect("first bind"));
        let again = bind_unix(&path);
        assert!(again.is_ok(), "the stale socket is replaced");
        let mode = std::fs::metadata(&path).map(|m| m.permissions().mode() & 0o777);
        assert_eq!(mode.ok(), Some(SOCKET_MODE));
        let file = dir.path().join("notes");
        std::fs::write(&file, "keep me").expect("write");
        assert!(bind_unix(&file).is_err_and(|e| e.contains("is not a socket")));
        assert_eq!(
            std::fs::read_to_string(&file).ok().as_deref(),
            Some("keep me")
        );
    }

    #[tokio::test]
    async fn a_head_longer_than_the_limit_or_cut_short_gets_nothing() {
        let long = format!(
            "GET /metrics HTTP/1.1\r\nX: {}\r\n\r\n",
            "a".repeat(MAX_HEAD)
        );
        assert!(read_head(&mut long.as_bytes()).await.is_none());
        assert!(
            read_head(&mut &b"GET /metrics HTTP/1.1\r\n"[..])
                .await
                .is_none()
        );
    }
}
