//! Phone numbers for SMS and voice: parse typed input to canonical E.164, refuse numbers that
//! cost money or cannot receive the channel (toll-fraud controls, `reference/gateways.md` §4.2),
//! and show or log a number without revealing it (§4.4).
//!
//! Only full international input is accepted: `+` or `00`, then the country code. There is no
//! default region, so "06 12345678" is refused rather than guessed.

mod classify;
mod kind;
#[cfg(test)]
mod tests;

pub use kind::{Channel, NumberKind};

use hmac::{KeyInit, Mac};
use phonenumber::Mode;
use phonenumber::metadata::DATABASE;

/// Longer typed input is not a phone number (bounded input to the parser).
const MAX_INPUT_CHARS: usize = 64;

/// What is allowed on top of the checks that always apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhonePolicy {
    /// ISO 3166 alpha-2 regions (case-insensitive); empty allows every region.
    pub allowed_countries: Vec<String>,
    /// Number types a text message may go to.
    pub sms_types: Vec<NumberKind>,
    /// Number types a call may go to.
    pub voice_types: Vec<NumberKind>,
}

impl Default for PhonePolicy {
    /// Any country; SMS to mobiles only; voice also to fixed lines.
    fn default() -> Self {
        PhonePolicy {
            allowed_countries: Vec::new(),
            sms_types: vec![NumberKind::Mobile, NumberKind::FixedLineOrMobile],
            voice_types: vec![
                NumberKind::Mobile,
                NumberKind::FixedLineOrMobile,
                NumberKind::FixedLine,
            ],
        }
    }
}

/// A number that passed every check, in canonical form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone {
    /// `+` and up to 15 digits; the only form stored and compared.
    pub e164: String,
    /// ISO 3166 alpha-2 region from the number's metadata ("NL"; "IM" for +44 7624 …).
    pub region: String,
    pub country_code: u16,
    pub kind: NumberKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhoneError {
    Empty,
    /// Does not start with `+` or `00`.
    NotInternational,
    /// Letters, extensions or other characters than digits and separators.
    BadCharacters,
    /// Not a valid number by the metadata (wrong length, unassigned range or country code).
    Invalid,
    /// A non-geographic number (+800, +882, …): no country, never accepted.
    NoCountry {
        country_code: u16,
    },
    CountryNotAllowed {
        region: String,
        country_code: u16,
    },
    /// Premium-rate, shared-cost, UAN, pager or personal number: refused whatever the policy.
    KindNeverAllowed {
        kind: NumberKind,
    },
    /// The policy does not allow this type for this channel.
    KindNotAllowed {
        kind: NumberKind,
        channel: Channel,
    },
}

impl std::fmt::Display for PhoneError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PhoneError::Empty => f.write_str("Type a phone number."),
            PhoneError::NotInternational => f.write_str(
                "Type the number in international form: + and the country code first \
                 (for example +31 6 12345678).",
            ),
            PhoneError::BadCharacters => f.write_str(
                "A phone number may contain only digits, spaces, dashes, dots, slashes and \
                 parentheses after the leading +.",
            ),
            PhoneError::Invalid => f.write_str(
                "This is not a valid phone number: check the country code and the number of \
                 digits.",
            ),
            PhoneError::NoCountry { country_code } => write!(
                f,
                "Numbers of international networks (+{country_code}) are not accepted."
            ),
            PhoneError::CountryNotAllowed {
                region,
                country_code,
            } => write!(
                f,
                "Phone numbers from {region} (+{country_code}) are not accepted here."
            ),
            PhoneError::KindNeverAllowed { kind } => write!(
                f,
                "This is {}; such numbers are never accepted.",
                kind.describe()
            ),
            PhoneError::KindNotAllowed { kind, channel } => match channel {
                Channel::Sms => write!(f, "Text messages cannot be sent to {}.", kind.describe()),
                Channel::Voice => write!(f, "Calls cannot be made to {}.", kind.describe()),
            },
        }
    }
}

impl std::error::Error for PhoneError {}

