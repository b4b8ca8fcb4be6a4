//! Crate `mfa_config`: the daemon's configuration, `/etc/mfa/mfad.toml`: the types, their
//! defaults, and [`Config::parse`] / [`Config::load`], which report every problem in the file
//! with its key and line; [`check::check`] adds the gateway secrets, for the verdict `mfad`
//! gives at start-up and `mfa doctor` repeats. The reference for admins is
//! `docs/config-reference.md`.
//!
//! Each key is written once: `keys` has the `table!` macro, and `tables`, `channels` and
//! `push` declare the tables with it (name, type, default, allowed values, doc), from which the
//! structs, their defaults, the key lists and the reading are derived; `gateways_schema` does
//! the same for `[gateways.NAME]` with one list of keys and the kinds that have them.
//!
//! Submodules, one job each: `schema` walks the parsed file against the tables, `values` reads
//! typed, range-checked values, `validate` checks the rules between keys, `problems` formats
//! what is wrong, `perms` reads the file only if its type, owner, mode and size are safe.
//! `channels_schema` and `gateway_values` read the values that need checks of their own,
//! `gateway_build` makes a gateway of its keys; `templates` handles `{placeholder}` texts and
//! `countries` the ISO 3166 codes. `secrets` reads one secret file safely, `gateway_secrets`
//! the secret of each gateway. `docs_tests` holds the reference, the example and the man page
//! to the keys declared.

#[macro_use]
mod keys;

mod channels;
mod channels_schema;
pub mod check;
mod countries;
mod gateway_build;
pub mod gateway_secrets;
mod gateway_values;
mod gateways;
mod gateways_schema;
pub mod key_lines;
mod metrics;
mod perms;
mod problems;
mod push;
mod schema;
pub mod secrets;
mod store;
pub mod store_secrets;
mod tables;
pub mod templates;
mod validate;
mod values;

#[cfg(test)]
mod channels_tests;
#[cfg(test)]
mod check_tests;
#[cfg(test)]
mod docs_tests;
#[cfg(test)]
mod gateways_tests;
#[cfg(test)]
mod parse_tests;
#[cfg(test)]
mod perms_tests;
#[cfg(test)]
mod secrets_tests;
#[cfg(test)]
mod test_dir;

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::str::FromStr;

pub use channels::{
    BudgetConfig, DEFAULT_SMS_MESSAGE, NumberType, PhoneConfig, SmsConfig, VoiceConfig, VoiceMode,
    WebConfig,
};
pub use gateway_values::is_e164;
pub use gateways::{
    ExecGateway, FieldValue, GATEWAY_PLACEHOLDERS, GatewayConfig, GatewayKind, HttpBody,
    HttpGateway, HttpMethod, NtfyGateway, PhoneFormat, SecretRef, TwilioGateway,
};
pub use gateways_schema::DEFAULT_TWILIO_URL;
pub use metrics::{MetricsConfig, MetricsListen};
pub use perms::MAX_CONFIG_BYTES;
pub use problems::Problem;
pub use push::PushConfig;
pub use store::{StoreConfig, URL_CREDENTIAL};
pub use tables::{DaemonConfig, Enrollment, Limits, PolicyConfig, ServicePolicy, TotpDefaults};

/// Where the daemon reads its configuration unless told otherwise (`--config PATH`).
pub const DEFAULT_PATH: &str = "/etc/mfa/mfad.toml";

/// The whole configuration. Every key is optional; [`Config::default`] is what an empty file gives.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Config {
    pub daemon: DaemonConfig,
    pub policy: PolicyConfig,
    /// Per-PAM-service overrides, keyed by the PAM service name (`sudo`, `sshd`, ...).
    pub services: BTreeMap<String, ServicePolicy>,
    pub totp: TotpDefaults,
    pub limits: Limits,
    pub enrollment: Enrollment,
    pub phone: PhoneConfig,
    pub sms: SmsConfig,
    pub voice: VoiceConfig,
    pub push: PushConfig,
    pub web: WebConfig,
    pub budgets: BudgetConfig,
    pub store: StoreConfig,
    /// `[metrics]`: the Prometheus endpoint, off by default.
    pub metrics: MetricsConfig,
    /// `[gateways.NAME]`, keyed by name.
    pub gateways: BTreeMap<String, GatewayConfig>,
}

/// The second-factor methods, in the default order a login offers them (the protocol's list:
/// a new method joins it there).
pub const METHODS: &[&str] = &mfa_proto::METHOD_NAMES;

/// Language of the texts the daemon and the CLI show; it lives with the texts' catalogs.
pub use mfa_proto::i18n::Language;

/// What happens to a user with no second factor enrolled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unenrolled {
    /// Authentication fails.
    Deny,
    /// The module returns `PAM_IGNORE`, so the rest of the PAM stack decides.
    Allow,
}

/// TOTP hash algorithm (RFC 6238).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    Sha1,
    Sha256,
    Sha512,
}

/// Which backend holds the users' records and the send budgets (`[store] kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreKind {
    /// One file per user under `state_dir`, on this host only.
    Files,
    /// A PostgreSQL database shared by every host of a fleet.
    Postgres,
}

