//! The language of the `mfa` commands that are not a user's own (`mfa admin …`, `mfa doctor`,
//! `mfa test-login`) and the machinery of their message catalogs.
//!
//! The language is the caller's own, as the daemon reports it: `org.mfa.Mfad1.Enroll.Status()`
//! answers for the calling account, with `language` = the user's preference (`mfa language`)
//! or else the config's `[daemon] language`. When the daemon cannot be asked, the config file's
//! `[daemon] language` decides; when that cannot be read either, English. The environment
//! (`LANG`, `LC_*`) is never read.
//!
//! A catalog is declared with [`catalog!`]: every message has an English and a Dutch text, so
//! a missing translation does not compile. Texts may hold `{name}` placeholders, filled with
//! [`tr!`].

use std::collections::BTreeSet;
use std::fmt::Display;
use std::path::Path;
use std::time::Duration;

use mfa_config::{Config, Language};

/// How long to wait for the daemon's answer about the language: a hung bus must not hang the
/// command before it has even started.
pub const ASK_TIMEOUT: Duration = Duration::from_secs(5);

/// Declares a message catalog: an enum of messages with `ALL` (every message, for tests) and
/// `text(lang)`, each message with its English and Dutch text.
///
/// ```ignore
/// catalog! {
///     pub enum Msg {
///         Unlocked { en: "{user}: unlocked", nl: "{user}: gedeblokkeerd" },
///     }
/// }
/// ```
macro_rules! catalog {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident { en: $en:expr, nl: $nl:expr $(,)? } ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        $vis enum $name {
            $( $(#[$vmeta])* $variant ),*
        }

        impl $name {
            /// Every message of the catalog.
            #[allow(dead_code)]
            pub const ALL: &'static [$name] = &[ $( $name::$variant ),* ];

            /// The text in `lang` (may hold `{name}` placeholders: see `tr!`).
            pub fn text(self, lang: mfa_config::Language) -> &'static str {
                match lang {
                    mfa_config::Language::En => match self { $( $name::$variant => $en ),* },
                    mfa_config::Language::Nl => match self { $( $name::$variant => $nl ),* },
                }
            }
        }
    };
}
pub(crate) use catalog;

/// A message in a language, its `{name}` placeholders filled: `tr!(lang, Msg::X, user = u)`.
/// Without arguments it still returns a `String`.
macro_rules! tr {
    ($lang:expr, $msg:expr $(, $key:ident = $value:expr)* $(,)?) => {
        $crate::i18n::fill(
            $msg.text($lang),
            &[ $( (stringify!($key), &$value as &dyn ::std::fmt::Display) ),* ],
        )
    };
}
pub(crate) use tr;

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

/// For each catalog's unit test: every message exists in English and Dutch, the two differ,
/// and both have the same placeholders.
#[cfg(test)]
pub fn assert_complete<M: Copy + std::fmt::Debug>(
    all: &[M],
    text: impl Fn(M, Language) -> &'static str,
) {
    assert!(!all.is_empty());
    for &m in all {
        let (en, nl) = (text(m, Language::En), text(m, Language::Nl));
        assert!(!en.trim().is_empty(), "{m:?} has no English text");
        assert!(!nl.trim().is_empty(), "{m:?} has no Dutch text");
        assert_ne!(en, nl, "{m:?} is not translated");
        assert_eq!(
            placeholders(en),
            placeholders(nl),
            "{m:?}: the English and Dutch texts take different values"
        );
    }
}

catalog! {
    /// Words and messages shared by several commands.
    pub enum Common {
        Yes { en: "yes", nl: "ja" },
        No { en: "no", nl: "nee" },
        CannotStart { en: "cannot start: {error}", nl: "kan niet starten: {error}" },
        NoSystemBus {
            en: "cannot reach the system bus: {error}",
            nl: "kan de systeembus niet bereiken: {error}",
        },
        NoAnswerWithin {
            en: "no answer within {duration}",
            nl: "geen antwoord binnen {duration}",
        },
    }
}

/// "yes"/"no" from the daemon in `lang`; anything else as it came.
pub fn yes_no(lang: Language, value: &str) -> String {
    match value {
        "yes" => Common::Yes.text(lang).to_owned(),
        "no" => Common::No.text(lang).to_owned(),
        other => other.to_owned(),
    }
}

/// The `[daemon] language` of the config at `path`; English when it cannot be loaded.
pub fn from_config(path: &Path) -> Language {
    Config::load(path)
        .map(|c| c.daemon.language)
        .unwrap_or(Language::En)
}

/// The caller's language as the daemon reports it (the account's preference, else the daemon's
/// configured language); `None` when the daemon cannot be asked or says nothing usable.
pub async fn from_daemon(conn: &zbus::Connection) -> Option<Language> {
    let ask = async {
        let enroll = crate::user::proxies::EnrollProxy::new(conn).await.ok()?;
        let status = enroll.status().await.ok()?;
        status.get("language")?.parse().ok()
    };
    tokio::time::timeout(ASK_TIMEOUT, ask).await.ok().flatten()
}

/// The daemon's answer if there is a connection and it answers, else `config`'s language, else
/// English.
pub async fn resolve(conn: Option<&zbus::Connection>, config: &Path) -> Language {
    if let Some(conn) = conn
        && let Some(lang) = from_daemon(conn).await
    {
        return lang;
    }
    from_config(config)
}

/// The config path of the commands without a `--config`: the installed one.
pub fn default_config() -> &'static Path {
    Path::new(mfa_config::DEFAULT_PATH)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_common_message_exists_in_english_and_dutch_and_differs() {
        assert_complete(Common::ALL, Common::text);
    }

    #[test]
    fn placeholders_are_filled_and_values_are_not_rescanned() {
        let user = "{path}";
        assert_eq!(
            fill(
                "{user}: {path} and {no way} {",
                &[("user", &user), ("path", &7)]
            ),
            "{path}: 7 and {no way} {"
        );
        assert_eq!(
            tr!(Language::Nl, Common::CannotStart, error = "x"),
            "kan niet starten: x"
        );
        assert_eq!(tr!(Language::En, Common::Yes), "yes");
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic]
    fn a_missing_value_is_a_mistake_caught_in_tests() {
        let _ = fill("{user}: {path}", &[("user", &"alice")]);
    }

    #[test]
    fn placeholders_are_names_in_braces() {
        let found: Vec<&str> = placeholders("a {b} {c_1} {no way} {} {b}")
            .into_iter()
            .collect();
        assert_eq!(found, ["b", "c_1"]);
    }

    #[test]
    fn yes_and_no_are_translated_and_other_values_kept() {
        assert_eq!(yes_no(Language::Nl, "yes"), "ja");
        assert_eq!(yes_no(Language::Nl, "no"), "nee");
        assert_eq!(yes_no(Language::En, "no"), "no");
        assert_eq!(yes_no(Language::Nl, "?"), "?");
    }

    #[test]
    fn an_unreadable_config_means_english() {
        assert_eq!(
            from_config(Path::new("/nonexistent/mfad.toml")),
            Language::En
        );
    }
}
