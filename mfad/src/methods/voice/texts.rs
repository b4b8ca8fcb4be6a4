//! Texts of challenge calls, in each supported language: the login prompts (numbers always
//! masked) and what the callee hears.

use mfa_proto::i18n::{catalog, tr};

use crate::config::Language;

catalog! {
    pub enum Text {
        /// The menu line.
        OptionLabel { en: "Phone call to {target}", nl: "Telefoonoproep naar {target}" },
        Offer {
            en: "Press Enter to get a phone call to {target} (or ? for other options): ",
            nl: "Druk op Enter om gebeld te worden op {target} (of ? voor andere mogelijkheden): ",
        },
        // Everything the user must do is in the prompt: sshd shows nothing else while it waits.
        Prompt {
            en: "Calling {target}. Answer and press #, then press Enter here once you have \
                 answered (or ? for other options): ",
            nl: "We bellen {target}. Neem op en druk op #, en druk hier op Enter zodra u hebt \
                 opgenomen (of ? voor andere mogelijkheden): ",
        },
        PromptWithDigits {
            en: "Calling {target}. Answer, type {digits} on the phone's keypad and press #, then \
                 press Enter here once you have answered (or ? for other options): ",
            nl: "We bellen {target}. Neem op, toets {digits} en dan #, en druk hier op Enter \
                 zodra u hebt opgenomen (of ? voor andere mogelijkheden): ",
        },
        // One-line forms (`Render::OneLine`): each fits a one-line field of 40 characters, the
        // digits to type near the front and Enter last.
        OneLabel { en: "Call to {target}", nl: "Oproep {target}" },
        OneOffer { en: "Get a call to {target}: Enter", nl: "Bel mij op {target}: Enter" },
        OnePrompt {
            en: "Answer the call, press #, then Enter",
            nl: "Neem op, druk op #, dan Enter",
        },
        OnePromptWithDigits {
            en: "Type {digits} # on the call, then Enter",
            nl: "Toets {digits} # in de oproep, dan Enter",
        },
        OneWrong {
            en: "Call not confirmed: wrong keys.",
            nl: "Oproep niet bevestigd: foute toetsen.",
        },
        Unanswered {
            en: "The call was not answered. Choose again.",
            nl: "De oproep is niet beantwoord. Kies opnieuw.",
        },
        Timeout {
            en: "The call was not confirmed in time. Choose again.",
            nl: "De oproep is niet op tijd bevestigd. Kies opnieuw.",
        },
        Wrong {
            en: "The call was not confirmed: the keys pressed were not right.",
            nl: "De oproep is niet bevestigd: de ingetoetste cijfers klopten niet.",
        },
        // Why no call was placed, without saying anything about other users or numbers.
        NotPlacedBudget {
            en: "No more calls can be made right now. Choose another option.",
            nl: "Er kunnen nu geen oproepen meer worden gedaan. Kies een andere mogelijkheid.",
        },
        NotPlacedUnreachable {
            en: "This number cannot be called. Choose another option.",
            nl: "Dit nummer kan niet worden gebeld. Kies een andere mogelijkheid.",
        },
        NotPlacedFailed {
            en: "The call could not be placed. Choose another option.",
            nl: "De oproep kon niet worden gedaan. Kies een andere mogelijkheid.",
        },
        Wait(seconds) {
            en: {
                one: "A new call can be made in {seconds} second.",
                other: "A new call can be made in {seconds} seconds.",
            },
            nl: {
                one: "Over {seconds} seconde kan er opnieuw worden gebeld.",
                other: "Over {seconds} seconden kan er opnieuw worden gebeld.",
            },
        },
        // What the callee hears.
        SpokenQuestion {
            en: "This call confirms a sign-in to {issuer}. If you are signing in right now, press \
                 the pound key. If not, hang up.",
            nl: "Deze oproep bevestigt een aanmelding bij {issuer}. Als u zich nu aanmeldt, druk \
                 dan op het hekje. Zo niet, hang dan op.",
        },
        SpokenQuestionForDigits {
            en: "This call confirms a sign-in to {issuer}. If you are signing in right now, type \
                 the two digits shown on your screen, then press the pound key. If not, hang up.",
            nl: "Deze oproep bevestigt een aanmelding bij {issuer}. Als u zich nu aanmeldt, toets \
                 dan de twee cijfers op uw scherm en daarna het hekje. Zo niet, hang dan op.",
        },
        SpokenNoAnswer {
            en: "No answer was received. Goodbye.",
            nl: "Er is geen antwoord ontvangen. Tot ziens.",
        },
        SpokenApproved {
            en: "Thank you. The sign-in is confirmed. Goodbye.",
            nl: "Dank u. De aanmelding is bevestigd. Tot ziens.",
        },
        SpokenRefused {
            en: "That is not right. The sign-in is not confirmed. Goodbye.",
            nl: "Dat klopt niet. De aanmelding is niet bevestigd. Tot ziens.",
        },
        /// The provider's language tag for `<Say>`.
        SpeechLanguage { en: "en-US", nl: "nl-NL" },
    }
}

