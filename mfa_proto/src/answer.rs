//! What a typed code may look like before it is sent to the daemon.

/// Longest answer the module ever sends (bounded input, CVE-2015-9542 class).
pub const MAX_ANSWER_LEN: usize = 64;
/// A code has at most this many digits (TOTP: 6–8; backup codes may be longer later).
const MAX_CODE_DIGITS: usize = 10;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerError {
    Empty,
    TooLong,
    NotDigits,
}

impl std::fmt::Display for AnswerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            AnswerError::Empty => "no code was entered",
            AnswerError::TooLong => "the code is too long",
            AnswerError::NotDigits => "a code has digits only",
        })
    }
}

impl std::error::Error for AnswerError {}

/// Typed at a code prompt to ask for the other ways to confirm the sign-in.
pub const MENU_TOKEN: &str = "?";

/// What the module sends for a digits prompt: a normalised code, or [`MENU_TOKEN`] when the user
/// typed a question mark (with or without spaces around it).
pub fn normalize_answer(typed: &[u8]) -> Result<String, AnswerError> {
    if typed.len() <= MAX_ANSWER_LEN
        && typed
            .iter()
            .filter(|b| !b.is_ascii_whitespace())
            .eq(MENU_TOKEN.as_bytes())
    {
        return Ok(MENU_TOKEN.to_string());
    }
    normalize_code(typed)
}

/// Strip the spaces and dashes people type for readability ("123 456", "123-456") and accept
/// only ASCII digits. Anything else (a password sent by sshd's `password` method, say) is
/// refused here and never reaches the bus.
pub fn normalize_code(typed: &[u8]) -> Result<String, AnswerError> {
    if typed.len() > MAX_ANSWER_LEN {
        return Err(AnswerError::TooLong);
    }
    let mut code = String::with_capacity(MAX_CODE_DIGITS);
    for &b in typed {
        match b {
            b' ' | b'-' | b'\t' => {}
            b'0'..=b'9' => code.push(b as char),
            _ => return Err(AnswerError::NotDigits),
        }
    }
    if code.is_empty() {
        return Err(AnswerError::Empty);
    }
    if code.len() > MAX_CODE_DIGITS {
        return Err(AnswerError::TooLong);
    }
    Ok(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_question_mark_asks_for_the_menu() {
        assert_eq!(normalize_answer(b"?"), Ok("?".into()));
        assert_eq!(normalize_answer(b" ? "), Ok("?".into()));
        assert_eq!(normalize_answer(b"123 456"), Ok("123456".into()));
        assert_eq!(normalize_answer(b"??"), Err(AnswerError::NotDigits));
        assert_eq!(normalize_answer(b"1?"), Err(AnswerError::NotDigits));
    }

    #[test]
    fn spaces_and_dashes_are_ignored() {
        assert_eq!(normalize_code(b"123 456"), Ok("123456".into()));
        assert_eq!(normalize_code(b" 123-456 "), Ok("123456".into()));
    }

    #[test]
    fn non_digits_are_refused() {
        assert_eq!(normalize_code(b"hunter2"), Err(AnswerError::NotDigits));
        assert_eq!(normalize_code(b"12345\n"), Err(AnswerError::NotDigits));
        assert_eq!(
            normalize_code("١٢٣٤٥٦".as_bytes()),
            Err(AnswerError::NotDigits)
        );
        assert_eq!(normalize_code(b"+123456"), Err(AnswerError::NotDigits));
    }

    #[test]
    fn empty_and_oversized_answers_are_refused() {
        assert_eq!(normalize_code(b""), Err(AnswerError::Empty));
        assert_eq!(normalize_code(b"  - "), Err(AnswerError::Empty));
        assert_eq!(normalize_code(b"12345678901"), Err(AnswerError::TooLong));
        assert_eq!(
            normalize_code(&[b'1'; 65 * 1024]),
            Err(AnswerError::TooLong)
        );
    }
}
