//! `single_buffer=SEP`: for programs that answer every prompt with the one buffer the user typed
//! (i3lock, swaylock). The user types "password SEP code" once; the module splits it at the
//! LAST separator (a password may contain the separator, a code never does), hands the password
//! on in PAM_AUTHTOK and answers the daemon's first code prompt with the code.
//!
//! Such a program cannot show a second question: it would send the same buffer again. So any
//! prompt after the first code prompt, or a first prompt that is not a code prompt (a push
//! offer), ends the login here with a message saying what to do.
//!
//! The module sits FIRST in such a stack (`auth required pam_mfa.so single_buffer=+` then
//! `auth required pam_unix.so use_first_pass`). When an earlier module already set
//! PAM_AUTHTOK, that buffer is used instead of asking (like pam_unix's `try_first_pass`) and is
//! split the same way.

use crate::flow::{Conversation, Outcome, Refusal, capitalize};
use mfa_proto::{AnswerError, normalize_code};
use zeroize::Zeroizing;

/// The one prompt (i3lock ignores the text; a program that shows it tells the user what to type).
pub const PROMPT: &str = "Password+code: ";

/// Shown when the first thing the daemon asks is not a code (its first method is push, say).
pub const ONLY_A_CODE: &str =
    "This screen can only take a code: choose the authenticator app as your first method.";

/// Shown when the daemon asks a second question (a wrong code, a menu): it cannot be asked.
pub const ONLY_ONE_CODE: &str = "This screen can take only one code: try again.";

/// What the user meant by the buffer.
pub struct Split {
    /// Everything before the last separator (the whole buffer when there is none).
    pub password: Zeroizing<Vec<u8>>,
    /// Everything after the last separator; `None` when the buffer has no separator.
    pub code: Option<Zeroizing<Vec<u8>>>,
}

/// Splits `buffer` at the last `separator`.
pub fn split(buffer: &[u8], separator: char) -> Split {
    let mut sep = [0u8; 4];
    let sep = separator.encode_utf8(&mut sep).as_bytes();
    let at = buffer.windows(sep.len()).rposition(|w| w == sep);
    match at {
        Some(at) => Split {
            password: Zeroizing::new(buffer[..at].to_vec()),
            code: Some(Zeroizing::new(buffer[at + sep.len()..].to_vec())),
        },
        None => Split {
            password: Zeroizing::new(buffer.to_vec()),
            code: None,
        },
    }
}

/// The message for a buffer that has no code in it, naming the actual separator.
pub fn no_code_message(separator: char) -> String {
    format!("Type your password, then {separator} and the code.")
}

/// The code part of the one buffer, for the daemon's first code prompt only.
pub(crate) struct Buffered {
    separator: char,
    code: Option<Zeroizing<Vec<u8>>>,
    used: bool,
}

impl Buffered {
    /// Takes the buffer (PAM_AUTHTOK if an earlier module set it, else asks once), splits it
    /// and hands the password on. `None` when the conversation failed.
    pub(crate) fn read(conv: &mut dyn Conversation, separator: char) -> Option<Buffered> {
        let buffer = match conv.authtok() {
            Some(set) => Zeroizing::new(set.to_vec()),
            None => conv.ask(PROMPT, false)?,
        };
        let split = split(&buffer, separator);
        conv.set_authtok(split.password);
        Some(Buffered {
            separator,
            code: split.code,
            used: false,
        })
    }

    pub(crate) fn answer(&mut self, digits: bool) -> Result<Zeroizing<String>, Refusal> {
        let cannot_ask =
            |message: String, reason| Refusal::new(message, Outcome::CannotAsk { reason });
        if std::mem::replace(&mut self.used, true) {
            return Err(cannot_ask(ONLY_ONE_CODE.into(), "a second prompt"));
        }
        if !digits {
            return Err(cannot_ask(
                ONLY_A_CODE.into(),
                "the first prompt is not a code prompt",
            ));
        }
        let no_code = || cannot_ask(no_code_message(self.separator), "no code in the buffer");
        let Some(code) = self.code.take() else {
            return Err(no_code());
        };
        match normalize_code(&code) {
            Ok(code) => Ok(Zeroizing::new(code)),
            Err(AnswerError::Empty) => Err(no_code()),
            Err(e) => Err(Refusal::new(capitalize(&e.to_string()), Outcome::BadInput)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(buffer: &str, sep: char) -> (String, Option<String>) {
        let s = split(buffer.as_bytes(), sep);
        (
            String::from_utf8(s.password.to_vec()).unwrap(),
            s.code.map(|c| String::from_utf8(c.to_vec()).unwrap()),
        )
    }

    #[test]
    fn the_buffer_is_split_at_the_last_separator() {
        assert_eq!(
            parts("s3cret+123456", '+'),
            ("s3cret".into(), Some("123456".into()))
        );
        assert_eq!(
            parts("a+b+c+123 456", '+'),
            ("a+b+c".into(), Some("123 456".into()))
        );
    }

    #[test]
    fn a_buffer_without_separator_is_all_password() {
        assert_eq!(parts("s3cret", '+'), ("s3cret".into(), None));
        assert_eq!(parts("", '+'), (String::new(), None));
    }

    #[test]
    fn a_trailing_separator_leaves_an_empty_code() {
        assert_eq!(
            parts("s3cret+", '+'),
            ("s3cret".into(), Some(String::new()))
        );
        assert_eq!(
            parts("+123456", '+'),
            (String::new(), Some("123456".into()))
        );
    }

    #[test]
    fn the_no_code_message_names_the_separator_in_use() {
        assert_eq!(
            no_code_message('+'),
            "Type your password, then + and the code."
        );
        assert_eq!(
            no_code_message('#'),
            "Type your password, then # and the code."
        );
    }
}
