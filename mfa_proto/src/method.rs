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
    pub const fn name(self) -> &'static str {
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

/// Every method's name, in [`MethodId::ALL`]'s order (the config's list of method words).
pub const NAMES: [&str; MethodId::ALL.len()] = {
    let mut names = [""; MethodId::ALL.len()];
    let mut i = 0;
    while i < names.len() {
        names[i] = MethodId::ALL[i].name();
        i += 1;
    }
    names
};

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
    fn the_name_list_follows_every_method_in_order() {
        assert_eq!(NAMES, MethodId::ALL.map(MethodId::name));
        assert_eq!(crate::METHOD_NAMES, NAMES);
        assert_eq!(NAMES[0], "totp");
    }

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
