//! The words of `mfa --help` around clap's own list: what USER and METHOD mean, every method
//! (from `mfa_proto::METHOD_NAMES`, so a new method shows here without an edit) and examples.

/// The top line of `mfa --help`: what the `mfa` command is for.
pub const ABOUT: &str = "mfa: enroll, manage and test the second factor of Linux logins \
(pam_mfa and the mfad daemon)";

/// The text after the list of commands and options.
pub fn after_help() -> String {
    format!(
        "\
Words used above:
  USER    a login name on this host (as in /etc/passwd or NSS), e.g. alice
  METHOD  one second factor: {methods}
          (for remove, phone means sms and voice together)

Examples:
  mfa enroll totp                      add an authenticator app to your own account
  mfa enroll totp --invert             the same, QR code for a light-background terminal
  mfa status                           your methods, backup codes left, last login
  mfa prefer backup                    offer backup codes first at login
  mfa admin enroll-totp alice          (root) give alice an authenticator-app secret
  mfa admin status alice               (root) alice's methods, failures and lock
  mfa admin remove alice sms           (root) remove one of alice's methods
  mfa test-login --service sudo alice  run sudo's real PAM stack for alice
  mfa doctor                           find what would break logins, and the fix
  mfa completions bash > /etc/bash_completion.d/mfa

Each command has its own help: mfa help COMMAND, e.g. mfa help admin.",
        methods = mfa_proto::METHOD_NAMES.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_help_names_every_method() {
        let text = after_help();
        for method in mfa_proto::METHOD_NAMES {
            assert!(text.contains(method), "{method} missing:\n{text}");
        }
    }
}
