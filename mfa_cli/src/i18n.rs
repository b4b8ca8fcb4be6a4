//! The language of the `mfa` commands that are not a user's own (`mfa admin …`, `mfa doctor`,
//! `mfa test-login`) and the machinery of their message catalogs.
//!
//! The language is the caller's own, as the daemon reports it: `org.mfa.Mfad1.Enroll.Status()`
//! answers for the calling account, with `language` = the user's preference (`mfa language`)
//! or else the config's `[daemon] language`. When the daemon cannot be asked, the config file's
//! `[daemon] language` decides; when that cannot be read either, English. The environment
//! (`LANG`, `LC_*`) is never read.
//!
//! The catalogs are declared with `mfa_proto::i18n`'s `catalog!`, the one mechanism the daemon
//! uses too: every message has an English and a Dutch text, so a missing translation does not
//! compile. Texts may hold `{name}` placeholders, filled with `tr!`.

use std::path::Path;
use std::time::Duration;

use mfa_config::{Config, Language};

/// How long to wait for the daemon's answer about the language: a hung bus must not hang the
/// command before it has even started.
pub const ASK_TIMEOUT: Duration = Duration::from_secs(5);

pub(crate) use mfa_proto::i18n::{catalog, tr};

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
        mfa_proto::i18n::assert_complete(Common::ALL, &[]);
    }

    #[test]
    fn common_messages_are_filled_in_the_callers_language() {
        assert_eq!(
            tr!(Language::Nl, Common::CannotStart, error = "x"),
            "kan niet starten: x"
        );
        assert_eq!(tr!(Language::En, Common::Yes), "yes");
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
