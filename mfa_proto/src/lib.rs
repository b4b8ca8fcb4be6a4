//! The wire protocol between `pam_mfa.so`, `mfad` and the `mfa` CLI.
//!
//! Only names, limits and plain typed messages live here, with no D-Bus dependency, so that the
//! module, the daemon and the tests agree on one definition and it can be unit-tested on its own.

mod answer;
pub mod audit_line;
mod codes;
pub mod i18n;
mod method;
pub mod module_args;
mod render;
mod step;

pub use answer::{AnswerError, MAX_ANSWER_LEN, MENU_TOKEN, normalize_answer, normalize_code};
pub use codes::{BACKUP_CODE_DIGITS, MAX_CONFIRM_ATTEMPTS, display_backup_code};
pub use method::{MethodId, NAMES as METHOD_NAMES};
pub use render::{ONE_LINE_MAX_CHARS, ONE_LINE_SERVICES, Render};
pub use step::{Step, StepError, WireStep};

/// Well-known bus name owned by the daemon.
pub const BUS_NAME: &str = "org.mfa.Mfad1";
/// The one object the daemon serves.
pub const OBJECT_PATH: &str = "/org/mfa/Mfad1";
/// Interface the PAM module calls (root, or a user authenticating itself).
pub const AUTH_INTERFACE: &str = "org.mfa.Mfad1.Auth";
/// Interface a user calls to manage their own methods.
pub const ENROLL_INTERFACE: &str = "org.mfa.Mfad1.Enroll";
/// Interface only uid 0 may use.
pub const ADMIN_INTERFACE: &str = "org.mfa.Mfad1.Admin";
/// The system bus socket the module uses unless its `bus=` argument says otherwise.
pub const SYSTEM_BUS_ADDRESS: &str = "unix:path=/run/dbus/system_bus_socket";

/// Longest user name, service, remote host or tty the daemon accepts (bounded input).
pub const MAX_FIELD_LEN: usize = 256;
/// Session ids are 128 random bits, hex encoded.
pub const SESSION_ID_LEN: usize = 32;

/// True when `id` has the shape of a session id (so garbage is refused before any lookup).
pub fn is_session_id(id: &str) -> bool {
    id.len() == SESSION_ID_LEN
        && id
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_id_shape_is_checked() {
        assert!(is_session_id("0123456789abcdef0123456789abcdef"));
        assert!(!is_session_id("0123456789ABCDEF0123456789abcdef"));
        assert!(!is_session_id("0123456789abcdef"));
        assert!(!is_session_id("../../etc/shadow0123456789abcdef"));
    }
}
