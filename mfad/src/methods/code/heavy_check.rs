//! Checking a typed code without blocking the workers that answer the bus: the real check runs
//! on the caller's heavy-work lane, and an account with nothing enrolled gets a decoy that
//! costs the same wall time but no CPU.

use super::check::{Check, check_factor};
use crate::heavy::{self, HeavyError};
use crate::login_context::LoginContext;
use crate::methods::code::backup_codes;
use crate::sessions::Session;
use crate::store::UserRecord;
use crate::texts::Text;
use mfa_proto::Step;

/// What the lane gave back: the record (with any used-up state) and the verdict, or the step
/// that ends the login.
pub(crate) type Checked = Result<(UserRecord, Check), Step>;

fn hashes(code: &str) -> bool {
    (backup_codes::MIN_DIGITS..=backup_codes::DIGITS).contains(&code.len())
}

/// The real check of `code` against `record`, on the caller's lane.
pub(crate) async fn check_on_lane(
    cx: &LoginContext,
    session: &Session,
    mut record: UserRecord,
    code: &str,
    now: u64,
) -> Checked {
    let window = cx.config().totp.window;
    let fence = cx.store().replay_fence();
    let typed = code.to_string();
    let clock = cx.clock.clone();
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
        Ok((_, Err(e))) => Err(cx.unavailable(session, &e)),
        Err(HeavyError::Overloaded) => Err(overloaded(session)),
        Err(HeavyError::Failed) => Err(cx.unavailable(session, "the code check failed")),
    }
}

/// The check for an account with nothing enrolled: a backup-length code waits as long as
/// a hash takes; a TOTP-length one runs the cheap decoy window check itself.
pub(crate) async fn decoy_check(cx: &LoginContext, code: &str, now: u64) {
    if hashes(code) {
        heavy::decoy_hash_wait().await;
    } else {
        let window = cx.config().totp.window;
        let _ = check_factor(&mut UserRecord::new(), code, now, window, None);
    }
}

/// The caller's lane is full: this answer is not checked, and the login ends unavailable
/// (never granted). The refusals are counted and logged in bulk by the lanes.
fn overloaded(session: &Session) -> Step {
    Step::Unavailable {
        text: crate::texts::fit(
            session.lang,
            session.render,
            Text::Unavailable,
            Text::UnavailableShort,
        ),
    }
}
