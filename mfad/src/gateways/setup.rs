//! Setting up every `[gateways.NAME]`: each secret is read now, and every secret that cannot be
//! used is reported (not only the first), with the gateway and the key that points at it, so
//! `mfad --check-config` and start-up refuse for the same reasons.

use std::collections::BTreeMap;
use std::path::Path;

use super::{Entry, Gateways, Kind, exec, http, ntfy, secrets, transport, twilio};
use crate::config::{Config, GatewayKind, SecretRef};

/// Where `*_credential` secrets are found.
#[derive(Debug, Clone, Copy)]
pub enum Credentials<'a> {
    /// `$CREDENTIALS_DIRECTORY` as the daemon found it; unset makes each credential a problem.
    Dir(Option<&'a Path>),
    /// Not known (a check run outside the service): `*_credential` secrets are not read, and
    /// their gateways are left out of the result.
    Unknown,
}

/// One gateway that cannot be set up: `key` is the key in `[gateways.NAME]` to blame ("" for
/// the gateway as a whole).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetupProblem {
    pub gateway: String,
    pub key: String,
    pub message: String,
}

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
            let mut secret = |field: &str, r: &SecretRef| {
                read_secret(name, field, r, credentials, &mut problems)
            };
            let kind = match &g.kind {
                GatewayKind::Twilio(t) => secret("auth_token", &t.auth_token).map(|token| {
                    Kind::Twilio(twilio::Twilio::new(t, token, config.sms.code_lifetime))
                }),
                GatewayKind::Http(h) => {
                    let password = match &h.basic_auth {
                        Some((_, r)) => secret("password", r).map(Some),
                        None => Some(None),
                    };
                    password.and_then(|p| match http::Http::new(h, p) {
                        Ok(h) => Some(Kind::Http(h)),
                        Err(message) => {
                            problems.push(SetupProblem {
                                gateway: name.clone(),
                                key: String::new(),
                                message,
                            });
                            None
                        }
                    })
                }
                GatewayKind::Exec(e) => Some(Kind::Exec(exec::Exec::new(e))),
                GatewayKind::Ntfy(n) => {
                    let token = match &n.token {
                        Some(r) => secret("token", r).map(Some),
                        None => Some(None),
                    };
                    token.map(|t| Kind::Ntfy(ntfy::Ntfy::new(n, t)))
                }
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

/// The secret `r` (the gateway's `FIELD_file` or `FIELD_credential`), or a problem pushed.
/// `None` without a problem when a credential cannot be looked at here.
fn read_secret(
    gateway: &str,
    field: &str,
    r: &SecretRef,
    credentials: Credentials,
    problems: &mut Vec<SetupProblem>,
) -> Option<secrets::Secret> {
    let (suffix, dir) = match (r, credentials) {
        (SecretRef::File(_), _) => ("file", None),
        (SecretRef::Credential(_), Credentials::Dir(dir)) => ("credential", dir),
        (SecretRef::Credential(_), Credentials::Unknown) => return None,
    };
    match secrets::read(r, dir) {
        Ok(s) => Some(s),
        Err(message) => {
            problems.push(SetupProblem {
                gateway: gateway.to_owned(),
                key: format!("{field}_{suffix}"),
                message,
            });
            None
        }
    }
}
