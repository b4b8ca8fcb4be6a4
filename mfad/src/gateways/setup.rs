//! Setting up every `[gateways.NAME]`: each secret is read now (by
//! [`mfa_config::gateway_secrets`]), and every secret that cannot be used is reported (not only
//! the first), with the gateway and the key that points at it, so `mfad --check-config` and
//! start-up refuse for the same reasons.

use std::collections::BTreeMap;

pub use mfa_config::gateway_secrets::{Credentials, SetupProblem};
use mfa_config::gateway_secrets::read_gateway_secret;

use super::{Entry, Gateways, Kind, exec, http, ntfy, transport, twilio};
use crate::config::{Config, GatewayKind};

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
        for (name, g) in &config.gateways {
            let Some(secret) = read_gateway_secret(name, g, credentials, &mut problems) else {
                continue;
            };
            let kind = match (&g.kind, secret) {
                (GatewayKind::Twilio(t), Some(token)) => Some(Kind::Twilio(twilio::Twilio::new(
                    t,
                    token,
                    config.sms.code_lifetime,
                ))),
                // Not reached: a twilio gateway always has its auth token read.
                (GatewayKind::Twilio(_), None) => None,
                (GatewayKind::Http(h), password) => match http::Http::new(h, password) {
                    Ok(h) => Some(Kind::Http(h)),
                    Err(message) => {
                        problems.push(SetupProblem {
                            gateway: name.clone(),
                            key: String::new(),
                            message,
                        });
                        None
                    }
                },
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
