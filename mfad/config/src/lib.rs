//! Crate `mfa_config`: the daemon's configuration, `/etc/mfa/mfad.toml`: the types, their
//! defaults, and [`Config::parse`] / [`Config::load`], which report every problem in the file
//! with its key and line; [`check::check`] adds the gateway secrets, for the verdict `mfad`
//! gives at start-up and `mfa doctor` repeats. The reference for admins is
//! `docs/config-reference.md`.
//!
//! Submodules, one job each: `schema` walks the parsed file against the known tables and keys,
//! `values` reads typed, range-checked values, `problems` formats what is wrong, `perms` reads
//! the file only if its type, owner, mode and size are safe. The phone channels have their
//! types in `channels` and `gateways`, read by `channels_schema` and `gateways_schema`;
//! `templates` handles `{placeholder}` texts and `countries` the ISO 3166 codes. `secrets` reads
//! one secret file safely, `gateway_secrets` the secret of each gateway.

mod channels;
mod channels_schema;
pub mod check;
mod countries;
pub mod gateway_secrets;
mod gateways;
mod gateways_schema;
pub mod key_lines;
mod perms;
mod problems;
mod push;
mod schema;
pub mod secrets;
pub mod templates;
mod values;

#[cfg(test)]
mod channels_tests;
#[cfg(test)]
mod check_tests;
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
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

pub use channels::{
    BudgetConfig, DEFAULT_SMS_MESSAGE, NumberType, PhoneConfig, SmsConfig, VoiceConfig, VoiceMode,
    WebConfig,
};
pub use gateways::{
    ExecGateway, FieldValue, GATEWAY_PLACEHOLDERS, GatewayConfig, GatewayKind, HttpBody,
    HttpGateway, HttpMethod, NtfyGateway, PhoneFormat, SecretRef, TwilioGateway,
};
pub use gateways_schema::{DEFAULT_TWILIO_URL, is_e164};
pub use perms::MAX_CONFIG_BYTES;
pub use problems::Problem;
pub use push::PushConfig;

/// Where the daemon reads its configuration unless told otherwise (`--config PATH`).
pub const DEFAULT_PATH: &str = "/etc/mfa/mfad.toml";

/// The whole configuration. Every key is optional; [`Config::default`] is what an empty file gives.
#[derive(Debug, Clone, PartialEq)]
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
    /// `[gateways.NAME]`, keyed by name.
    pub gateways: BTreeMap<String, GatewayConfig>,
}

/// The second-factor methods, in the default order a login offers them (the protocol's list:
/// a new method joins it there).
pub const METHODS: &[&str] = &mfa_proto::METHOD_NAMES;

/// `[daemon]`
#[derive(Debug, Clone, PartialEq)]
pub struct DaemonConfig {
    /// Per-user state. Absolute, without `..`; its owner and mode are checked when it is opened.
    pub state_dir: PathBuf,
    /// Language of the texts shown at login.
    pub language: Language,
    /// How long one authentication session may live (10 s ..= 1 h).
    pub session_timeout: Duration,
    /// Authentication sessions open at once, all callers together (1 ..= 100 000).
    pub max_sessions: usize,
}

/// Language of the texts the daemon shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    En,
    Nl,
}

/// What happens to a user with no second factor enrolled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unenrolled {
    /// Authentication fails.
    Deny,
    /// The module returns `PAM_IGNORE`, so the rest of the PAM stack decides.
    Allow,
}

/// `[policy]`
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyConfig {
    pub unenrolled: Unenrolled,
}

/// `[services.NAME]`: overrides for one PAM service; `None` means "as in `[policy]`".
#[derive(Debug, Clone, PartialEq)]
pub struct ServicePolicy {
    pub unenrolled: Option<Unenrolled>,
    /// The methods this service may use, in order (words of [`METHODS`], each once).
    pub methods: Option<Vec<String>>,
}

/// TOTP hash algorithm (RFC 6238).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    Sha1,
    Sha256,
    Sha512,
}

/// `[totp]`: defaults for new enrollments and the verification window.
#[derive(Debug, Clone, PartialEq)]
pub struct TotpDefaults {
    /// Label shown in authenticator apps; already resolved (this host's name when the file has "").
    pub issuer: String,
    pub algorithm: Algorithm,
    /// 6 ..= 8
    pub digits: u32,
    /// Seconds per step, 15 ..= 300.
    pub period: u64,
    /// Steps accepted either side of now, 0 ..= 10.
    pub window: u64,
}

/// `[limits]`: failure limits per account (across every session, service and caller).
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    /// Consecutive failures that lock the account until an admin unlocks it (1 ..= 100).
    pub max_failures: u32,
    /// Failures allowed before delays start (0 ..= max_failures).
    pub free_failures: u32,
    /// Delay after the first delayed failure; doubles with each further failure.
    pub delay_base: Duration,
    /// Cap of that delay.
    pub delay_max: Duration,
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

#[derive(Debug, Clone, PartialEq)]
pub struct Enrollment {
    pub first: FirstEnrollment,
    pub grace_days: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            daemon: DaemonConfig {
                state_dir: PathBuf::from("/var/lib/mfa"),
                language: Language::En,
                session_timeout: Duration::from_secs(300),
                max_sessions: 1024,
            },
            policy: PolicyConfig {
                unenrolled: Unenrolled::Deny,
            },
            services: BTreeMap::new(),
            totp: TotpDefaults {
                issuer: host_name(),
                algorithm: Algorithm::Sha1,
                digits: 6,
                period: 30,
                window: 1,
            },
            limits: Limits {
                max_failures: 10,
                free_failures: 3,
                delay_base: Duration::from_secs(5),
                delay_max: Duration::from_secs(300),
            },
            enrollment: Enrollment {
                first: FirstEnrollment::Admin,
                grace_days: 14,
            },
            phone: PhoneConfig::default(),
            sms: SmsConfig::default(),
            voice: VoiceConfig::default(),
            push: PushConfig::default(),
            web: WebConfig::default(),
            budgets: BudgetConfig::default(),
            gateways: BTreeMap::new(),
        }
    }
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

words!(Language, r#""en" or "nl""#, En = "en", Nl = "nl");
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
