//! The texts the daemon shows at login whatever the method, in each supported language (each
//! method's own texts live in its folder, `methods/*/texts.rs`).

use crate::config::Language;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text {
    WrongCode,
    Locked,
    Unavailable,
    Busy,
}

pub fn text(lang: Language, t: Text) -> &'static str {
    match (lang, t) {
        (Language::En, Text::WrongCode) => "Wrong verification code.",
        (Language::En, Text::Locked) => {
            "Too many failed attempts: this account is locked. Ask an administrator to unlock it."
        }
        (Language::En, Text::Unavailable) => {
            "The second factor cannot be checked right now. Try again later."
        }
        (Language::En, Text::Busy) => "Too many sign-ins at once. Try again in a moment.",
        (Language::Nl, Text::WrongCode) => "Onjuiste verificatiecode.",
        (Language::Nl, Text::Locked) => {
            "Te veel mislukte pogingen: dit account is geblokkeerd. Vraag een beheerder om het te deblokkeren."
        }
        (Language::Nl, Text::Unavailable) => {
            "De tweede factor kan nu niet worden gecontroleerd. Probeer het later opnieuw."
        }
        (Language::Nl, Text::Busy) => "Te veel aanmeldingen tegelijk. Probeer het zo opnieuw.",
    }
}

/// "Too many failed attempts. Try again in N seconds."
pub fn cooldown(lang: Language, seconds: u64) -> String {
    match lang {
        Language::En => format!("Too many failed attempts. Try again in {seconds} seconds."),
        Language::Nl => {
            format!("Te veel mislukte pogingen. Probeer het over {seconds} seconden opnieuw.")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_exists_in_english_and_dutch_and_differs() {
        for t in [Text::WrongCode, Text::Locked, Text::Unavailable, Text::Busy] {
            let (en, nl) = (text(Language::En, t), text(Language::Nl, t));
            assert!(!en.is_empty() && !nl.is_empty());
            assert_ne!(en, nl, "{t:?} is not translated");
        }
        assert_ne!(cooldown(Language::En, 5), cooldown(Language::Nl, 5));
    }
}
