//! Who may ask about whom. Identity comes from the bus (the caller's uid), never from arguments.

use super::AuthError;
use crate::sessions::Caller;

/// Root may authenticate anyone; any other caller (a screen locker) only its own account.
/// The caller's name comes from NSS off the async workers; no answer means no.
pub async fn may_authenticate(caller: &Caller, user: &str) -> Result<(), AuthError> {
    if caller.uid == 0 {
        return Ok(());
    }
    match super::accounts::name_of_uid(caller.uid).await {
        Ok(name) if name == user => Ok(()),
        _ => Err(AuthError::AccessDenied(
            "a non-root caller may only authenticate its own account".into(),
        )),
    }
}

pub fn check_fields(fields: &[&str]) -> Result<(), AuthError> {
    if fields.iter().any(|f| f.len() > mfa_proto::MAX_FIELD_LEN) {
        return Err(AuthError::InvalidArgs(format!(
            "an argument is longer than {} bytes",
            mfa_proto::MAX_FIELD_LEN
        )));
    }
    Ok(())
}

pub fn check_session_id(id: &str) -> Result<(), AuthError> {
    if mfa_proto::is_session_id(id) {
        Ok(())
    } else {
        Err(AuthError::InvalidArgs("malformed session id".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn root_may_authenticate_anyone() {
        let root = Caller {
            sender: ":1.1".into(),
            uid: 0,
        };
        assert!(may_authenticate(&root, "alice").await.is_ok());
    }

    #[tokio::test]
    async fn a_user_may_authenticate_only_itself() {
        let nobody = Caller {
            sender: ":1.2".into(),
            uid: 65534,
        };
        assert!(may_authenticate(&nobody, "nobody").await.is_ok());
        assert!(may_authenticate(&nobody, "root").await.is_err());
        let ghost = Caller {
            sender: ":1.3".into(),
            uid: 4_000_000,
        };
        assert!(
            may_authenticate(&ghost, "alice").await.is_err(),
            "an unresolvable uid is nobody"
        );
    }

    #[test]
    fn oversized_fields_and_bad_session_ids_are_refused() {
        assert!(check_fields(&["a", &"x".repeat(257)]).is_err());
        assert!(check_fields(&["a", "b"]).is_ok());
        assert!(check_session_id("../x").is_err());
    }
}
