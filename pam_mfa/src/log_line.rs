//! Fields of the module's syslog lines. PAM_USER, PAM_RHOST and PAM_SERVICE come from whoever
//! runs the login, so a value is written bare only when it cannot be read as anything but one
//! value; otherwise it is quoted with `"`, `\`, `=`, control characters and non-ASCII bytes
//! escaped: PAM_USER `rtx outcome=granted` logs as `user="rtx outcome\x3dgranted"`, one field.

use std::fmt::Write;

/// `value` ready to follow `key=` in a log line.
pub fn field(value: &str) -> String {
    if !value.is_empty() && value.bytes().all(is_bare) {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for byte in value.bytes() {
        match byte {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b' ' => out.push(' '),
            b if is_bare(b) || b.is_ascii_punctuation() && b != b'=' => out.push(b as char),
            b => {
                // Writing to a String cannot fail.
                let _ = write!(out, "\\x{b:02x}");
            }
        }
    }
    out.push('"');
    out
}

/// Bytes that never need quoting: they cannot start a new field or end the line.
fn is_bare(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b'@' | b':' | b'/' | b'+')
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn plain_names_stay_bare() {
        assert_eq!(field("alice"), "alice");
        assert_eq!(field("192.0.2.10"), "192.0.2.10");
        assert_eq!(field("DOMAIN.user@example.org"), "DOMAIN.user@example.org");
    }

    #[test]
    fn a_forged_field_stays_inside_one_quoted_value() {
        assert_eq!(field("rtx outcome=granted"), "\"rtx outcome\\x3dgranted\"");
    }

    #[test]
    fn quotes_backslashes_controls_and_non_ascii_are_escaped() {
        assert_eq!(field("a\"b\\c"), "\"a\\\"b\\\\c\"");
        assert_eq!(field("a\nb\tc"), "\"a\\x0ab\\x09c\"");
        assert_eq!(field("é"), "\"\\xc3\\xa9\"");
        assert_eq!(field(""), "\"\"");
    }
}
