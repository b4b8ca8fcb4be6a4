//! Admin commands that name an account warn when the host knows no such account: a typo in
//! `mfa admin enroll-totp alcie` would otherwise enroll a record nobody logs in with, silently.
//! Only a warning: in a fleet the account may live in a directory this host cannot reach yet.

use crate::admin_messages::Msg;
use crate::i18n::tr;
use mfa_config::Language;

/// What the host's user database (NSS: files, LDAP, SSSD…) says about a name.
#[derive(Debug, PartialEq, Eq)]
pub enum Account {
    Exists,
    Missing,
    /// The lookup itself failed (a directory down); we cannot tell.
    Unknown(String),
}

pub fn look_up(user: &str) -> Account {
    match nix::unistd::User::from_name(user) {
        Ok(Some(_)) => Account::Exists,
        Ok(None) => Account::Missing,
        Err(e) => Account::Unknown(e.to_string()),
    }
}

/// The warning to print for `user`, if any.
pub fn warning(lang: Language, user: &str) -> Option<String> {
    match look_up(user) {
        Account::Exists => None,
        Account::Missing => Some(tr!(lang, Msg::NoSuchAccount, user = user)),
        Account::Unknown(error) => Some(tr!(
            lang,
            Msg::AccountLookupFailed,
            user = user,
            error = error
        )),
    }
}

/// Print the warning for `user` on stderr, if any.
pub fn warn_if_unknown(lang: Language, user: &str) {
    if let Some(text) = warning(lang, user) {
        eprintln!("mfa: {text}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_exists_and_a_made_up_name_does_not() {
        assert_eq!(look_up("root"), Account::Exists);
        assert_eq!(look_up("mfa-no-such-account-4711"), Account::Missing);
        assert!(warning(Language::En, "root").is_none());
        let text = warning(Language::En, "mfa-no-such-account-4711").unwrap_or_default();
        assert!(text.contains("mfa-no-such-account-4711"), "{text}");
    }
}
