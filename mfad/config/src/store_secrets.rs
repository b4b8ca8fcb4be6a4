//! The secrets of a shared store, read once at start-up like the gateways' (`gateway_secrets`):
//! the database URL (it may carry a password) from `[store] url_file` or the systemd
//! credential `store-url`, and the sealing keys from `[store] key_file`, each only from a file
//! no other user can read. What the URL and the keys say is checked by the daemon, which knows
//! the database driver (`mfad/src/store/pg/settings.rs`); `--check-config` goes through both.

use crate::gateway_secrets::Credentials;
use crate::key_lines::line_of_key;
use crate::secrets::{self, Secret};
use crate::{Problem, SecretRef, StoreConfig, StoreKind, URL_CREDENTIAL};

/// The store's secrets as read; `url` is None when it is a credential a check cannot see.
#[derive(Debug, Clone)]
pub struct StoreSecrets {
    pub url: Option<Secret>,
    pub keys: Secret,
}

/// Reads the URL and the keys of `[store]` when `kind = "postgres"` (None for files). Each
/// file that cannot be used is a problem on its key, with its line in `text`.
pub fn read_store_secrets(
    store: &StoreConfig,
    credentials: Credentials,
    text: &str,
) -> Result<Option<StoreSecrets>, Vec<Problem>> {
    if store.kind != StoreKind::Postgres {
        return Ok(None);
    }
    let mut problems = Vec::new();
    let mut blame = |key: &str, message: String| {
        let line = line_of_key(text, &["store", key]);
        problems.push(Problem::new(format!("store.{key}"), line, message));
    };
    let url = match (&store.url_file, credentials) {
        (Some(path), _) => secrets::read_file(path)
            .map_err(|e| blame("url_file", e))
            .ok(),
        (None, Credentials::Dir(dir)) => {
            let r = SecretRef::Credential(URL_CREDENTIAL.to_owned());
            secrets::read(&r, dir)
                .map_err(|e| blame("url_file", format!("is \"\", so {e}")))
                .ok()
        }
        (None, Credentials::Unknown) => None,
    };
    let keys = match &store.key_file {
        Some(path) => secrets::read_lines_file(path)
            .map_err(|e| blame("key_file", e))
            .ok(),
        // validate.rs already reported the missing key_file.
        None => None,
    };
    match keys {
        Some(keys) if problems.is_empty() => Ok(Some(StoreSecrets { url, keys })),
        _ => Err(problems),
    }
}
