//! `failmode=open`: the one way an admin may let a login through without a second factor, and
//! only for a daemon that was never reached (security.md R13).

use crate::args::FailMode;
use crate::flow::{LoginContext, Outcome};
use crate::log_line::field;

/// True when this outcome, on a service whose PAM line says `failmode=open`, lets the login
/// through. Only `Outcome::Unreachable` qualifies: no bus socket, no handshake, or nobody owning
/// the name. A `Start` the found owner did not answer in time is not down but slow (a local
/// flood can cause it), so it stays closed. A wrong owner, any answer from the daemon (refusals, malformed
/// replies, Unavailable steps) and anything after the first step keep the login closed; bad
/// module arguments never get this far (`PAM_SERVICE_ERR`).
pub fn fails_open(mode: FailMode, outcome: &Outcome) -> bool {
    mode == FailMode::Open && matches!(outcome, Outcome::Unreachable { .. })
}

/// The warning every fail-open login leaves in the auth log. The service is named in the text
/// too: pam_syslog's prefix is not kept by every log sink.
pub fn log_line(ctx: &LoginContext, outcome: &Outcome) -> String {
    let reason = match outcome {
        Outcome::Unreachable { reason } => reason.as_str(),
        _ => "",
    };
    format!(
        "failmode=open: user={} service={} rhost={} let in WITHOUT a second factor: reason={}",
        field(&ctx.user),
        field(&ctx.service),
        field(&ctx.rhost),
        field(reason)
    )
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
                reason: "no socket".into(),
            },
            Outcome::Unavailable {
                reason: "wrong owner".into(),
            },
            Outcome::DaemonUnavailable,
            Outcome::ConversationFailed,
            Outcome::SameAnswer,
            Outcome::CannotAsk {
                reason: "no code in the buffer",
            },
        ]
    }

    #[test]
    fn closed_never_opens() {
        for o in every_outcome() {
            assert!(!fails_open(FailMode::Closed, &o), "{o:?}");
        }
    }

    #[test]
    fn open_opens_only_for_an_unreachable_daemon() {
        for o in every_outcome() {
            let unreachable = matches!(o, Outcome::Unreachable { .. });
            assert_eq!(fails_open(FailMode::Open, &o), unreachable, "{o:?}");
        }
    }

    #[test]
    fn the_log_line_names_user_service_host_and_reason() {
        let ctx = LoginContext {
            user: "alice".into(),
            service: "sudo".into(),
            rhost: "192.0.2.1".into(),
            tty: String::new(),
        };
        let line = log_line(
            &ctx,
            &Outcome::Unreachable {
                reason: "mfad unreachable: no socket".into(),
            },
        );
        for part in [
            "failmode=open",
            "user=alice",
            "service=sudo",
            "rhost=192.0.2.1",
            "no socket",
        ] {
            assert!(line.contains(part), "{part}: {line}");
        }
    }
}
