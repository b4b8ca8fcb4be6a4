//! What the daemon needs to reach its database, checked before anything connects: the URL
//! (file or credential), the TLS rule, the sealing keys, the bounds. `mfad --check-config`
//! builds these too, so a URL the daemon would refuse is reported there.
//!
//! The TLS rule: with `ca_file`, every connection uses TLS and the server's certificate must
//! chain to that CA (rustls, the same aws-lc provider as the web listener) and match the host.
//! Without it, only a Unix socket or a loopback host is accepted: a password and every login's
//! decision would otherwise cross the network in plain text.

use std::net::IpAddr;
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use mfa_config::gateway_secrets::Credentials;
use mfa_config::store_secrets::read_store_secrets;
use mfa_config::{Problem, StoreConfig};
use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;
use tokio_postgres::config::{Host, SslMode};

use super::sealing::Keys;

/// A CA file larger than this is not a CA bundle (bounded input).
const MAX_CA_BYTES: u64 = 1024 * 1024;

pub struct Settings {
    pub pg: tokio_postgres::Config,
    /// Some: TLS required and verified against `ca_file`.
    pub tls: Option<Arc<rustls::ClientConfig>>,
    pub keys: Arc<Keys>,
    pub timeout: Duration,
    pub pool_size: usize,
}

impl Settings {
    /// The settings of `[store]` when it is `postgres`, None for files. Every problem names its
    /// key and line in `text` (the config file's text).
    pub fn from_config(
        store: &StoreConfig,
        credentials_dir: Option<&Path>,
        text: &str,
    ) -> Result<Option<Settings>, Vec<Problem>> {
        let Some(secrets) = read_store_secrets(store, Credentials::Dir(credentials_dir), text)?
        else {
            return Ok(None);
        };
        let line = |key: &str| mfa_config::key_lines::line_of_key(text, &["store", key]);
        let problem = |key: &str, message: String| {
            vec![Problem::new(format!("store.{key}"), line(key), message)]
        };
        let keys = Keys::parse(secrets.keys.expose()).map_err(|e| {
            let path = store.key_file.as_deref().unwrap_or(Path::new("?"));
            problem("key_file", format!("{}: {e}", path.display()))
        })?;
        let url = secrets
            .url
            .ok_or_else(|| problem("url_file", "the database URL could not be read".to_string()))?;
        let tls = match &store.ca_file {
            Some(path) => Some(client_config(path).map_err(|e| problem("ca_file", e))?),
            None => None,
        };
        let pg = pg_config(url.expose(), tls.is_some(), store.timeout)
            .map_err(|e| problem("url_file", e))?;
        Ok(Some(Settings {
            pg,
            tls,
            keys: Arc::new(keys),
            timeout: store.timeout,
            pool_size: store.pool_size,
        }))
    }
}

/// Parses the URL (never echoing it: it may hold a password) and applies the TLS rule.
pub fn pg_config(
    url: &str,
    tls: bool,
    timeout: Duration,
) -> Result<tokio_postgres::Config, String> {
    let mut pg = tokio_postgres::Config::from_str(url)
        .map_err(|e| format!("the database URL cannot be parsed: {e}"))?;
    if pg.get_hosts().is_empty() {
        return Err(
            "the database URL names no host (give host=/run/postgresql for the local \
                    socket)"
                .into(),
        );
    }
    for host in pg.get_hosts() {
        match (host, tls) {
            (Host::Unix(_), true) => {
                return Err(
                    "ca_file is set but the URL uses a Unix socket, where PostgreSQL \
                            has no TLS: leave ca_file empty"
                        .into(),
                );
            }
            (Host::Tcp(name), false) if !is_loopback(name) => {
                return Err(format!(
                    "host \"{name}\" is not a Unix socket or loopback, and store.ca_file is \
                     empty: set ca_file so the connection uses verified TLS (refused: the \
                     password and every decision would cross the network in plain text)"
                ));
            }
            _ => {}
        }
    }
    for addr in pg.get_hostaddrs() {
        if !tls && !addr.is_loopback() {
            return Err(format!(
                "hostaddr {addr} is not loopback and store.ca_file is empty: set ca_file"
            ));
        }
    }
    pg.ssl_mode(if tls {
        SslMode::Require
    } else {
        SslMode::Disable
    });
    pg.connect_timeout(timeout);
    if pg.get_application_name().is_none() {
        pg.application_name("mfad");
    }
    // The server also gives up on a statement (and a lock wait) after the timeout, so a
    // client that stopped waiting leaves nothing running there.
    let ms = timeout.as_millis();
    pg.options(format!(
        "-c statement_timeout={ms} -c synchronous_commit=on"
    ));
    Ok(pg)
}

fn is_loopback(name: &str) -> bool {
    name.eq_ignore_ascii_case("localhost")
        || name
            .trim_matches(|c| c == '[' || c == ']')
            .parse::<IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// rustls with the CA file as the only roots, on the aws-lc provider mfad already links.
pub fn client_config(path: &Path) -> Result<Arc<rustls::ClientConfig>, String> {
    let shown = path.display();
    let meta = std::fs::metadata(path).map_err(|e| format!("{shown}: {e}"))?;
    if meta.len() > MAX_CA_BYTES {
        return Err(format!("{shown}: larger than {MAX_CA_BYTES} bytes"));
    }
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_file_iter(path).map_err(|e| format!("{shown}: {e}"))? {
        let cert = cert.map_err(|e| format!("{shown}: {e}"))?;
        roots
            .add(cert)
            .map_err(|e| format!("{shown}: not a usable CA certificate: {e}"))?;
    }
    if roots.is_empty() {
        return Err(format!("{shown}: holds no PEM certificate"));
    }
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS: {e}"))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

#[cfg(test)]
mod tests {
    use super::pg_config;
    use std::time::Duration;

    const T: Duration = Duration::from_secs(3);

    #[test]
    fn a_local_socket_or_loopback_needs_no_tls() {
        assert!(pg_config("postgres://mfad@/mfa?host=/run/postgresql", false, T).is_ok());
        assert!(pg_config("postgres://mfad@localhost/mfa", false, T).is_ok());
        assert!(pg_config("postgres://mfad@127.0.0.1:5433/mfa", false, T).is_ok());
        assert!(pg_config("host=::1 user=mfad dbname=mfa", false, T).is_ok());
    }

    #[test]
    fn a_remote_host_in_plain_text_is_refused_and_the_password_not_shown() {
        let e = pg_config("postgres://mfad:hunter2@db.example/mfa", false, T).unwrap_err();
        assert!(e.contains("db.example") && e.contains("ca_file"), "{e}");
        assert!(!e.contains("hunter2"));
        assert!(pg_config("postgres://mfad@db.example/mfa", true, T).is_ok());
        let unix_tls = pg_config("postgres://mfad@/mfa?host=/run/postgresql", true, T);
        assert!(unix_tls.unwrap_err().contains("Unix socket"));
        let garbage = pg_config("postgres://mfad:hunter2@db.example:notaport/mfa", true, T);
        assert!(!garbage.unwrap_err().contains("hunter2"));
    }
}
