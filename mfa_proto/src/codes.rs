//! Codes the daemon hands out and the CLI shows or asks for: one definition for both sides.

/// Digits in a backup code as issued.
pub const BACKUP_CODE_DIGITS: usize = 10;

/// Wrong confirmation codes a pending enrollment takes before it is dropped.
pub const MAX_CONFIRM_ATTEMPTS: u32 = 5;

/// "12345 67890": a backup code split in two groups, easier to read off a sheet of paper.
pub fn display_backup_code(code: &str) -> String {
    match code.split_at_checked(BACKUP_CODE_DIGITS / 2) {
        Some((a, b)) => format!("{a} {b}"),
        None => code.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backup_codes_are_shown_in_two_groups() {
        assert_eq!(display_backup_code("1234567890"), "12345 67890");
    }

    #[test]
    fn a_code_too_short_to_split_is_shown_as_it_is() {
        assert_eq!(display_backup_code("1234"), "1234");
    }
}
