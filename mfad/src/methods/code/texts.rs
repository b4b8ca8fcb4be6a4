//! Texts of the code prompt, in each supported language.

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

pub fn code_prompt(lang: Language) -> &'static str {
    match lang {
        Language::En => "Verification code: ",
        Language::Nl => "Verificatiecode: ",
    }
}

/// The prompt for a user who prefers backup codes (both are accepted at it).
pub fn backup_prompt(lang: Language) -> &'static str {
    match lang {
        Language::En => "Backup code (or verification code): ",
        Language::Nl => "Back-upcode (of verificatiecode): ",
    }
}

/// Shown above the code prompt when few backup codes are left.
pub fn backup_codes_low(lang: Language, left: usize) -> String {
    match (lang, left) {
        (Language::En, 0) => {
            "You have no backup codes left: create new ones with `mfa backup-codes`.".into()
        }
        (Language::En, n) => {
            format!("Only {n} backup code(s) left: create new ones with `mfa backup-codes`.")
        }
        (Language::Nl, 0) => {
            "U hebt geen back-upcodes meer: maak nieuwe aan met `mfa backup-codes`.".into()
        }
        (Language::Nl, n) => {
            format!("Nog maar {n} back-upcode(s) over: maak nieuwe aan met `mfa backup-codes`.")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_text_exists_in_english_and_dutch() {
        assert_ne!(option_label(Language::En), option_label(Language::Nl));
        assert_ne!(code_prompt(Language::En), code_prompt(Language::Nl));
        assert_ne!(backup_prompt(Language::En), backup_prompt(Language::Nl));
        assert_ne!(
            backup_codes_low(Language::En, 2),
            backup_codes_low(Language::Nl, 2)
        );
        assert_ne!(
            backup_codes_low(Language::En, 0),
            backup_codes_low(Language::Nl, 0)
        );
        assert_ne!(
            code_prompt_with_menu(Language::En),
            code_prompt_with_menu(Language::Nl)
        );
    }
}
