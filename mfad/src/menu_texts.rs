//! Texts of the "other options" menu and of text-message codes, in each supported language.
//! Numbers are always shown masked.

use crate::auth::stage::{MethodKind, MethodOption};
use crate::config::Language;

/// Added to the code prompt when the user has other ways to confirm.
pub fn code_prompt_with_menu(lang: Language) -> &'static str {
    match lang {
        Language::En => "Verification code (or ? for other options): ",
        Language::Nl => "Verificatiecode (of ? voor andere mogelijkheden): ",
    }
}

pub fn option_label(lang: Language, option: &MethodOption) -> String {
    match (lang, option.kind) {
        (Language::En, MethodKind::Code) => {
            "Code from the authenticator app, or a backup code".into()
        }
        (Language::Nl, MethodKind::Code) => {
            "Code uit de authenticator-app, of een back-upcode".into()
        }
        (Language::En, MethodKind::Sms) => format!("Text message to {}", option.target),
        (Language::Nl, MethodKind::Sms) => format!("Sms naar {}", option.target),
        (_, MethodKind::Voice) => crate::methods::voice::texts::option_label(lang, &option.target),
        (_, MethodKind::Push) => crate::methods::push::texts::option_label(lang).to_string(),
    }
}

/// The numbered menu, as one prompt (sshd shows info text only together with a prompt).
pub fn menu(lang: Language, options: &[MethodOption], note: Option<&str>) -> String {
    let mut text = String::new();
    if let Some(note) = note {
        text.push_str(note);
        text.push('\n');
    }
    text.push_str(match lang {
        Language::En => "Choose how to confirm this sign-in:\n",
        Language::Nl => "Kies hoe u deze aanmelding bevestigt:\n",
    });
    for (i, option) in options.iter().enumerate() {
        text.push_str(&format!("  {}) {}\n", i + 1, option_label(lang, option)));
    }
    text.push_str(match lang {
        Language::En => "Number: ",
        Language::Nl => "Nummer: ",
    });
    text
}

pub fn not_an_option(lang: Language) -> &'static str {
    match lang {
        Language::En => "That is not one of the options.",
        Language::Nl => "Dat is geen van de mogelijkheden.",
    }
}

pub fn offer_sms(lang: Language, target: &str) -> String {
    match lang {
        Language::En => format!(
            "Press Enter to get a code by text message to {target} (or ? for other options): "
        ),
        Language::Nl => format!(
            "Druk op Enter voor een code per sms naar {target} (of ? voor andere mogelijkheden): "
        ),
    }
}

pub fn sms_prompt(lang: Language, target: &str) -> String {
    match lang {
        Language::En => {
            format!("Code from the text message to {target} (or ? for other options): ")
        }
        Language::Nl => format!("Code uit de sms naar {target} (of ? voor andere mogelijkheden): "),
    }
}

pub fn sms_wrong(lang: Language) -> &'static str {
    match lang {
        Language::En => "That code is not right.",
        Language::Nl => "Die code klopt niet.",
    }
}

pub fn sms_expired(lang: Language) -> &'static str {
    match lang {
        Language::En => "That code has expired: choose again.",
        Language::Nl => "Die code is verlopen: kies opnieuw.",
    }
}

/// Why no text was sent, without saying anything about other users or numbers.
pub fn sms_not_sent(lang: Language, why: SmsNotSent) -> &'static str {
    match (lang, why) {
        (Language::En, SmsNotSent::Budget) => {
            "No more text messages can be sent right now. Choose another option."
        }
        (Language::Nl, SmsNotSent::Budget) => {
            "Er kunnen nu geen sms'jes meer worden verstuurd. Kies een andere mogelijkheid."
        }
        (Language::En, SmsNotSent::Unreachable) => {
            "Text messages cannot reach this number. Choose another option."
        }
        (Language::Nl, SmsNotSent::Unreachable) => {
            "Sms'jes bereiken dit nummer niet. Kies een andere mogelijkheid."
        }
        (Language::En, SmsNotSent::Failed) => {
            "The text message could not be sent. Choose another option."
        }
        (Language::Nl, SmsNotSent::Failed) => {
            "De sms kon niet worden verstuurd. Kies een andere mogelijkheid."
        }
    }
}

pub fn resend_wait(lang: Language, seconds: u64) -> String {
    match lang {
        Language::En => format!("A new text message can be sent in {seconds} seconds."),
        Language::Nl => format!("Over {seconds} seconden kan er een nieuwe sms worden verstuurd."),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmsNotSent {
    Budget,
    Unreachable,
    Failed,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_menu_text_exists_in_english_and_dutch() {
        let options = [
            MethodOption {
                kind: MethodKind::Code,
                target: String::new(),
            },
            MethodOption {
                kind: MethodKind::Sms,
                target: "+31 •••• ••78".into(),
            },
        ];
        let (en, nl) = (
            menu(Language::En, &options, None),
            menu(Language::Nl, &options, None),
        );
        assert!(
            en.contains("  2) Text message to +31 •••• ••78")
                && nl.contains("  2) Sms naar +31 •••• ••78")
        );
        assert_ne!(
            code_prompt_with_menu(Language::En),
            code_prompt_with_menu(Language::Nl)
        );
        assert_ne!(offer_sms(Language::En, "x"), offer_sms(Language::Nl, "x"));
        assert_ne!(sms_prompt(Language::En, "x"), sms_prompt(Language::Nl, "x"));
        assert_ne!(sms_wrong(Language::En), sms_wrong(Language::Nl));
        assert_ne!(sms_expired(Language::En), sms_expired(Language::Nl));
        assert_ne!(not_an_option(Language::En), not_an_option(Language::Nl));
        assert_ne!(resend_wait(Language::En, 5), resend_wait(Language::Nl, 5));
        for why in [
            SmsNotSent::Budget,
            SmsNotSent::Unreachable,
            SmsNotSent::Failed,
        ] {
            assert_ne!(
                sms_not_sent(Language::En, why),
                sms_not_sent(Language::Nl, why)
            );
        }
    }
}
