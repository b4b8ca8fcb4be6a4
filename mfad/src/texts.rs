//! The texts the daemon shows at login whatever the method, in each supported language. The
//! "other options" menu built from them is `methods/prompts.rs` (each method writes its own
//! line); each method's own texts live in its folder, `methods/*/texts.rs`; all are catalogs of
//! `mfa_proto::i18n`.

use mfa_proto::i18n::catalog;

use crate::config::Language;
use mfa_proto::Render;

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
        // One-line forms (`Render::OneLine`): each fits a one-line field of 40 characters.
        /// One choice of the one-line menu: "" takes it, "n" shows the next.
        MenuItem {
            en: "{pos}/{count} {label}: Enter=yes n=next",
            nl: "{pos}/{count} {label}: Enter=ja n=volgende",
        },
        NotAnOptionShort { en: "Not an option.", nl: "Geen optie." },
        WrongCodeShort { en: "Wrong code.", nl: "Onjuiste code." },
        LockedShort {
            en: "Locked: ask an administrator.",
            nl: "Geblokkeerd: vraag een beheerder.",
        },
        UnavailableShort {
            en: "Cannot check now. Try again later.",
            nl: "Kan nu niet controleren. Probeer later.",
        },
        CooldownShort(seconds) {
            en: { one: "Too many tries. Wait {seconds} second.", other: "Too many tries. Wait {seconds} seconds." },
            nl: { one: "Te veel pogingen. Wacht {seconds} seconde.", other: "Te veel pogingen. Wacht {seconds} seconden." },
        },
    }
}

/// "Too many failed attempts. Try again in N seconds."
pub fn cooldown(lang: Language, render: Render, seconds: u64) -> String {
    let text = match render {
        Render::Lines => Text::Cooldown(seconds),
        Render::OneLine => Text::CooldownShort(seconds),
    };
    mfa_proto::i18n::tr!(lang, text, seconds = seconds)
}

/// The text of a final step for the caller's screen: `long` on lines, `short` on one line.
pub fn fit(lang: Language, render: Render, long: Text, short: Text) -> String {
    match render {
        Render::Lines => long,
        Render::OneLine => short,
    }
    .text(lang)
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_exists_in_english_and_dutch_and_differs() {
        mfa_proto::i18n::assert_complete(Text::ALL, &[]);
    }

    #[test]
    fn the_one_line_final_texts_fit_one_line_in_every_language() {
        for lang in Language::ALL {
            let texts = [
                cooldown(lang, Render::OneLine, 3600),
                fit(lang, Render::OneLine, Text::Locked, Text::LockedShort),
                fit(
                    lang,
                    Render::OneLine,
                    Text::Unavailable,
                    Text::UnavailableShort,
                ),
                Text::WrongCodeShort.text(lang).to_string(),
            ];
            for text in texts {
                assert!(crate::methods::one_line::fits(&text), "{text:?}");
            }
        }
    }

    #[test]
    fn the_cooldown_counts_its_seconds_in_words() {
        assert_eq!(
            cooldown(Language::En, Render::Lines, 5),
            "Too many failed attempts. Try again in 5 seconds."
        );
        assert_eq!(
            cooldown(Language::En, Render::Lines, 1),
            "Too many failed attempts. Try again in 1 second."
        );
        assert_eq!(
            cooldown(Language::Nl, Render::Lines, 1),
            "Te veel mislukte pogingen. Probeer het over 1 seconde opnieuw."
        );
    }
}
