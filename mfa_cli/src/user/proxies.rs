//! The daemon's interfaces as the user commands call them.

use mfa_proto::WireStep;
use std::collections::BTreeMap;

#[zbus::proxy(
    interface = "org.mfa.Mfad1.Enroll",
    default_service = "org.mfa.Mfad1",
    default_path = "/org/mfa/Mfad1"
)]
pub trait Enroll {
    fn status(&self) -> zbus::Result<BTreeMap<String, String>>;
    fn start_reauth(&self) -> zbus::Result<(String, WireStep)>;
    fn begin_totp(&self) -> zbus::Result<String>;
    fn confirm_totp(&self, code: &str) -> zbus::Result<bool>;
    fn generate_backup_codes(&self) -> zbus::Result<Vec<String>>;
    fn remove(&self, method: &str) -> zbus::Result<()>;
    fn prefer(&self, method: &str) -> zbus::Result<()>;
    fn set_language(&self, language: &str) -> zbus::Result<()>;
    fn begin_phone(&self, number: &str) -> zbus::Result<String>;
    fn confirm_phone(&self, code: &str) -> zbus::Result<bool>;
    fn begin_push(&self, pin: &str) -> zbus::Result<(String, String, String)>;
    fn confirm_push(&self) -> zbus::Result<String>;
}

#[zbus::proxy(
    interface = "org.mfa.Mfad1.Auth",
    default_service = "org.mfa.Mfad1",
    default_path = "/org/mfa/Mfad1"
)]
pub trait Auth {
    fn answer(&self, session: &str, answer: &str) -> zbus::Result<(WireStep,)>;
    fn poll(&self, session: &str) -> zbus::Result<(WireStep,)>;
}

/// True when the daemon refused because a current factor must be confirmed first.
pub fn needs_reauth(e: &zbus::Error) -> bool {
    matches!(e, zbus::Error::MethodError(name, _, _) if name.as_str() == "org.mfa.Mfad1.Error.ReauthRequired")
}

/// The daemon's own words for a refusal; the bus's errors in plain words (what to do).
pub fn explain(e: zbus::Error) -> String {
    let lang = crate::i18n::from_config(crate::i18n::default_config());
    crate::messages::bus::explain(lang, e)
}

/// The system bus cannot be reached at all: say so, and how to start it.
pub fn no_bus(e: zbus::Error) -> String {
    let lang = crate::i18n::from_config(crate::i18n::default_config());
    crate::messages::bus::no_bus(lang, e)
}
