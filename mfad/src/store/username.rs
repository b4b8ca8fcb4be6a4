//! User names become file names, so only a strict, portable shape is accepted: no path
//! separators, no leading dot or dash, bounded length.

const MAX_USERNAME_LEN: usize = 64;

pub fn is_valid_username(name: &str) -> bool {
    let bytes = name.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= MAX_USERNAME_LEN
        && !matches!(bytes[0], b'.' | b'-')
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-' | b'@'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_names_are_valid() {
        for n in [
            "alice",
            "bob.smith",
            "svc_backup",
            "x-1",
            "user@example.org",
        ] {
            assert!(is_valid_username(n), "{n}");
        }
    }

    #[test]
    fn names_that_could_escape_the_state_dir_are_refused() {
        for n in [
            "",
            ".",
            "..",
            "../etc",
            "a/b",
            ".hidden",
            "-rf",
            "a\0b",
            "ä",
            &"a".repeat(65),
        ] {
            assert!(!is_valid_username(n), "{n:?}");
        }
    }
}
