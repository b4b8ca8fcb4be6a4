//! The channel a code goes out on, and the number types the policy speaks about.

use phonenumber::Type;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Channel {
    Sms,
    Voice,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Sms => "sms",
            Channel::Voice => "voice",
        }
    }
}

impl std::fmt::Display for Channel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// libphonenumber's number types, as named in the config (`snake_case`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NumberKind {
    Mobile,
    FixedLine,
    FixedLineOrMobile,
    TollFree,
    PremiumRate,
    SharedCost,
    Voip,
    PersonalNumber,
    Pager,
    Uan,
    Voicemail,
    Unknown,
}

impl NumberKind {
    pub const ALL: [NumberKind; 12] = [
        NumberKind::Mobile,
        NumberKind::FixedLine,
        NumberKind::FixedLineOrMobile,
        NumberKind::TollFree,
        NumberKind::PremiumRate,
        NumberKind::SharedCost,
        NumberKind::Voip,
        NumberKind::PersonalNumber,
        NumberKind::Pager,
        NumberKind::Uan,
        NumberKind::Voicemail,
        NumberKind::Unknown,
    ];

    /// Types that cost the sender money or are routed elsewhere: refused for every channel,
    /// whatever the policy lists (a config naming one of them can be warned about).
    pub fn is_never_allowed(self) -> bool {
        matches!(
            self,
            NumberKind::PremiumRate
                | NumberKind::SharedCost
                | NumberKind::Uan
                | NumberKind::Pager
                | NumberKind::PersonalNumber
        )
    }

    /// The config name.
    pub fn as_str(self) -> &'static str {
        match self {
            NumberKind::Mobile => "mobile",
            NumberKind::FixedLine => "fixed_line",
            NumberKind::FixedLineOrMobile => "fixed_line_or_mobile",
            NumberKind::TollFree => "toll_free",
            NumberKind::PremiumRate => "premium_rate",
            NumberKind::SharedCost => "shared_cost",
            NumberKind::Voip => "voip",
            NumberKind::PersonalNumber => "personal_number",
            NumberKind::Pager => "pager",
            NumberKind::Uan => "uan",
            NumberKind::Voicemail => "voicemail",
            NumberKind::Unknown => "unknown",
        }
    }

    /// English, with its article, for messages ("a premium-rate number").
    pub fn describe(self) -> &'static str {
        match self {
            NumberKind::Mobile => "a mobile number",
            NumberKind::FixedLine => "a fixed-line number",
            NumberKind::FixedLineOrMobile => "a number that may be fixed-line or mobile",
            NumberKind::TollFree => "a toll-free number",
            NumberKind::PremiumRate => "a premium-rate number",
            NumberKind::SharedCost => "a shared-cost number",
            NumberKind::Voip => "an internet (VoIP) number",
            NumberKind::PersonalNumber => "a personal forwarding number",
            NumberKind::Pager => "a pager number",
            NumberKind::Uan => "a company access (UAN) number",
            NumberKind::Voicemail => "a voicemail access number",
            NumberKind::Unknown => "a number of unknown type",
        }
    }
}

impl std::fmt::Display for NumberKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for NumberKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        NumberKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = NumberKind::ALL.iter().map(|k| k.as_str()).collect();
                format!("unknown number type {s:?} (one of: {})", names.join(", "))
            })
    }
}

impl From<Type> for NumberKind {
    /// Types that a valid full number never has (emergency, short codes, …) map to `Unknown`.
    fn from(kind: Type) -> Self {
        match kind {
            Type::Mobile => NumberKind::Mobile,
            Type::FixedLine => NumberKind::FixedLine,
            Type::FixedLineOrMobile => NumberKind::FixedLineOrMobile,
            Type::TollFree => NumberKind::TollFree,
            Type::PremiumRate => NumberKind::PremiumRate,
            Type::SharedCost => NumberKind::SharedCost,
            Type::Voip => NumberKind::Voip,
            Type::PersonalNumber => NumberKind::PersonalNumber,
            Type::Pager => NumberKind::Pager,
            Type::Uan => NumberKind::Uan,
            Type::Voicemail => NumberKind::Voicemail,
            Type::Emergency
            | Type::ShortCode
            | Type::StandardRate
            | Type::Carrier
            | Type::NoInternational
            | Type::Unknown => NumberKind::Unknown,
        }
    }
}
