//! The daemon's Admin interface as the CLI calls it (root only; the daemon checks uid 0).

use std::collections::BTreeMap;

#[zbus::proxy(
    interface = "org.mfa.Mfad1.Admin",
    default_service = "org.mfa.Mfad1",
    default_path = "/org/mfa/Mfad1"
)]
pub(crate) trait Admin {
    fn enroll_totp(
        &self,
        user: &str,
        secret_base32: &str,
        digits: u32,
        algorithm: &str,
        period: u32,
    ) -> zbus::Result<String>;
    fn status(&self, user: &str) -> zbus::Result<BTreeMap<String, String>>;
    fn unlock(&self, user: &str) -> zbus::Result<()>;
    fn remove(&self, user: &str, method: &str) -> zbus::Result<()>;
    fn generate_backup_codes(&self, user: &str) -> zbus::Result<Vec<String>>;
    #[allow(clippy::too_many_arguments)]
    fn import_totp(
        &self,
        user: &str,
        secret_base32: &str,
        digits: u32,
        period: u32,
        window: i32,
        backup_codes: &[String],
    ) -> zbus::Result<Vec<String>>;
    fn list(&self) -> zbus::Result<BTreeMap<String, BTreeMap<String, String>>>;
    fn reset(&self, user: &str) -> zbus::Result<bool>;
    fn log(&self, user: &str, lines: u32) -> zbus::Result<Vec<String>>;
}
