//! `[store]`: where the users' records and the send budgets live. `files` (the default) keeps
//! them under `[daemon] state_dir` on this host; `postgres` shares them between every host of
//! a fleet (enroll once, log in everywhere). The URL is a secret (it may hold a password), so
//! it is read from a root-only file or a systemd credential, never written in this file.

use std::path::PathBuf;
use std::time::Duration;

use super::StoreKind;
use super::keys::{EmptyOr, File, Int, Secs, Word, secs};

/// The systemd credential (`LoadCredential=store-url:PATH`) read when `url_file` is "".
pub const URL_CREDENTIAL: &str = "store-url";

table! {
    /// `[store]`
    pub struct StoreConfig {
        /// Where records and budgets live.
        kind: StoreKind = StoreKind::Files, Word;
        /// Root-only file holding the `postgres://` URL; "" reads credential `store-url`.
        url_file: Option<PathBuf> = None, EmptyOr(File);
        /// PEM CA the server certificate must chain to; set means TLS is required.
        ca_file: Option<PathBuf> = None, EmptyOr(File);
        /// Root-only file of sealing keys, `ID:BASE64` a line, the first one current.
        key_file: Option<PathBuf> = None, EmptyOr(File);
        /// Seconds for connecting and for each statement.
        timeout: Duration = secs(3), Secs(1..=60);
        /// Connections each daemon keeps to the database at most.
        pool_size: usize = 4, Int(1..=64);
    }
}

#[cfg(test)]
mod tests {
    use crate::{Config, StoreKind};

    fn problems(text: &str) -> Vec<String> {
        match Config::parse(text) {
            Ok(_) => Vec::new(),
            Err(p) => p.iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn a_postgres_store_is_read_with_its_files_and_limits() {
        let text = "[store]\nkind = \"postgres\"\nurl_file = \"/etc/mfa/db-url\"\n\
                    key_file = \"/etc/mfa/db-keys\"\ntimeout = 5\npool_size = 2\n";
        let c = Config::parse(text).unwrap_or_else(|p| panic!("{p:#?}"));
        assert_eq!(c.store.kind, StoreKind::Postgres);
        assert_eq!(
            c.store.url_file.as_deref(),
            Some("/etc/mfa/db-url".as_ref())
        );
        assert_eq!(c.store.timeout.as_secs(), 5);
        assert_eq!(c.store.pool_size, 2);
    }

    #[test]
    fn the_default_store_is_files_on_this_host() {
        assert_eq!(
            Config::parse("").map(|c| c.store.kind),
            Ok(StoreKind::Files)
        );
    }

    #[test]
    fn wrong_store_keys_and_values_are_named_with_their_line() {
        let bad = problems("[store]\nkind = \"mysql\"\n");
        assert!(
            bad[0].contains("store.kind") && bad[0].contains("line 2"),
            "{bad:?}"
        );
        let range = problems("[store]\ntimeout = 0\npool_size = 65\n");
        assert!(range[0].contains("store.timeout"), "{range:?}");
        assert!(range[1].contains("store.pool_size"), "{range:?}");
        let unknown = problems("[store]\nurl = \"postgres://x\"\n");
        assert!(unknown[0].contains("store.url"), "{unknown:?}");
        let relative = problems("[store]\nkind = \"postgres\"\nkey_file = \"keys\"\n");
        assert!(relative[0].contains("store.key_file"), "{relative:?}");
    }

    #[test]
    fn a_postgres_store_needs_its_keys_and_files_keys_need_postgres() {
        let no_keys = problems("[store]\nkind = \"postgres\"\n");
        assert!(no_keys[0].contains("store.key_file"), "{no_keys:?}");
        let stray = problems("[store]\nca_file = \"/etc/mfa/ca.pem\"\n");
        assert!(
            stray[0].contains("store.ca_file") && stray[0].contains("files"),
            "{stray:?}"
        );
    }
}
