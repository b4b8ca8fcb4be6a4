//! The methods a user can have, by their stable names (what `mfa status`, `mfa admin` and the
//! store's preferred order use).

use std::fmt;
use std::str::FromStr;

/// One second-factor method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MethodId {
    Totp,
    Backup,
    Sms,
    Voice,
    Push,
}

impl MethodId {
    /// Every method, in the order status lines list them.
    pub const ALL: [MethodId; 5] = [
        MethodId::Totp,
        MethodId::Backup,
        MethodId::Sms,
        MethodId::Voice,
        MethodId::Push,
    ];

    /// The stable name ("totp", "backup", "sms", "voice", "push").
    pub fn name(self) -> &'static str {
        match self {
            MethodId::Totp => "totp",
            MethodId::Backup => "backup",
            MethodId::Sms => "sms",
            MethodId::Voice => "voice",
            MethodId::Push => "push",
        }
    }

    /// The methods a removal by `name` takes away: one method, or "phone" for the enrolled
    /// number (texts and calls both use it). None for an unknown name.
    pub fn removal(name: &str) -> Option<Vec<MethodId>> {
        if name == "phone" {
            return Some(vec![MethodId::Sms, MethodId::Voice]);
        }
        name.parse().ok().map(|m| vec![m])
    }

    /// "totp, backup, sms, voice, push, phone": what a removal accepts, for error messages.
    pub fn removal_names() -> String {
        let mut names: Vec<&str> = MethodId::ALL.iter().map(|m| m.name()).collect();
        names.push("phone");
        names.join(", ")
    }
}

impl fmt::Display for MethodId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for MethodId {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        MethodId::ALL
            .into_iter()
            .find(|m| m.name() == s)
            .ok_or_else(|| format!("unknown method {s:?}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_parses_back_to_its_method() {
        for m in MethodId::ALL {
            assert_eq!(m.name().parse::<MethodId>(), Ok(m));
        }
        assert!("TOTP".parse::<MethodId>().is_err());
    }

    #[test]
    fn removing_the_phone_removes_texts_and_calls() {
        assert_eq!(
            MethodId::removal("phone"),
            Some(vec![MethodId::Sms, MethodId::Voice])
        );
        assert_eq!(MethodId::removal("push"), Some(vec![MethodId::Push]));
        assert_eq!(MethodId::removal("fax"), None);
    }
}
