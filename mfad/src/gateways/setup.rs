//! Setting up every `[gateways.NAME]`: each secret is read now (by
//! [`mfa_config::gateway_secrets`]), and every secret that cannot be used is reported (not only
//! the first), with the gateway and the key that points at it, so `mfad --check-config` and
//! start-up refuse for the same reasons.

use std::collections::BTreeMap;

use mfa_config::gateway_secrets::read_gateway_secret;
pub use mfa_config::gateway_secrets::{Credentials, SetupProblem};

use super::secrets::Secret;
use super::{Entry, Gateways, Kind, exec, http, ntfy, transport, twilio};
use crate::config::{Config, GatewayKind, HttpGateway};

impl Gateways {
    /// Sets up every gateway of `config`, reading each secret once; all problems, or none.
    pub fn load(config: &Config, credentials: Credentials) -> Result<Self, Vec<SetupProblem>> {
        let client = transport::client().map_err(|message| {
            vec![SetupProblem {
                gateway: String::new(),
                key: String::new(),
                message,
            }]
        })?;
        let mut problems = Vec::new();
        let mut entries = BTreeMap::new();
        let lifetime = config.sms.code_lifetime;
        for (name, g) in &config.gateways {
            let Some(secret) = read_gateway_secret(name, g, credentials, &mut problems) else {
                continue;
            };
            let kind = match (&g.kind, secret) {
                (GatewayKind::Twilio(t), Some(token)) => {
                    Some(Kind::Twilio(twilio::Twilio::new(t, token, lifetime)))
                }
                // Not reached: a twilio gateway always has its auth token read.
                (GatewayKind::Twilio(_), None) => None,
                (GatewayKind::Http(h), password) => http_kind(name, h, password, &mut problems),
                (GatewayKind::Exec(e), _) => Some(Kind::Exec(exec::Exec::new(e))),
                (GatewayKind::Ntfy(n), token) => Some(Kind::Ntfy(ntfy::Ntfy::new(n, token))),
            };
            if let Some(kind) = kind {
                let timeout = g.timeout;
                entries.insert(name.clone(), Entry { timeout, kind });
            }
        }
        if problems.is_empty() {
            Ok(Gateways { client, entries })
        } else {
            Err(problems)
        }
    }
}

/// An `http` gateway, or a problem pushed when it cannot be built.
fn http_kind(
    name: &str,
    gateway: &HttpGateway,
    password: Option<Secret>,
    problems: &mut Vec<SetupProblem>,
) -> Option<Kind> {
    match http::Http::new(gateway, password) {
        Ok(h) => Some(Kind::Http(h)),
        Err(message) => {
            problems.push(SetupProblem {
                gateway: name.to_owned(),
                key: String::new(),
                message,
            });
            None
        }
    }
}
