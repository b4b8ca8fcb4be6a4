//! Reading the one secret each `[gateways.NAME]` authenticates with, reporting every secret that
//! cannot be used (not only the first) with the gateway and the key that points at it. The
//! daemon builds its live gateways from what is read here; `mfa doctor` and `--check-config`
//! only read, so all three refuse a config for the same reasons.

use std::path::Path;

use crate::secrets::{self, Secret};
use crate::{GatewayConfig, GatewayKind, SecretRef};

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

/// The secret gateway `name` authenticates with: `Some(None)` when its kind and keys need none,
/// `None` when it cannot be set up (a problem is pushed) or its credential cannot be looked at
/// here (nothing is pushed).
pub fn read_gateway_secret(
    name: &str,
    gateway: &GatewayConfig,
    credentials: Credentials,
    problems: &mut Vec<SetupProblem>,
) -> Option<Option<Secret>> {
    let mut secret =
        |field: &str, r: &SecretRef| read_secret(name, field, r, credentials, problems);
    match &gateway.kind {
        GatewayKind::Twilio(t) => secret("auth_token", &t.auth_token).map(Some),
        GatewayKind::Http(h) => match &h.basic_auth {
            Some((_, r)) => secret("password", r).map(Some),
            None => Some(None),
        },
        GatewayKind::Exec(_) => Some(None),
        GatewayKind::Ntfy(n) => match &n.token {
            Some(r) => secret("token", r).map(Some),
            None => Some(None),
        },
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
) -> Option<Secret> {
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
