//! The keys of the phone channels' tables: `[phone]`, `[sms]`, `[voice]`, `[web]` and
//! `[budgets]`, each written once (see [`table!`]). `channels_schema` has the readers of the
//! keys that need their own checks.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use super::channels_schema::{base_url, countries, gateway_names, listen, message, number_types};
use super::keys::{EmptyOr, File, Int, Secs, With, Word, secs};
use super::templates;

table! {
    /// `[phone]`: which numbers may be enrolled for texts and calls.
    pub struct PhoneConfig {
        /// ISO 3166-1 alpha-2 region codes ("NL", "US"), upper case; empty means any country.
        allowed_countries: Vec<String> = Vec::new(), With(countries);
        /// Number types that may receive texts.
        sms_types: Vec<NumberType> = vec![NumberType::Mobile, NumberType::FixedLineOrMobile],
            With(number_types);
        /// Number types that may receive calls.
        voice_types: Vec<NumberType> = vec![
            NumberType::Mobile,
            NumberType::FixedLineOrMobile,
            NumberType::FixedLine,
        ], With(number_types);
    }
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

table! {
    /// `[sms]`: codes sent by text message.
    pub struct SmsConfig {
        /// Gateway names in fallback order; empty means SMS is off.
        gateways: Vec<String> = Vec::new(), With(gateway_names);
        /// Digits per code.
        code_length: u32 = 6, Int(6..=10);
        /// How long a code may be used.
        code_lifetime: Duration = secs(300), Secs(60..=1800);
        /// Wrong answers accepted per code; then the code is void.
        max_checks: u32 = 3, Int(1..=10);
        /// Least time between two texts for one login.
        resend_cooldown: Duration = secs(60), Secs(10..=600);
        /// The text, with `{code}` and optionally `{issuer}` and `{minutes}`; ASCII, one SMS.
        message: String = DEFAULT_SMS_MESSAGE.to_owned(), With(message);
    }
}

table! {
    /// `[voice]`: calls the user answers.
    pub struct VoiceConfig {
        /// Gateway names in fallback order (twilio only); empty means calls are off.
        gateways: Vec<String> = Vec::new(), With(gateway_names);
        /// What the user does on the call.
        mode: VoiceMode = VoiceMode::PressHash, Word;
        /// How long the daemon waits for the callout to be answered.
        answer_timeout: Duration = secs(90), Secs(20..=300);
    }
}

/// What the user does on the call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoiceMode {
    /// Answer and press `#`.
    PressHash,
    /// Type the digits shown on the login screen, then `#` (resists approving a stranger's call).
    NumberMatch,
}

table! {
    /// `[web]`: the daemon's HTTP listener for provider callbacks and the push approval page.
    pub struct WebConfig {
        /// Address to listen on; `None` (`""`) means no listener.
        listen: Option<SocketAddr> = None, EmptyOr(With(listen));
        /// The URL providers call back: `https://` (`http://` for loopback), no trailing slash.
        public_url: Option<String> = None, EmptyOr(With(base_url));
        /// Certificate chain (PEM) when the daemon terminates TLS itself; both or neither.
        tls_cert: Option<PathBuf> = None, EmptyOr(File);
        /// Private key (PEM) for `tls_cert`.
        tls_key: Option<PathBuf> = None, EmptyOr(File);
    }
}

table! {
    /// `[budgets]`: texts and calls together allowed per hour and per day, per scope. Every value
    /// is at least 1: there is no "unlimited".
    pub struct BudgetConfig {
        /// Per user (root callers: sshd, sudo, login ...), per hour.
        user_hour: u32 = 5, Int(1..=10_000);
        /// Per user, per day.
        user_day: u32 = 20, Int(1..=10_000);
        /// Per phone number, per hour.
        number_hour: u32 = 5, Int(1..=10_000);
        /// Per phone number, per day (as high as `user_day`, so the user's own number does not
        /// cap a day of screen unlocks first).
        number_day: u32 = 20, Int(1..=10_000);
        /// Per number prefix (the number without its last 4 digits), per hour.
        prefix_hour: u32 = 20, Int(1..=10_000);
        /// Per number prefix, per day.
        prefix_day: u32 = 50, Int(1..=10_000);
        /// Per country calling code, per hour.
        country_hour: u32 = 100, Int(1..=10_000);
        /// Per country calling code, per day.
        country_day: u32 = 500, Int(1..=10_000);
        /// Per gateway, per hour.
        gateway_hour: u32 = 500, Int(1..=10_000);
        /// Per gateway, per day.
        gateway_day: u32 = 2000, Int(1..=10_000);
        /// Per user when the caller is not root (a screen locker running as the user), per hour:
        /// enough to unlock the screen with a text a few times an hour. Texts sent while the
        /// user enrolls their own number do not count here.
        nonroot_user_hour: u32 = 4, Int(1..=10_000);
        /// The same, per day.
        nonroot_user_day: u32 = 12, Int(1..=10_000);
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
