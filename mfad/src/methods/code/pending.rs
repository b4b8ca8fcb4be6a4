//! TOTP secrets shown to a user but not yet confirmed with a first code: bound to the
//! connection that asked, short-lived, and with a few attempts only.

use crate::methods::code::totp::TotpParams;
use crate::sessions::Caller;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const LIFETIME: Duration = Duration::from_secs(600);
pub const MAX_ATTEMPTS: u32 = mfa_proto::MAX_CONFIRM_ATTEMPTS;

struct Pending {
    uid: u32,
    params: TotpParams,
    expires: Instant,
    attempts: u32,
}

#[derive(Default)]
pub struct PendingTotps {
    map: Mutex<HashMap<String, Pending>>,
}

impl PendingTotps {
    pub fn put(&self, caller: &Caller, params: TotpParams, now: Instant) {
        if let Ok(mut map) = self.map.lock() {
            map.retain(|_, p| p.expires > now);
            let pending = Pending {
                uid: caller.uid,
                params,
                expires: now + LIFETIME,
                attempts: 0,
            };
            map.insert(caller.sender.clone(), pending);
        }
    }

    /// One confirmation attempt: `check` sees the pending secret and says whether the code was
    /// right (`Some`). A right code, or the last allowed wrong one, ends the enrollment.
    /// `None` when nothing is pending for this caller.
    pub fn attempt<T>(
        &self,
        caller: &Caller,
        now: Instant,
        check: impl FnOnce(&TotpParams) -> Option<T>,
    ) -> Option<(Option<T>, TotpParams)> {
        let mut map = self.map.lock().ok()?;
        let pending = map
            .get_mut(&caller.sender)
            .filter(|p| p.uid == caller.uid && p.expires > now)?;
        pending.attempts += 1;
        let result = check(&pending.params);
        let params = pending.params.clone();
        if result.is_some() || pending.attempts >= MAX_ATTEMPTS {
            map.remove(&caller.sender);
        }
        Some((result, params))
    }

    pub fn forget(&self, sender: &str) {
        if let Ok(mut map) = self.map.lock() {
            map.remove(sender);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::{Clock, FakeClock};
    use crate::config::Algorithm;

    fn params() -> TotpParams {
        TotpParams {
            secret: vec![1; 20],
            algorithm: Algorithm::Sha1,
            digits: 6,
            period: 30,
        }
    }

    #[test]
    fn only_the_asking_connection_can_confirm() {
        let now = FakeClock::default().now();
        let p = PendingTotps::default();
        let me = Caller {
            sender: ":1.1".into(),
            uid: 1000,
        };
        p.put(&me, params(), now);
        assert!(
            p.attempt(
                &Caller {
                    sender: ":1.2".into(),
                    uid: 1000
                },
                now,
                |_| Some(())
            )
            .is_none()
        );
        assert!(
            p.attempt(
                &Caller {
                    sender: ":1.1".into(),
                    uid: 0
                },
                now,
                |_| Some(())
            )
            .is_none()
        );
        assert!(matches!(
            p.attempt(&me, now, |_| Some(())),
            Some((Some(()), _))
        ));
        assert!(p.attempt(&me, now, |_| Some(())).is_none(), "used up");
    }

    #[test]
    fn wrong_codes_end_the_enrollment_after_the_last_attempt() {
        let now = FakeClock::default().now();
        let p = PendingTotps::default();
        let me = Caller {
            sender: ":1.1".into(),
            uid: 1000,
        };
        p.put(&me, params(), now);
        for _ in 0..MAX_ATTEMPTS {
            assert!(matches!(
                p.attempt(&me, now, |_| None::<()>),
                Some((None, _))
            ));
        }
        assert!(p.attempt(&me, now, |_| Some(())).is_none());
    }

    #[test]
    fn a_pending_enrollment_lapses_after_its_lifetime() {
        let clock = FakeClock::default();
        let p = PendingTotps::default();
        let me = Caller {
            sender: ":1.1".into(),
            uid: 1000,
        };
        p.put(&me, params(), clock.now());
        clock.advance(LIFETIME);
        assert!(p.attempt(&me, clock.now(), |_| Some(())).is_none());
    }
}
