//! `[metrics]`: the Prometheus text endpoint, off by default. Only this host may scrape it: a
//! loopback address and port, or a Unix socket path. Any other address is refused here, with
//! the key and line, so a typo cannot publish who-logs-in-when rates to the network.

use std::net::SocketAddr;
use std::path::PathBuf;

use super::keys::{EmptyOr, With};
use super::problems::quote;
use super::values::{Reader, Value};

table! {
    /// `[metrics]`
    pub struct MetricsConfig {
        /// Loopback address and port, or an absolute Unix socket path; "" means no endpoint.
        listen: Option<MetricsListen> = None, EmptyOr(With(metrics_listen));
    }
}

/// Where the metrics endpoint listens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MetricsListen {
    /// A loopback address and port (127.0.0.0/8 or ::1).
    Loopback(SocketAddr),
    /// A Unix socket, created mode 0660 by the daemon's user and group.
    Unix(PathBuf),
}

/// As written in the file: the address and port, or the socket path.
impl std::fmt::Display for MetricsListen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MetricsListen::Loopback(addr) => write!(f, "{addr}"),
            MetricsListen::Unix(path) => write!(f, "{}", path.display()),
        }
    }
}

/// A path (starting with `/`) is a Unix socket; anything else must be a loopback address.
fn metrics_listen(r: &mut Reader<'_>, key: &str, v: &Value<'_>) -> Option<MetricsListen> {
    let s = r.string(key, v)?;
    if s.starts_with('/') {
        return r.file(key, v).map(MetricsListen::Unix);
    }
    let why = match s.parse::<SocketAddr>() {
        Ok(addr) if !addr.ip().is_loopback() => format!(
            "{} is not a loopback address: the metrics endpoint is for this host only; use \
             \"127.0.0.1:PORT\", \"[::1]:PORT\" or a Unix socket path",
            quote(s)
        ),
        Ok(addr) if addr.port() == 0 => {
            "port 0 is not allowed: a scraper needs a fixed port".into()
        }
        Ok(addr) => return Some(MetricsListen::Loopback(addr)),
        Err(_) => format!(
            "{} is not an address and port like \"127.0.0.1:9464\" or a socket path like \
             \"/run/mfad/metrics.sock\"",
            quote(s)
        ),
    };
    r.report(key, v.span(), why);
    None
}

#[cfg(test)]
mod tests {
    use super::MetricsListen;
    use crate::Config;

    fn problems(text: &str) -> Vec<String> {
        match Config::parse(text) {
            Ok(_) => Vec::new(),
            Err(p) => p.iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn metrics_are_off_unless_a_listen_address_is_given() {
        assert_eq!(Config::parse("").map(|c| c.metrics.listen), Ok(None));
        assert_eq!(
            Config::parse("[metrics]\nlisten = \"\"\n").map(|c| c.metrics.listen),
            Ok(None)
        );
    }

    #[test]
    fn a_loopback_address_or_a_socket_path_is_accepted() {
        let tcp = Config::parse("[metrics]\nlisten = \"127.0.0.1:9464\"\n");
        let addr = "127.0.0.1:9464".parse().ok().map(MetricsListen::Loopback);
        assert_eq!(tcp.map(|c| c.metrics.listen), Ok(addr));
        let v6 = Config::parse("[metrics]\nlisten = \"[::1]:9464\"\n");
        assert!(v6.is_ok_and(|c| c.metrics.listen.is_some()));
        let unix = Config::parse("[metrics]\nlisten = \"/run/mfad/metrics.sock\"\n");
        let path = MetricsListen::Unix("/run/mfad/metrics.sock".into());
        assert_eq!(unix.map(|c| c.metrics.listen), Ok(Some(path)));
    }

    #[test]
    fn a_non_loopback_address_is_refused_with_the_key_and_line() {
        for addr in [
            "0.0.0.0:9464",
            "192.0.2.7:9464",
            "[::]:9464",
            "[2001:db8::1]:9464",
        ] {
            let bad = problems(&format!("[daemon]\n\n[metrics]\nlisten = \"{addr}\"\n"));
            assert_eq!(bad.len(), 1, "{bad:?}");
            assert!(
                bad[0].contains("line 4")
                    && bad[0].contains("metrics.listen")
                    && bad[0].contains("not a loopback address"),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn a_host_name_port_zero_or_relative_path_is_refused() {
        for value in ["localhost:9464", "127.0.0.1:0", "metrics.sock", "/run/../x"] {
            let bad = problems(&format!("[metrics]\nlisten = \"{value}\"\n"));
            assert!(
                bad.len() == 1 && bad[0].contains("metrics.listen") && bad[0].contains("line 2"),
                "{value}: {bad:?}"
            );
        }
    }
}
