//! The shared store (`[store] kind = "postgres"`): does the database answer, with the schema
//! this mfad needs? The CLI links no database driver, so it asks the daemon's binary
//! (`mfad --check-store`, bounded by `[store] timeout`), which uses the daemon's own settings.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::messages::Msg;
use super::report::Finding;
use crate::i18n::tr;
use mfa_config::{Config, Language, StoreKind};

/// The finding for the store, None when it is the files on this host.
pub fn check(config: &Config, config_path: &Path, lang: Language) -> Option<Finding> {
    if config.store.kind != StoreKind::Postgres {
        return None;
    }
    let out = Command::new(mfad_binary())
        .arg("--check-store")
        .arg("--config")
        .arg(config_path)
        .output();
    let finding = match out {
        Ok(out) if out.status.success() => Finding::ok(Msg::StoreAnswers.text(lang)),
        Ok(out) => {
            let said = String::from_utf8_lossy(&out.stderr);
            let said = said.trim().trim_start_matches("mfad: ");
            Finding::fail(
                tr!(lang, Msg::StoreUnreachable, error = said),
                Msg::StoreUnreachableFix.text(lang),
            )
        }
        Err(e) => Finding::fail(
            tr!(lang, Msg::StoreUnreachable, error = e),
            Msg::StoreUnreachableFix.text(lang),
        ),
    };
    Some(finding)
}

/// mfad beside this binary (a build tree), else where the package installs it.
pub(crate) fn mfad_binary() -> PathBuf {
    let beside = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("mfad")));
    match beside {
        Some(path) if path.is_file() => path,
        _ => PathBuf::from("/usr/sbin/mfad"),
    }
}
