//! The texts the daemon shows at login whatever the method, in each supported language. The
//! "other options" menu built from them is `methods/prompts.rs` (each method writes its own
//! line); each method's own texts live in its folder, `methods/*/texts.rs`; all are catalogs of
//! `mfa_proto::i18n`.

use mfa_proto::i18n::catalog;

use crate::config::Language;

catalog! {
    pub enum Text {
        WrongCode { en: "Wrong verification code.", nl: "Onjuiste verificatiecode." },
        Locked {
            en: "Too many failed attempts: this account is locked. Ask an administrator to unlock it.",
            nl: "Te veel mislukte pogingen: dit account is geblokkeerd. Vraag een beheerder om het te deblokkeren.",
        },
        Unavailable {
            en: "The second factor cannot be checked right now. Try again later.",
            nl: "De tweede factor kan nu niet worden gecontroleerd. Probeer het later opnieuw.",
        },
        Busy {
            en: "Too many sign-ins at once. Try again in a moment.",
            nl: "Te veel aanmeldingen tegelijk. Probeer het zo opnieuw.",
        },
        Cooldown(seconds) {
            en: {
                one: "Too many failed attempts. Try again in {seconds} second.",
                other: "Too many failed attempts. Try again in {seconds} seconds.",
            },
            nl: {
                one: "Te veel mislukte pogingen. Probeer het over {seconds} seconde opnieuw.",
                other: "Te veel mislukte pogingen. Probeer het over {seconds} seconden opnieuw.",
            },
        },
        // the menu
        ChooseHow {
            en: "Choose how to confirm this sign-in:",
            nl: "Kies hoe u deze aanmelding bevestigt:",
        },
        MenuNumber { en: "Number: ", nl: "Nummer: " },
        NotAnOption {
            en: "That is not one of the options.",
            nl: "Dat is geen van de mogelijkheden.",
        },
    }
}

/// "Too many failed attempts. Try again in N seconds."
pub fn cooldown(lang: Language, seconds: u64) -> String {
    mfa_proto::i18n::tr!(lang, Text::Cooldown(seconds), seconds = seconds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_exists_in_english_and_dutch_and_differs() {
        mfa_proto::i18n::assert_complete(Text::ALL, &[]);
    }

    #[test]
    fn the_cooldown_counts_its_seconds_in_words() {
        assert_eq!(
            cooldown(Language::En, 5),
            "Too many failed attempts. Try again in 5 seconds."
        );
        assert_eq!(
            cooldown(Language::En, 1),
            "Too many failed attempts. Try again in 1 second."
        );
        assert_eq!(
            cooldown(Language::Nl, 1),
            "Te veel mislukte pogingen. Probeer het over 1 seconde opnieuw."
        );
    }
}
