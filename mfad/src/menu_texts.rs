//! Texts of the "other options" menu, in each supported language; each method's own line comes
//! from the method (`Method::label`). Numbers are always shown masked.

use crate::auth::stage::MethodOption;
use crate::config::Language;

pub fn option_label(lang: Language, option: &MethodOption) -> String {
    crate::methods::get(option.method).label(lang, &option.target)
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

#[cfg(test)]
mod tests {
    use super::*;
    use mfa_proto::MethodId;

    #[test]
    fn every_menu_text_exists_in_english_and_dutch() {
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
        let (en, nl) = (
            menu(Language::En, &options, None),
            menu(Language::Nl, &options, None),
        );
        assert!(
            en.contains("  2) Text message to +31 •••• ••78")
                && nl.contains("  2) Sms naar +31 •••• ••78")
        );
        assert_ne!(not_an_option(Language::En), not_an_option(Language::Nl));
    }
}
