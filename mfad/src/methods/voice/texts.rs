//! Texts of challenge calls, in each supported language: the login prompts (numbers always
//! masked) and what the callee hears.

use crate::config::Language;

pub fn option_label(lang: Language, target: &str) -> String {
    match lang {
        Language::En => format!("Phone call to {target}"),
        Language::Nl => format!("Telefoonoproep naar {target}"),
    }
}

pub fn offer_call(lang: Language, target: &str) -> String {
    match lang {
        Language::En => {
            format!("Press Enter to get a phone call to {target} (or ? for other options): ")
        }
        Language::Nl => format!(
            "Druk op Enter om gebeld te worden op {target} (of ? voor andere mogelijkheden): "
        ),
    }
}

/// Everything the user must do is in the prompt: sshd shows nothing else while it waits.
pub fn call_prompt(lang: Language, target: &str, digits: Option<&str>) -> String {
    match (lang, digits) {
        (Language::En, None) => format!(
            "Calling {target}. Answer and press #, then press Enter here once you have \
             answered (or ? for other options): "
        ),
        (Language::En, Some(d)) => format!(
            "Calling {target}. Answer, type {d} on the phone's keypad and press #, then press \
             Enter here once you have answered (or ? for other options): "
        ),
        (Language::Nl, None) => format!(
            "We bellen {target}. Neem op en druk op #, en druk hier op Enter zodra u hebt \
             opgenomen (of ? voor andere mogelijkheden): "
        ),
        (Language::Nl, Some(d)) => format!(
            "We bellen {target}. Neem op, toets {d} en dan #, en druk hier op Enter zodra u \
             hebt opgenomen (of ? voor andere mogelijkheden): "
        ),
    }
}

pub fn call_unanswered(lang: Language) -> &'static str {
    match lang {
        Language::En => "The call was not answered. Choose again.",
        Language::Nl => "De oproep is niet beantwoord. Kies opnieuw.",
    }
}

pub fn call_timeout(lang: Language) -> &'static str {
    match lang {
        Language::En => "The call was not confirmed in time. Choose again.",
        Language::Nl => "De oproep is niet op tijd bevestigd. Kies opnieuw.",
    }
}

pub fn call_wrong(lang: Language) -> &'static str {
    match lang {
        Language::En => "The call was not confirmed: the keys pressed were not right.",
        Language::Nl => "De oproep is niet bevestigd: de ingetoetste cijfers klopten niet.",
    }
}

/// Why no call was placed, without saying anything about other users or numbers.
pub fn call_not_placed(lang: Language, why: CallNotPlaced) -> &'static str {
    match (lang, why) {
        (Language::En, CallNotPlaced::Budget) => {
            "No more calls can be made right now. Choose another option."
        }
        (Language::Nl, CallNotPlaced::Budget) => {
            "Er kunnen nu geen oproepen meer worden gedaan. Kies een andere mogelijkheid."
        }
        (Language::En, CallNotPlaced::Unreachable) => {
            "This number cannot be called. Choose another option."
        }
        (Language::Nl, CallNotPlaced::Unreachable) => {
            "Dit nummer kan niet worden gebeld. Kies een andere mogelijkheid."
        }
        (Language::En, CallNotPlaced::Failed) => {
            "The call could not be placed. Choose another option."
        }
        (Language::Nl, CallNotPlaced::Failed) => {
            "De oproep kon niet worden gedaan. Kies een andere mogelijkheid."
        }
    }
}

pub fn call_wait(lang: Language, seconds: u64) -> String {
    match lang {
        Language::En => format!("A new call can be made in {seconds} seconds."),
        Language::Nl => format!("Over {seconds} seconden kan er opnieuw worden gebeld."),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallNotPlaced {
    Budget,
    Unreachable,
    Failed,
}

/// What the callee hears before the keypad question, and which language the provider speaks.
pub fn spoken_question(lang: Language, issuer: &str, number_match: bool) -> String {
    match (lang, number_match) {
        (Language::En, false) => format!(
            "This call confirms a sign-in to {issuer}. If you are signing in right now, press \
             the pound key. If not, hang up."
        ),
        (Language::En, true) => format!(
            "This call confirms a sign-in to {issuer}. If you are signing in right now, type \
             the two digits shown on your screen, then press the pound key. If not, hang up."
        ),
        (Language::Nl, false) => format!(
            "Deze oproep bevestigt een aanmelding bij {issuer}. Als u zich nu aanmeldt, druk \
             dan op het hekje. Zo niet, hang dan op."
        ),
        (Language::Nl, true) => format!(
            "Deze oproep bevestigt een aanmelding bij {issuer}. Als u zich nu aanmeldt, toets \
             dan de twee cijfers op uw scherm en daarna het hekje. Zo niet, hang dan op."
        ),
    }
}

pub fn spoken_no_answer(lang: Language) -> &'static str {
    match lang {
        Language::En => "No answer was received. Goodbye.",
        Language::Nl => "Er is geen antwoord ontvangen. Tot ziens.",
    }
}

pub fn spoken_result(lang: Language, approved: bool) -> &'static str {
    match (lang, approved) {
        (Language::En, true) => "Thank you. The sign-in is confirmed. Goodbye.",
        (Language::En, false) => "That is not right. The sign-in is not confirmed. Goodbye.",
        (Language::Nl, true) => "Dank u. De aanmelding is bevestigd. Tot ziens.",
        (Language::Nl, false) => "Dat klopt niet. De aanmelding is niet bevestigd. Tot ziens.",
    }
}

/// The provider's language tag for `<Say>`.
pub fn speech_language(lang: Language) -> &'static str {
    match lang {
        Language::En => "en-US",
        Language::Nl => "nl-NL",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_call_text_exists_in_english_and_dutch() {
        let (en, nl) = (Language::En, Language::Nl);
        assert_ne!(option_label(en, "x"), option_label(nl, "x"));
        assert_ne!(offer_call(en, "x"), offer_call(nl, "x"));
        for digits in [None, Some("42")] {
            let (e, n) = (call_prompt(en, "x", digits), call_prompt(nl, "x", digits));
            assert_ne!(e, n);
            assert!(e.contains("press Enter here once you have answered"));
            if let Some(d) = digits {
                assert!(e.contains(d) && n.contains(d));
            }
        }
        assert_ne!(call_unanswered(en), call_unanswered(nl));
        assert_ne!(call_timeout(en), call_timeout(nl));
        assert_ne!(call_wrong(en), call_wrong(nl));
        assert_ne!(call_wait(en, 3), call_wait(nl, 3));
        for why in [
            CallNotPlaced::Budget,
            CallNotPlaced::Unreachable,
            CallNotPlaced::Failed,
        ] {
            assert_ne!(call_not_placed(en, why), call_not_placed(nl, why));
        }
        for matching in [false, true] {
            assert_ne!(
                spoken_question(en, "h", matching),
                spoken_question(nl, "h", matching)
            );
        }
        assert_ne!(spoken_result(en, true), spoken_result(nl, true));
        assert_ne!(spoken_no_answer(en), spoken_no_answer(nl));
    }

    #[test]
    fn number_matching_never_speaks_the_digits() {
        // The digits are shown only at the login prompt; the call asks for them.
        let spoken = spoken_question(Language::En, "host", true);
        assert!(!spoken.chars().any(|c| c.is_ascii_digit()));
    }
}
