//! Which saves may leave their fsync to the kernel. A login changes only replay and rate-limit
//! state (the TOTP step used, failure counters, the lock, the last login, push counts, the
//! pending audit line): losing those to a power loss is covered by the restart fence
//! (`restart_fence.rs`), which refuses every TOTP step that could have been used before it.
//! Anything else — a new record, an enrollment, a used backup code, a removed method, a push
//! reported as not the user's — is synced before the caller hears "saved".

use crate::store::UserRecord;

/// True when `after` differs from `before` only in state a power loss may take back.
pub fn may_defer(before: Option<&UserRecord>, after: &UserRecord) -> bool {
    before.is_some_and(|before| lasting_part(before) == lasting_part(after))
}

/// The record without the state a login changes.
fn lasting_part(record: &UserRecord) -> UserRecord {
    let mut r = record.clone();
    if let Some(totp) = r.totp.as_mut() {
        totp.last_step = 0;
    }
    r.failures = Default::default();
    r.last_login = None;
    if let Some(push) = r.push.as_mut() {
        push.sent.clear();
        push.denied_at = None;
    }
    r.audit_pending.clear();
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::methods::code::backup_codes::BackupCodes;
    use crate::store::{LastLogin, PushMethod, TotpMethod};

    fn enrolled() -> UserRecord {
        let mut r = UserRecord::new();
        r.totp = Some(TotpMethod {
            secret: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ".into(),
            algorithm: "SHA1".into(),
            digits: 6,
            period: 30,
            last_step: 100,
            enrolled_at: 1,
            window: None,
        });
        r.backup = Some(BackupCodes {
            salt: "s".into(),
            hashes: vec!["a".into(), "b".into()],
        });
        r.push = Some(PushMethod {
            gateway: "ntfy".into(),
            topic: "t".into(),
            ..Default::default()
        });
        r
    }

    #[test]
    fn a_login_that_uses_a_step_and_resets_the_counters_may_defer_its_fsync() {
        let before = enrolled();
        let mut after = before.clone();
        if let Some(t) = after.totp.as_mut() {
            t.last_step = 101;
        }
        after.failures.consecutive = 0;
        after.last_login = Some(LastLogin {
            time: 5,
            service: "sshd".into(),
            rhost: "h".into(),
            method: "totp".into(),
        });
        after.audit_pending = vec!["decision".into()];
        assert!(may_defer(Some(&before), &after));
    }

    #[test]
    fn wrong_codes_a_lock_and_push_counts_may_defer_their_fsync() {
        let before = enrolled();
        let mut after = before.clone();
        after.failures.consecutive = 9;
        after.failures.locked = true;
        if let Some(p) = after.push.as_mut() {
            p.sent.push(7);
            p.denied_at = Some(8);
        }
        assert!(may_defer(Some(&before), &after));
    }

    #[test]
    fn a_used_backup_code_a_new_secret_or_a_reported_push_is_synced_at_once() {
        let before = enrolled();
        let mut used_backup = before.clone();
        if let Some(b) = used_backup.backup.as_mut() {
            b.hashes.pop();
        }
        let mut new_secret = before.clone();
        if let Some(t) = new_secret.totp.as_mut() {
            t.secret = "JBSWY3DPEHPK3PXP".into();
        }
        let mut reported = before.clone();
        if let Some(p) = reported.push.as_mut() {
            p.reported_at = Some(9);
        }
        for after in [used_backup, new_secret, reported] {
            assert!(!may_defer(Some(&before), &after), "{after:?}");
        }
    }

    #[test]
    fn a_new_record_is_synced_at_once() {
        assert!(!may_defer(None, &enrolled()));
    }
}
