//! Texts of the code prompt, in each supported language.

use mfa_proto::i18n::{catalog, tr};

use crate::config::Language;

catalog! {
    pub enum Text {
        /// The menu line.
        OptionLabel {
            en: "Code from the authenticator app, or a backup code",
            nl: "Code uit de authenticator-app, of een back-upcode",
        },
        /// The code prompt when the user has other ways to confirm.
        CodePromptWithMenu {
            en: "Verification code (or ? for other options): ",
            nl: "Verificatiecode (of ? voor andere mogelijkheden): ",
        },
        CodePrompt { en: "Verification code: ", nl: "Verificatiecode: " },
        /// The prompt for a user who prefers backup codes (both are accepted at it).
        BackupPrompt {
            en: "Backup code (or verification code): ",
            nl: "Back-upcode (of verificatiecode): ",
        },
        // One-line forms (`Render::OneLine`): each fits a one-line field of 40 characters.
        OneLabel { en: "App or backup code", nl: "Code uit app" },
        OneCodePromptWithMenu { en: "Code (? for options): ", nl: "Code (? voor opties): " },
        OneCodePrompt { en: "Code: ", nl: "Code: " },
        OneBackupPrompt { en: "Backup or app code: ", nl: "Back-up- of appcode: " },
        /// A right code of a step already used (to root callers only: see `login::replayed`).
        Replayed {
            en: "This code was already used: wait for the next code.",
            nl: "Deze code is al gebruikt: wacht op de volgende code.",
        },
        OneReplayed {
            en: "Code already used: wait for the next.",
            nl: "Code al gebruikt: wacht op de volgende.",
        },
        NoBackupCodesLeft {
            en: "You have no backup codes left: create new ones with `mfa backup-codes`.",
            nl: "U hebt geen back-upcodes meer: maak nieuwe aan met `mfa backup-codes`.",
        },
        BackupCodesLow(count) {
            en: {
                one: "Only {n} backup code left: create new ones with `mfa backup-codes`.",
                other: "Only {n} backup codes left: create new ones with `mfa backup-codes`.",
            },
            nl: {
                one: "Nog maar {n} back-upcode over: maak nieuwe aan met `mfa backup-codes`.",
                other: "Nog maar {n} back-upcodes over: maak nieuwe aan met `mfa backup-codes`.",
            },
        },
    }
}

/// Shown above the code prompt when few backup codes are left.
pub fn backup_codes_low(lang: Language, left: usize) -> String {
    if left == 0 {
        Text::NoBackupCodesLeft.text(lang).to_owned()
    } else {
        tr!(lang, Text::BackupCodesLow(left as u64), n = left)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_text_exists_in_english_and_dutch() {
        // "Code" is the same word in both.
        mfa_proto::i18n::assert_complete(Text::ALL, &[Text::OneCodePrompt]);
    }

    #[test]
    fn one_line_texts_fit_a_one_line_field() {
        for text in [
            Text::OneLabel,
            Text::OneCodePromptWithMenu,
            Text::OneCodePrompt,
            Text::OneBackupPrompt,
            Text::OneReplayed,
        ] {
            for lang in [Language::En, Language::Nl] {
                let t = text.text(lang);
                assert!(t.chars().count() <= mfa_proto::ONE_LINE_MAX_CHARS, "{t}");
                assert!(!t.contains('\n'), "{t}");
            }
        }
    }

    #[test]
    fn the_backup_code_warning_counts_in_words() {
        assert_eq!(
            backup_codes_low(Language::En, 1),
            "Only 1 backup code left: create new ones with `mfa backup-codes`."
        );
        assert_eq!(
            backup_codes_low(Language::Nl, 2),
            "Nog maar 2 back-upcodes over: maak nieuwe aan met `mfa backup-codes`."
        );
        assert!(backup_codes_low(Language::En, 0).starts_with("You have no backup codes left"));
    }
}
