//! Texts of text-message codes, in each supported language. Numbers are always shown masked.

use mfa_proto::i18n::catalog;

catalog! {
    pub enum Text {
        /// The menu line.
        OptionLabel { en: "Text message to {target}", nl: "Sms naar {target}" },
        Offer {
            en: "Press Enter to get a code by text message to {target} (or ? for other options): ",
            nl: "Druk op Enter voor een code per sms naar {target} (of ? voor andere mogelijkheden): ",
        },
        Prompt {
            en: "Code from the text message to {target} (or ? for other options): ",
            nl: "Code uit de sms naar {target} (of ? voor andere mogelijkheden): ",
        },
        Wrong { en: "That code is not right.", nl: "Die code klopt niet." },
        // One-line forms (`Render::OneLine`): each fits a one-line field of 40 characters with
        // the short number ("••78") in it.
        OneLabel { en: "Text to {target}", nl: "Sms naar {target}" },
        OneOffer { en: "Code by text to {target}: Enter", nl: "Code per sms naar {target}: Enter" },
        OnePrompt { en: "Code from text to {target}: ", nl: "Code uit sms naar {target}: " },
        Expired {
            en: "That code has expired: choose again.",
            nl: "Die code is verlopen: kies opnieuw.",
        },
        // Why no text was sent, without saying anything about other users or numbers.
        NotSentBudget {
            en: "No more text messages can be sent right now. Choose another option.",
            nl: "Er kunnen nu geen sms'jes meer worden verstuurd. Kies een andere mogelijkheid.",
        },
        NotSentUnreachable {
            en: "Text messages cannot reach this number. Choose another option.",
            nl: "Sms'jes bereiken dit nummer niet. Kies een andere mogelijkheid.",
        },
        NotSentFailed {
            en: "The text message could not be sent. Choose another option.",
            nl: "De sms kon niet worden verstuurd. Kies een andere mogelijkheid.",
        },
        ResendWait(seconds) {
            en: {
                one: "A new text message can be sent in {seconds} second.",
                other: "A new text message can be sent in {seconds} seconds.",
            },
            nl: {
                one: "Over {seconds} seconde kan er een nieuwe sms worden verstuurd.",
                other: "Over {seconds} seconden kan er een nieuwe sms worden verstuurd.",
            },
        },
    }
}

/// Why no text was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmsNotSent {
    Budget,
    Unreachable,
    Failed,
}

impl SmsNotSent {
    /// What the user is told.
    pub fn text(self) -> Text {
        match self {
            SmsNotSent::Budget => Text::NotSentBudget,
            SmsNotSent::Unreachable => Text::NotSentUnreachable,
            SmsNotSent::Failed => Text::NotSentFailed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Language;
    use mfa_proto::i18n::tr;

    #[test]
    fn every_sms_text_exists_in_english_and_dutch() {
        mfa_proto::i18n::assert_complete(Text::ALL, &[]);
    }

    #[test]
    fn the_resend_wait_counts_its_seconds_in_words() {
        assert_eq!(
            tr!(Language::En, Text::ResendWait(1), seconds = 1),
            "A new text message can be sent in 1 second."
        );
        assert_eq!(
            tr!(Language::Nl, Text::ResendWait(30), seconds = 30),
            "Over 30 seconden kan er een nieuwe sms worden verstuurd."
        );
    }
}
