//! Texts of the code prompt's menu entry, in each supported language (the prompts themselves
//! are shared with the module's plain flow, in `texts.rs`).

use crate::config::Language;

/// The menu line.
pub fn option_label(lang: Language) -> &'static str {
    match lang {
        Language::En => "Code from the authenticator app, or a backup code",
        Language::Nl => "Code uit de authenticator-app, of een back-upcode",
    }
}

/// Added to the code prompt when the user has other ways to confirm.
pub fn code_prompt_with_menu(lang: Language) -> &'static str {
    match lang {
        Language::En => "Verification code (or ? for other options): ",
        Language::Nl => "Verificatiecode (of ? voor andere mogelijkheden): ",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_text_exists_in_english_and_dutch() {
        assert_ne!(option_label(Language::En), option_label(Language::Nl));
        assert_ne!(
            code_prompt_with_menu(Language::En),
            code_prompt_with_menu(Language::Nl)
        );
    }
}
