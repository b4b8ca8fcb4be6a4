//! How a finished login maps to a PAM return code (DESIGN.md §2). `PAM_SUCCESS` only on Granted
//! (`failmode=open` is decided apart, in `failmode.rs`, before this mapping).

use crate::args::Unavail;
use crate::flow::Outcome;
use pam::constants::PamResultCode;

/// The code for `outcome`. `unavail=auth_err` reports a daemon that is down or cannot decide as
/// PAM_AUTH_ERR: kscreenlocker disables a stack that returns PAM_AUTHINFO_UNAVAIL.
pub fn pam_code(outcome: &Outcome, unavail: Unavail) -> PamResultCode {
    match outcome {
        Outcome::Granted => PamResultCode::PAM_SUCCESS,
        Outcome::Denied | Outcome::BadInput | Outcome::SameAnswer | Outcome::CannotAsk { .. } => {
            PamResultCode::PAM_AUTH_ERR
        }
        Outcome::Locked => PamResultCode::PAM_MAXTRIES,
        Outcome::NotEnrolled => PamResultCode::PAM_IGNORE,
        Outcome::Unreachable { .. } | Outcome::Unavailable { .. } | Outcome::DaemonUnavailable => {
            match unavail {
                Unavail::AuthinfoUnavail => PamResultCode::PAM_AUTHINFO_UNAVAIL,
                Unavail::AuthErr => PamResultCode::PAM_AUTH_ERR,
            }
        }
        Outcome::ConversationFailed => PamResultCode::PAM_CONV_ERR,
    }
}

/// A short word for the module's own log line (never the typed code).
pub fn label(outcome: &Outcome) -> &'static str {
    match outcome {
        Outcome::Granted => "granted",
        Outcome::Denied => "denied",
        Outcome::BadInput => "refused malformed input",
        Outcome::Locked => "locked",
        Outcome::NotEnrolled => "not enrolled (allowed by policy)",
        Outcome::Unreachable { .. } => "daemon unreachable",
        Outcome::Unavailable { .. } => "daemon unavailable",
        Outcome::DaemonUnavailable => "daemon could not decide",
        Outcome::ConversationFailed => "conversation failed",
        Outcome::SameAnswer => "same answer as password",
        Outcome::CannotAsk { .. } => "cannot ask on this screen",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_outcome() -> Vec<Outcome> {
        vec![
            Outcome::Granted,
            Outcome::Denied,
            Outcome::BadInput,
            Outcome::Locked,
            Outcome::NotEnrolled,
            Outcome::Unreachable {
                reason: String::new(),
            },
            Outcome::Unavailable {
                reason: String::new(),
            },
            Outcome::DaemonUnavailable,
            Outcome::ConversationFailed,
            Outcome::SameAnswer,
            Outcome::CannotAsk { reason: "x" },
        ]
    }

    #[test]
    fn only_granted_maps_to_success() {
        for unavail in [Unavail::AuthinfoUnavail, Unavail::AuthErr] {
            for o in &every_outcome() {
                assert_eq!(
                    pam_code(o, unavail) == PamResultCode::PAM_SUCCESS,
                    *o == Outcome::Granted,
                    "{o:?}"
                );
            }
        }
    }

    #[test]
    fn unavail_auth_err_turns_every_unavailable_code_into_auth_err_and_nothing_else() {
        for o in &every_outcome() {
            let default = pam_code(o, Unavail::AuthinfoUnavail);
            let expected = if default == PamResultCode::PAM_AUTHINFO_UNAVAIL {
                PamResultCode::PAM_AUTH_ERR
            } else {
                default
            };
            assert_eq!(pam_code(o, Unavail::AuthErr), expected, "{o:?}");
        }
    }

    #[test]
    fn a_login_the_screen_cannot_carry_is_an_auth_error() {
        for o in [Outcome::SameAnswer, Outcome::CannotAsk { reason: "x" }] {
            assert_eq!(
                pam_code(&o, Unavail::AuthinfoUnavail),
                PamResultCode::PAM_AUTH_ERR
            );
        }
    }

    #[test]
    fn codes_follow_the_design() {
        let code = |o: &Outcome| pam_code(o, Unavail::AuthinfoUnavail);
        assert_eq!(code(&Outcome::Denied), PamResultCode::PAM_AUTH_ERR);
        assert_eq!(code(&Outcome::Locked), PamResultCode::PAM_MAXTRIES);
        assert_eq!(code(&Outcome::NotEnrolled), PamResultCode::PAM_IGNORE);
        let down = Outcome::Unreachable {
            reason: String::new(),
        };
        assert_eq!(code(&down), PamResultCode::PAM_AUTHINFO_UNAVAIL);
    }
}
