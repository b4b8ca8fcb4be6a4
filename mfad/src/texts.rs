//! The texts the daemon shows at login whatever the method, in each supported language, and the
//! "other options" menu built from them. Each method's own texts live in its folder,
//! `methods/*/texts.rs`; all are catalogs of `mfa_proto::i18n`.

use mfa_proto::i18n::catalog;

use crate::auth::stage::MethodOption;
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

/// The numbered menu, as one prompt (sshd shows info text only together with a prompt). Each
/// method writes its own line (`Method::label`); numbers are always shown masked.
pub fn menu(lang: Language, options: &[MethodOption], note: Option<&str>) -> String {
    let mut text = String::new();
    if let Some(note) = note {
        text.push_str(note);
        text.push('\n');
    }
    text.push_str(Text::ChooseHow.text(lang));
    text.push('\n');
    for (i, option) in options.iter().enumerate() {
        let label = crate::methods::get(option.method).label(lang, &option.target);
        text.push_str(&format!("  {}) {label}\n", i + 1));
    }
    text.push_str(Text::MenuNumber.text(lang));
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use mfa_proto::MethodId;

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

    #[test]
    fn the_menu_numbers_each_methods_own_line_in_the_sessions_language() {
        let options = [
            MethodOption {
                method: MethodId::Totp,
                target: String::new(),
            },
            MethodOption {
                method: MethodId::Sms,
                target: "+31 •••• ••78".into(),
            },
        ];
        assert_eq!(
            menu(Language::En, &options, Some("Note.")),
            "Note.\nChoose how to confirm this sign-in:\n  \
             1) Code from the authenticator app, or a backup code\n  \
             2) Text message to +31 •••• ••78\nNumber: "
        );
        assert!(menu(Language::Nl, &options, None).contains("  2) Sms naar +31 •••• ••78\n"));
    }
}
