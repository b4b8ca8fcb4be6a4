//! The types of the phone channels' tables: `[phone]`, `[sms]`, `[voice]`, `[web]` and
//! `[budgets]`, with their defaults. `channels_schema` reads them from the file.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use super::templates;

/// `[phone]`: which numbers may be enrolled for texts and calls.
#[derive(Debug, Clone, PartialEq)]
pub struct PhoneConfig {
    /// ISO 3166-1 alpha-2 region codes ("NL", "US"), upper case; empty means any country.
    pub allowed_countries: Vec<String>,
    /// Number types that may receive texts.
    pub sms_types: Vec<NumberType>,
    /// Number types that may receive calls.
    pub voice_types: Vec<NumberType>,
}

/// A phone number's type, as libphonenumber classifies it (`crate::phone` uses the same words).
/// Premium-rate, shared-cost, personal, pager, UAN and voicemail numbers are not in the list:
/// the config refuses them (they cost the sender or are forwarded elsewhere: toll fraud).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NumberType {
    Mobile,
    FixedLine,
    /// The numbering plan cannot tell mobile from fixed line (the US and Canada, for example).
    FixedLineOrMobile,
    Voip,
    TollFree,
}

/// `[sms]`: codes sent by text message.
#[derive(Debug, Clone, PartialEq)]
pub struct SmsConfig {
    /// Gateway names in fallback order; empty means SMS is off.
    pub gateways: Vec<String>,
    /// Digits per code, 6 ..= 10.
    pub code_length: u32,
    /// How long a code may be used, 60 s ..= 30 min.
    pub code_lifetime: Duration,
    /// Wrong answers accepted per code, 1 ..= 10; then the code is void.
    pub max_checks: u32,
    /// Least time between two texts for one login, 10 s ..= 10 min.
    pub resend_cooldown: Duration,
    /// The text, with `{code}` and optionally `{issuer}` and `{minutes}`. ASCII; rendered, it
    /// fits one SMS (160 GSM-7 characters), checked when the config is read.
    pub message: String,
}

/// `[voice]`: calls the user answers.
#[derive(Debug, Clone, PartialEq)]
pub struct VoiceConfig {
    /// Gateway names in fallback order (twilio only); empty means calls are off.
    pub gateways: Vec<String>,
    pub mode: VoiceMode,
    /// How long the daemon waits for the callout to be answered, 20 s ..= 300 s.
    pub answer_timeout: Duration,
}

/// What the user does on the call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoiceMode {
    /// Answer and press `#`.
    PressHash,
    /// Type the digits shown on the login screen, then `#` (resists approving a stranger's call).
    NumberMatch,
}

/// `[web]`: the daemon's HTTP listener for provider callbacks (voice).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WebConfig {
    /// Address to listen on; `None` means no listener.
    pub listen: Option<SocketAddr>,
    /// The URL providers call back, `https://` (or `http://` for a loopback host); without a
    /// trailing slash.
    pub public_url: Option<String>,
    /// Certificate chain and key (PEM) when the daemon terminates TLS itself; both or neither.
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
}

/// `[budgets]`: texts and calls together allowed per hour and per day, per scope. Every value
/// is at least 1: there is no "unlimited".
#[derive(Debug, Clone, PartialEq)]
pub struct BudgetConfig {
    /// Per user (root callers: sshd, sudo, login ...).
    pub user_hour: u32,
    pub user_day: u32,
    /// Per phone number.
    pub number_hour: u32,
    pub number_day: u32,
    /// Per number prefix (the number without its last 4 digits).
    pub prefix_hour: u32,
    pub prefix_day: u32,
    /// Per country calling code.
    pub country_hour: u32,
    pub country_day: u32,
    /// Per gateway.
    pub gateway_hour: u32,
    pub gateway_day: u32,
    /// Per user when the caller is not root (a screen locker running as the user).
    pub nonroot_user_hour: u32,
    pub nonroot_user_day: u32,
}

