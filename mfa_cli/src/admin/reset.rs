//! `mfa admin reset` without `--yes`: show what goes and ask.

use super::render::methods_text;
use crate::admin_messages::Msg;
use crate::i18n::{self, tr};
use mfa_config::Language;
use std::collections::BTreeMap;

/// Show what a reset removes and ask (stdin is a terminal: the caller checked). "y"/"yes" and,
/// in Dutch, "j"/"ja" confirm.
pub(super) fn confirm_reset(
    lang: Language,
    user: &str,
    status: &BTreeMap<String, String>,
) -> Result<(), String> {
    use std::io::{BufRead, Write};
    println!(
        "{}",
        tr!(
            lang,
            Msg::ResetSummary,
            user = user,
            methods = methods_text(lang, status),
            locked = i18n::yes_no(
                lang,
                status.get("locked").map(String::as_str).unwrap_or("no")
            ),
            failures = status.get("failures").map(String::as_str).unwrap_or("0")
        )
    );
    print!("{}", tr!(lang, Msg::ResetQuestion, user = user));
    let _ = std::io::stdout().flush();
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|e| tr!(lang, Msg::CannotReadAnswer, error = e))?;
    if is_yes(lang, &answer) {
        Ok(())
    } else {
        Err(tr!(lang, Msg::NotReset, user = user))
    }
}

/// A confirming answer: "y" or "yes" in every language, also "j" or "ja" in Dutch.
pub(super) fn is_yes(lang: Language, answer: &str) -> bool {
    match answer.trim().to_ascii_lowercase().as_str() {
        "y" | "yes" => true,
        "j" | "ja" => lang == Language::Nl,
        _ => false,
    }
}
