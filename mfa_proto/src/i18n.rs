//! The one translation mechanism of the daemon and the CLI: the [`Language`]s, message catalogs
//! declared with [`catalog!`], and [`tr!`] to fill a message's `{name}` placeholders.
//!
//! Every message has a text in every language, or the catalog does not compile. A message whose
//! wording depends on a number carries that number (`CodesLeft(u64)`) and has a form per plural
//! category; English and Dutch have two, `one` (exactly 1) and `other`.
//!
//! ```
//! use mfa_proto::i18n::{Language, catalog, tr};
//!
//! catalog! {
//!     pub enum Msg {
//!         Unlocked { en: "{user}: unlocked", nl: "{user}: gedeblokkeerd" },
//!         CodesLeft(count) {
//!             en: { one: "{n} code left", other: "{n} codes left" },
//!             nl: { one: "{n} code over", other: "{n} codes over" },
//!         },
//!     }
//! }
//!
//! assert_eq!(tr!(Language::Nl, Msg::Unlocked, user = "alice"), "alice: gedeblokkeerd");
//! assert_eq!(tr!(Language::En, Msg::CodesLeft(1), n = 1), "1 code left");
//! assert_eq!(tr!(Language::En, Msg::CodesLeft(3), n = 3), "3 codes left");
//! ```

use std::collections::BTreeSet;
use std::fmt::{self, Display};
use std::str::FromStr;

mod catalog;
mod check;

pub use crate::{catalog, tr};
pub use check::{Message, assert_complete};

/// A language the texts exist in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    En,
    Nl,
}

impl Language {
    /// Every language, for tests that walk a catalog.
    pub const ALL: [Language; 2] = [Language::En, Language::Nl];

    /// The word as written in the config file and on the bus.
    pub fn as_str(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Nl => "nl",
        }
    }

    /// The plural category of `count` in this language.
    pub fn plural(self, count: u64) -> Plural {
        match self {
            Language::En | Language::Nl if count == 1 => Plural::One,
            Language::En | Language::Nl => Plural::Other,
        }
    }
}

impl FromStr for Language {
    type Err = UnknownLanguage;

    /// Case-insensitive, as the config file allows.
    fn from_str(s: &str) -> Result<Self, UnknownLanguage> {
        Language::ALL
            .into_iter()
            .find(|lang| s.eq_ignore_ascii_case(lang.as_str()))
            .ok_or(UnknownLanguage)
    }
}

impl Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A word that names no [`Language`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownLanguage;

impl Display for UnknownLanguage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(r#"expected "en" or "nl""#)
    }
}

impl std::error::Error for UnknownLanguage {}

/// The plural categories English and Dutch use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plural {
    One,
    Other,
}

/// The forms of one message in one language. A message that does not depend on a number has
/// the same text in both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Forms {
    pub one: &'static str,
    pub other: &'static str,
}

impl Forms {
    /// A text that reads the same whatever the numbers in it.
    pub const fn fixed(text: &'static str) -> Forms {
        Forms {
            one: text,
            other: text,
        }
    }

    /// The form for `count` in `lang`; no count means the text is fixed.
    pub fn pick(self, lang: Language, count: Option<u64>) -> &'static str {
        match count.map(|n| lang.plural(n)) {
            Some(Plural::One) => self.one,
            Some(Plural::Other) | None => self.other,
        }
    }
}

/// `template` with each `{name}` replaced by its value in `args`. Values are inserted as they
/// are (never scanned for placeholders themselves); braces around anything but a name stay as
/// written. A placeholder without a value, or a value without a placeholder, is a mistake in
/// the caller: debug builds (and so the tests) panic, release builds leave the placeholder.
pub fn fill(template: &str, args: &[(&str, &dyn Display)]) -> String {
    debug_assert!(
        {
            let wanted = placeholders(template);
            let given: BTreeSet<&str> = args.iter().map(|(k, _)| *k).collect();
            wanted == given
        },
        "{template:?} filled with {:?}",
        args.iter().map(|(k, _)| *k).collect::<Vec<_>>()
    );
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            let arg = args.iter().find(|(k, _)| *k == name)?;
            Some((close, arg.1))
        });
        match value {
            Some((close, v)) => {
                out.push_str(&v.to_string());
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The `{name}` placeholders of a template.
pub fn placeholders(template: &str) -> BTreeSet<&str> {
    let mut found = BTreeSet::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        rest = &rest[open + 1..];
        if let Some(close) = rest.find('}') {
            let name = &rest[..close];
            if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                found.insert(name);
                rest = &rest[close + 1..];
            }
        }
    }
    found
}

#[cfg(test)]
mod tests;