/// The `[budgets]` keys, in file order, for the schema, the tests and [`BudgetConfig::get`].
pub(super) const BUDGET_KEYS: &[&str] = &[
    "user_hour",
    "user_day",
    "number_hour",
    "number_day",
    "prefix_hour",
    "prefix_day",
    "country_hour",
    "country_day",
    "gateway_hour",
    "gateway_day",
    "nonroot_user_hour",
    "nonroot_user_day",
];

impl BudgetConfig {
    /// The value of one `[budgets]` key by name (as in the file), if it exists.
    pub fn get(&self, key: &str) -> Option<u32> {
        self.slot(key).copied()
    }

    pub(super) fn slot(&self, key: &str) -> Option<&u32> {
        Some(match key {
            "user_hour" => &self.user_hour,
            "user_day" => &self.user_day,
            "number_hour" => &self.number_hour,
            "number_day" => &self.number_day,
            "prefix_hour" => &self.prefix_hour,
            "prefix_day" => &self.prefix_day,
            "country_hour" => &self.country_hour,
            "country_day" => &self.country_day,
            "gateway_hour" => &self.gateway_hour,
            "gateway_day" => &self.gateway_day,
            "nonroot_user_hour" => &self.nonroot_user_hour,
            "nonroot_user_day" => &self.nonroot_user_day,
            _ => return None,
        })
    }

    pub(super) fn slot_mut(&mut self, key: &str) -> Option<&mut u32> {
        Some(match key {
            "user_hour" => &mut self.user_hour,
            "user_day" => &mut self.user_day,
            "number_hour" => &mut self.number_hour,
            "number_day" => &mut self.number_day,
            "prefix_hour" => &mut self.prefix_hour,
            "prefix_day" => &mut self.prefix_day,
            "country_hour" => &mut self.country_hour,
            "country_day" => &mut self.country_day,
            "gateway_hour" => &mut self.gateway_hour,
            "gateway_day" => &mut self.gateway_day,
            "nonroot_user_hour" => &mut self.nonroot_user_hour,
            "nonroot_user_day" => &mut self.nonroot_user_day,
            _ => return None,
        })
    }
}

/// The default `[sms] message`.
pub const DEFAULT_SMS_MESSAGE: &str =
    "{code} is your sign-in code for {issuer}. It expires in {minutes} minutes.";

impl SmsConfig {
    /// Whole minutes of `code_lifetime`, rounded down (at least 1), as `{minutes}` shows them.
    pub fn minutes(&self) -> u64 {
        (self.code_lifetime.as_secs() / 60).max(1)
    }

    /// The text to send: `message` with `{code}`, `{issuer}` and `{minutes}` filled in.
    pub fn render(&self, code: &str, issuer: &str) -> String {
        let minutes = self.minutes().to_string();
        templates::render(
            &self.message,
            &[("code", code), ("issuer", issuer), ("minutes", &minutes)],
        )
    }
}

impl Default for PhoneConfig {
    fn default() -> Self {
        PhoneConfig {
            allowed_countries: Vec::new(),
            sms_types: vec![NumberType::Mobile, NumberType::FixedLineOrMobile],
            voice_types: vec![
                NumberType::Mobile,
                NumberType::FixedLineOrMobile,
                NumberType::FixedLine,
            ],
        }
    }
}

impl Default for SmsConfig {
    fn default() -> Self {
        SmsConfig {
            gateways: Vec::new(),
            code_length: 6,
            code_lifetime: Duration::from_secs(300),
            max_checks: 3,
            resend_cooldown: Duration::from_secs(60),
            message: DEFAULT_SMS_MESSAGE.to_owned(),
        }
    }
}

impl Default for VoiceConfig {
    fn default() -> Self {
        VoiceConfig {
            gateways: Vec::new(),
            mode: VoiceMode::PressHash,
            answer_timeout: Duration::from_secs(90),
        }
    }
}

impl Default for BudgetConfig {
    fn default() -> Self {
        BudgetConfig {
            user_hour: 5,
            user_day: 10,
            number_hour: 5,
            number_day: 10,
            prefix_hour: 20,
            prefix_day: 50,
            country_hour: 100,
            country_day: 500,
            gateway_hour: 500,
            gateway_day: 2000,
            nonroot_user_hour: 2,
            nonroot_user_day: 4,
        }
    }
}
