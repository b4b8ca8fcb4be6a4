//! How a finished login maps to a PAM return code (DESIGN.md §2). `PAM_SUCCESS` only on Granted
//! (`failmode=open` is decided apart, in `failmode.rs`).

use crate::flow::Outcome;
use pam::constants::PamResultCode;

pub fn pam_code(outcome: &Outcome) -> PamResultCode {
    match outcome {
        Outcome::Granted => PamResultCode::PAM_SUCCESS,
        Outcome::Denied | Outcome::BadInput => PamResultCode::PAM_AUTH_ERR,
        Outcome::Locked => PamResultCode::PAM_MAXTRIES,
        Outcome::NotEnrolled => PamResultCode::PAM_IGNORE,
        Outcome::Unreachable { .. } | Outcome::Unavailable { .. } | Outcome::DaemonUnavailable => {
            PamResultCode::PAM_AUTHINFO_UNAVAIL
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
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_granted_maps_to_success() {
        let all = [
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
        ];
        for o in &all {
            assert_eq!(
                pam_code(o) == PamResultCode::PAM_SUCCESS,
                *o == Outcome::Granted,
                "{o:?}"
            );
        }
    }

    #[test]
    fn codes_follow_the_design() {
        assert_eq!(pam_code(&Outcome::Denied), PamResultCode::PAM_AUTH_ERR);
        assert_eq!(pam_code(&Outcome::Locked), PamResultCode::PAM_MAXTRIES);
        assert_eq!(pam_code(&Outcome::NotEnrolled), PamResultCode::PAM_IGNORE);
        let down = Outcome::Unreachable {
            reason: String::new(),
        };
        assert_eq!(pam_code(&down), PamResultCode::PAM_AUTHINFO_UNAVAIL);
    }
}
