//! Texts of text-message codes, in each supported language. Numbers are always shown masked.

use crate::config::Language;

/// The menu line.
pub fn option_label(lang: Language, target: &str) -> String {
    match lang {
        Language::En => format!("Text message to {target}"),
        Language::Nl => format!("Sms naar {target}"),
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
    fn every_sms_text_exists_in_english_and_dutch() {
        assert_ne!(
            option_label(Language::En, "x"),
            option_label(Language::Nl, "x")
        );
        assert_ne!(offer_sms(Language::En, "x"), offer_sms(Language::Nl, "x"));
        assert_ne!(sms_prompt(Language::En, "x"), sms_prompt(Language::Nl, "x"));
        assert_ne!(sms_wrong(Language::En), sms_wrong(Language::Nl));
        assert_ne!(sms_expired(Language::En), sms_expired(Language::Nl));
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
