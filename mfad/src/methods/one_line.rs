//! Fitting the login's texts into one short line (`Render::OneLine`: a GDM placeholder, an
//! xsecurelock or xscreensaver field): the short form of a masked number, and a note joined to
//! the prompt only while the whole fits, else dropped (never a second line, never a cut).

use mfa_proto::ONE_LINE_MAX_CHARS;

/// The tail of a masked number ("+31 •••• ••78" → "••78"): enough to recognise it.
pub fn short_target(target: &str) -> String {
    let digits: Vec<char> = target.chars().filter(char::is_ascii_digit).collect();
    let tail: String = digits[digits.len().saturating_sub(2)..].iter().collect();
    format!("••{tail}")
}

/// Whether `text` fits a one-line field: one line, at most [`ONE_LINE_MAX_CHARS`] characters.
pub fn fits(text: &str) -> bool {
    !text.contains('\n') && text.chars().count() <= ONE_LINE_MAX_CHARS
}

/// `note` before `prompt` when both fit on the line; else the prompt alone.
pub fn join(note: Option<&str>, prompt: String) -> String {
    match note.map(|n| format!("{n} {prompt}")) {
        Some(joined) if fits(&joined) => joined,
        _ => prompt,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_masked_number_shortens_to_its_last_two_digits() {
        assert_eq!(short_target("+31 •••• ••78"), "••78");
        assert_eq!(short_target("+•• ••• ••• ••••"), "••");
    }

    #[test]
    fn a_note_is_joined_only_while_the_line_fits() {
        assert_eq!(
            join(Some("Wrong code."), "Code: ".into()),
            "Wrong code. Code: "
        );
        let long = "x".repeat(ONE_LINE_MAX_CHARS);
        assert_eq!(join(Some("Wrong code."), long.clone()), long);
        assert_eq!(join(None, "Code: ".into()), "Code: ");
    }
}