/// How a user with nothing enrolled may enroll a first method themselves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FirstEnrollment {
    /// Only an admin can (`mfa admin enroll-totp`).
    Admin,
    /// Anyone, during `grace_days` after the daemon first ran with this setting.
    Grace,
    /// Only from a local console (a seat, not ssh).
    Console,
}

impl Config {
    /// Parses and validates a configuration text. On failure, returns every problem found,
    /// sorted by line.
    pub fn parse(text: &str) -> Result<Config, Vec<Problem>> {
        schema::parse(text)
    }

    /// Reads `path` (only if it is a regular file owned by root or by this process's effective
    /// user, not writable by group or others, at most [`MAX_CONFIG_BYTES`]) and parses it.
    /// A missing file is a problem: the daemon needs a config.
    pub fn load(path: &Path) -> Result<Config, Vec<Problem>> {
        Config::load_with_text(path).map(|(config, _)| config)
    }

    /// As [`Config::load`], also giving the text read, to find the lines of keys whose
    /// problems show only later (a gateway's secret file).
    pub fn load_with_text(path: &Path) -> Result<(Config, String), Vec<Problem>> {
        let text = perms::read_config(path)?;
        Config::parse(&text).map(|config| (config, text))
    }

    /// The unenrolled policy for a PAM service: its `[services.NAME]` override, else `[policy]`.
    pub fn unenrolled_for(&self, service: &str) -> Unenrolled {
        self.services
            .get(service)
            .and_then(|s| s.unenrolled)
            .unwrap_or(self.policy.unenrolled)
    }

    /// The methods a PAM service may use, in order: its `[services.NAME] methods`, else all of
    /// [`METHODS`]. `sms` and `voice` are in the default even when they have no gateway; callers
    /// skip a method that is off (`sms.gateways` / `voice.gateways` empty).
    pub fn methods_for(&self, service: &str) -> Vec<String> {
        self.services
            .get(service)
            .and_then(|s| s.methods.clone())
            .unwrap_or_else(|| METHODS.iter().map(|m| (*m).to_owned()).collect())
    }
}

/// This host's name, the issuer when the file leaves it empty. Never empty and never contains
/// ':' (which authenticator URIs forbid in an issuer).
pub fn host_name() -> String {
    let name = nix::sys::utsname::uname()
        .map(|u| u.nodename().to_string_lossy().into_owned())
        .unwrap_or_default();
    if name.is_empty() || name.contains(':') || name.chars().any(char::is_control) {
        "localhost".to_owned()
    } else {
        name
    }
}

/// A value that is not one of the allowed words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownValue {
    /// The allowed words, for the message, e.g. `"en" or "nl"`.
    pub allowed: &'static str,
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "expected {}", self.allowed)
    }
}

impl std::error::Error for UnknownValue {}

/// Implements `as_str`, case-insensitive `FromStr` and `Display` for a word-valued enum.
macro_rules! words {
    ($ty:ident, $allowed:literal, $($variant:ident = $word:literal),+) => {
        impl $ty {
            /// The word as written in the config file.
            pub fn as_str(self) -> &'static str {
                match self { $($ty::$variant => $word),+ }
            }
        }
        impl FromStr for $ty {
            type Err = UnknownValue;
            fn from_str(s: &str) -> Result<Self, UnknownValue> {
                $(if s.eq_ignore_ascii_case($word) { return Ok($ty::$variant); })+
                Err(UnknownValue { allowed: $allowed })
            }
        }
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

words!(
    Unenrolled,
    r#""deny" or "allow""#,
    Deny = "deny",
    Allow = "allow"
);
words!(
    FirstEnrollment,
    r#""admin", "grace" or "console""#,
    Admin = "admin",
    Grace = "grace",
    Console = "console"
);
words!(
    Algorithm,
    r#""SHA1", "SHA256" or "SHA512""#,
    Sha1 = "SHA1",
    Sha256 = "SHA256",
    Sha512 = "SHA512"
);
words!(
    NumberType,
    r#""mobile", "fixed_line", "fixed_line_or_mobile", "voip" or "toll_free""#,
    Mobile = "mobile",
    FixedLine = "fixed_line",
    FixedLineOrMobile = "fixed_line_or_mobile",
    Voip = "voip",
    TollFree = "toll_free"
);
words!(
    VoiceMode,
    r#""press_hash" or "number_match""#,
    PressHash = "press_hash",
    NumberMatch = "number_match"
);
words!(
    StoreKind,
    r#""files" or "postgres""#,
    Files = "files",
    Postgres = "postgres"
);
words!(HttpMethod, r#""POST" or "GET""#, Post = "POST", Get = "GET");
words!(
    HttpBody,
    r#""form", "json" or "query""#,
    Form = "form",
    Json = "json",
    Query = "query"
);
words!(
    PhoneFormat,
    r#""e164", "e164_digits" or "international_00""#,
    E164 = "e164",
    E164Digits = "e164_digits",
    International00 = "international_00"
);