/// Why no call was placed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallNotPlaced {
    Budget,
    Unreachable,
    Failed,
}

impl CallNotPlaced {
    /// What the user is told.
    pub fn text(self) -> Text {
        match self {
            CallNotPlaced::Budget => Text::NotPlacedBudget,
            CallNotPlaced::Unreachable => Text::NotPlacedUnreachable,
            CallNotPlaced::Failed => Text::NotPlacedFailed,
        }
    }
}

/// The prompt while the phone rings; `digits` are the ones to type when numbers are matched.
pub fn call_prompt(lang: Language, target: &str, digits: Option<&str>) -> String {
    match digits {
        None => tr!(lang, Text::Prompt, target = target),
        Some(digits) => tr!(
            lang,
            Text::PromptWithDigits,
            target = target,
            digits = digits
        ),
    }
}

/// The same on one line (the number is not repeated: the user just chose it).
pub fn one_line_call_prompt(lang: Language, digits: Option<&str>) -> String {
    match digits {
        None => Text::OnePrompt.text(lang).to_string(),
        Some(digits) => tr!(lang, Text::OnePromptWithDigits, digits = digits),
    }
}

/// What the callee hears before the keypad question. The digits are shown only at the login
/// prompt; the call asks for them and never speaks them.
pub fn spoken_question(lang: Language, issuer: &str, number_match: bool) -> String {
    let question = if number_match {
        Text::SpokenQuestionForDigits
    } else {
        Text::SpokenQuestion
    };
    tr!(lang, question, issuer = issuer)
}

pub fn spoken_result(lang: Language, approved: bool) -> &'static str {
    if approved {
        Text::SpokenApproved.text(lang)
    } else {
        Text::SpokenRefused.text(lang)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_call_text_exists_in_english_and_dutch() {
        mfa_proto::i18n::assert_complete(Text::ALL, &[]);
    }

    #[test]
    fn the_call_prompt_shows_the_digits_to_type_when_numbers_are_matched() {
        for lang in Language::ALL {
            assert!(call_prompt(lang, "x", Some("42")).contains("42"));
        }
        assert!(
            call_prompt(Language::En, "x", None)
                .contains("press Enter here once you have answered")
        );
    }

    #[test]
    fn the_one_line_ending_fits_one_line() {
        for lang in Language::ALL {
            assert!(crate::methods::one_line::fits(Text::OneWrong.text(lang)));
        }
    }

    #[test]
    fn number_matching_never_speaks_the_digits() {
        let spoken = spoken_question(Language::En, "host", true);
        assert!(!spoken.chars().any(|c| c.is_ascii_digit()));
    }

    #[test]
    fn the_wait_before_another_call_counts_its_seconds_in_words() {
        assert_eq!(
            tr!(Language::En, Text::Wait(1), seconds = 1),
            "A new call can be made in 1 second."
        );
        assert_eq!(
            tr!(Language::Nl, Text::Wait(20), seconds = 20),
            "Over 20 seconden kan er opnieuw worden gebeld."
        );
    }
}
