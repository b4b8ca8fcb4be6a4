//! Checking a typed code without blocking the workers that answer the bus: the real check runs
//! on the caller's heavy-work lane, and an account with nothing enrolled gets a decoy that
//! costs the same wall time but no CPU.

use super::check::{Check, check_factor};
use crate::auth::Engine;
use crate::heavy::{self, HeavyError};
use crate::methods::code::backup_codes;
use crate::sessions::Session;
use crate::store::UserRecord;
use crate::texts::{self, Text};
use mfa_proto::Step;

/// What the lane gave back: the record (with any used-up state) and the verdict, or the step
/// that ends the login.
pub(crate) type Checked = Result<(UserRecord, Check), Step>;

fn hashes(code: &str) -> bool {
    (backup_codes::MIN_DIGITS..=backup_codes::DIGITS).contains(&code.len())
}

impl Engine {
    /// The real check of `code` against `record`, on the caller's lane.
    pub(crate) async fn check_on_lane(
        &self,
        session: &Session,
        mut record: UserRecord,
        code: &str,
        now: u64,
    ) -> Checked {
        let window = self.config().totp.window;
        let fence = self.store().replay_fence();
        let typed = code.to_string();
        let clock = self.clock.clone();
        let job = move || {
            let started = clock.now();
            let check = check_factor(&mut record, &typed, now, window, fence);
            if hashes(&typed) {
                heavy::note_hash_time(clock.now().saturating_duration_since(started));
            }
            (record, check)
        };
        match heavy::lanes().run(session.caller.uid, job).await {
            Ok((record, Ok(check))) => Ok((record, check)),
            Ok((_, Err(e))) => Err(self.unavailable(session, &e)),
            Err(HeavyError::Overloaded) => Err(self.overloaded(session)),
            Err(HeavyError::Failed) => Err(self.unavailable(session, "the code check failed")),
        }
    }

    /// The check for an account with nothing enrolled: a backup-length code waits as long as
    /// a hash takes; a TOTP-length one runs the cheap decoy window check itself.
    pub(crate) async fn decoy_check(&self, code: &str, now: u64) {
        if hashes(code) {
            heavy::decoy_hash_wait().await;
        } else {
            let window = self.config().totp.window;
            let _ = check_factor(&mut UserRecord::new(), code, now, window, None);
        }
    }

    /// The caller's lane is full: this answer is not checked, and the login ends unavailable
    /// (never granted). The refusals are counted and logged in bulk by the lanes.
    fn overloaded(&self, session: &Session) -> Step {
        Step::Unavailable {
            text: texts::text(session.lang, Text::Unavailable).to_string(),
        }
    }
}