/// Parse what a user or admin typed, check it against the policy for `channel`, and return it
/// in canonical E.164 form.
pub fn parse(input: &str, policy: &PhonePolicy, channel: Channel) -> Result<Phone, PhoneError> {
    let international = international_form(input)?;
    let number = phonenumber::parse(None, &international).map_err(|_| PhoneError::Invalid)?;
    if !number.is_valid() || number.extension().is_some() {
        return Err(PhoneError::Invalid);
    }
    let e164 = number.format().mode(Mode::E164).to_string();
    if !is_e164(&e164) {
        return Err(PhoneError::Invalid);
    }
    let country_code = number.code().value();
    let (region, kind) =
        classify::classify(&number).ok_or(PhoneError::NoCountry { country_code })?;
    let kind = NumberKind::from(kind);
    if !policy.allowed_countries.is_empty()
        && !policy
            .allowed_countries
            .iter()
            .any(|c| c.trim().eq_ignore_ascii_case(&region))
    {
        return Err(PhoneError::CountryNotAllowed {
            region,
            country_code,
        });
    }
    if kind.is_never_allowed() {
        return Err(PhoneError::KindNeverAllowed { kind });
    }
    let allowed = match channel {
        Channel::Sms => &policy.sms_types,
        Channel::Voice => &policy.voice_types,
    };
    if !allowed.contains(&kind) {
        return Err(PhoneError::KindNotAllowed { kind, channel });
    }
    Ok(Phone {
        e164,
        region,
        country_code,
        kind,
    })
}

/// `+` followed by the rest of the input, once the input is known to be international and to
/// hold only digits and separators.
fn international_form(input: &str) -> Result<String, PhoneError> {
    let input = input.trim();
    if input.is_empty() {
        return Err(PhoneError::Empty);
    }
    if input.chars().count() > MAX_INPUT_CHARS {
        return Err(PhoneError::Invalid);
    }
    let rest = input
        .strip_prefix('+')
        .or_else(|| input.strip_prefix("00"))
        .ok_or(PhoneError::NotInternational)?;
    let separator = |c: char| matches!(c, ' ' | '-' | '.' | '/' | '(' | ')');
    if !rest.chars().all(|c| c.is_ascii_digit() || separator(c)) {
        return Err(PhoneError::BadCharacters);
    }
    Ok(format!("+{rest}"))
}

fn is_e164(s: &str) -> bool {
    s.strip_prefix('+').is_some_and(|digits| {
        (2..=15).contains(&digits.len())
            && !digits.starts_with('0')
            && digits.bytes().all(|b| b.is_ascii_digit())
    })
}

/// What a prompt or log line shows of a number: the country code and the last two digits, with
/// a mask of fixed width so the length of the number is not revealed ("+31 ••• ••• ••78").
/// Anything that is not a plausible E.164 number gives a mask with no digits at all.
pub fn mask(e164: &str) -> String {
    const NOTHING: &str = "+•• ••• ••• ••••";
    let Some(digits) = e164.strip_prefix('+') else {
        return NOTHING.to_string();
    };
    if !is_e164(e164) {
        return NOTHING.to_string();
    }
    // Country codes are prefix-free: exactly one of the first 1–3 digits is assigned.
    let code_len = (1..=3).find(|&len| {
        digits
            .get(..len)
            .and_then(|code| code.parse::<u16>().ok())
            .is_some_and(|code| DATABASE.region(&code).is_some())
    });
    match code_len {
        // At least four national digits, so that two of them stay hidden.
        Some(len) if digits.len() >= len + 4 => {
            let last_two = &digits[digits.len() - 2..];
            format!("+{} ••• ••• ••{last_two}", &digits[..len])
        }
        _ => NOTHING.to_string(),
    }
}

/// The number without its last four digits: the block of 10 000 numbers a pumping attack walks
/// through (Twilio's "1k prefix"), used as a budget key. Non-digits are dropped.
pub fn prefix(e164: &str) -> String {
    let digits: String = e164.chars().filter(char::is_ascii_digit).collect();
    let keep = digits.len().saturating_sub(4);
    format!("+{}", &digits[..keep])
}

/// A short, stable, keyed identifier of a number for logs: the first 8 bytes of
/// HMAC-SHA256(pepper, e164) in hex. Without the pepper the number cannot be recovered by
/// hashing every number of a country.
pub fn log_id(e164: &str, pepper: &[u8]) -> String {
    let mut mac = <hmac::Hmac<sha2::Sha256> as KeyInit>::new_from_slice(pepper)
        .expect("HMAC accepts keys of any length");
    mac.update(e164.as_bytes());
    hex::encode(&mac.finalize().into_bytes()[..8])
}
