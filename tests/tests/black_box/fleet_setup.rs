//! What the fleet tests share: one PostgreSQL database named in root-only files, the `[store]`
//! table that points a daemon at it, and "hosts" (each a daemon on a private bus of its own).

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use mfa_tests::postgres;
use mfa_tests::*;

pub const KEYS: &str = "k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";

/// The URL and keys as root-only files, and the `[store]` table naming them.
pub struct Fleet {
    pub dir: tempfile::TempDir,
    pub store_toml: String,
}

impl Fleet {
    /// `extra` follows the `[store]` table (more tables, e.g. `[limits]`).
    pub fn on(url: &str, extra: &str) -> Fleet {
        let dir = tempfile::tempdir().expect("temp dir");
        let secret = |name: &str, text: &str| {
            let path = dir.path().join(name);
            fs::write(&path, text).expect("write");
            fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).expect("chmod");
            path.display().to_string()
        };
        let store_toml = format!(
            "[store]\nkind = \"postgres\"\nurl_file = \"{}\"\nkey_file = \"{}\"\ntimeout = 2\n{extra}",
            secret("url", url),
            secret("keys", KEYS)
        );
        Fleet { dir, store_toml }
    }

    /// `mfad --migrate` with this store: (success, output).
    pub fn migrate(&self) -> (bool, String) {
        let config = self.dir.path().join("migrate.toml");
        fs::write(&config, &self.store_toml).expect("config");
        fs::set_permissions(&config, fs::Permissions::from_mode(0o600)).expect("chmod");
        mfad_command(&config, "--migrate")
    }

    /// A host: its own bus, a daemon on this store, and a PAM stack talking to it.
    pub fn host(&self) -> (Bus, Daemon, PamStack) {
        let bus = Bus::start();
        let daemon = Daemon::start(&bus, &self.store_toml);
        let pam = PamStack::new(&bus, &daemon);
        (bus, daemon, pam)
    }
}

pub fn mfad_command(config: &Path, flag: &str) -> (bool, String) {
    let out = Command::new(&build_once().mfad)
        .arg("--config")
        .arg(config)
        .arg(flag)
        .output()
        .expect("run mfad");
    (out.status.success(), output_text(&out))
}

/// A fresh database on the shared server, migrated, and the fleet's `[store]` for it.
pub fn migrated_fleet(extra: &str) -> (postgres::Database, Fleet) {
    let db = postgres::shared().database();
    let fleet = Fleet::on(&db.url, extra);
    let (ok, out) = fleet.migrate();
    assert!(ok, "{out}");
    (db, fleet)
}
