//! Unknown and unenrolled accounts look like enrolled ones: their wrong answers are counted in
//! memory with the same limits, delays, lock and texts, and the first wrong answer pays for a
//! durable write as an enrolled one does (its record is fsync'd), so neither the words nor the
//! timing tell a caller which names have a second factor.

use super::LoginContext;
use crate::limits::{self, Gate};
use crate::sessions::Session;
use crate::store::FailureCounters;
use crate::texts::{self, Text};
use mfa_proto::Step;
use std::collections::HashMap;
use std::sync::Mutex;

/// Names whose virtual counters are kept; past this the oldest failure is forgotten first.
const MAX_NAMES: usize = 10_000;

/// Failure counters of names with no second factor, in memory only.
#[derive(Debug, Default)]
pub struct VirtualCounters {
    names: Mutex<HashMap<String, FailureCounters>>,
}

impl VirtualCounters {
    pub fn get(&self, user: &str) -> FailureCounters {
        self.names
            .lock()
            .ok()
            .and_then(|names| names.get(user).cloned())
            .unwrap_or_default()
    }

    /// Change one name's counters atomically (concurrent answers for a name are counted one
    /// at a time, as the store's lock does for a record).
    fn update<T>(&self, user: &str, change: impl FnOnce(&mut FailureCounters) -> T) -> T {
        let mut names = self
            .names
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut counters = names.get(user).cloned().unwrap_or_default();
        let answer = change(&mut counters);
        if names.len() >= MAX_NAMES && !names.contains_key(user) {
            let oldest = names
                .iter()
                .min_by_key(|(_, c)| c.last_failure)
                .map(|(name, _)| name.clone());
            if let Some(oldest) = oldest {
                names.remove(&oldest);
            }
        }
        names.insert(user.to_string(), counters);
        answer
    }

    #[cfg(test)]
    fn set(&self, user: &str, counters: FailureCounters) {
        self.update(user, |c| *c = counters);
    }

    /// An admin's unlock or reset: the name starts afresh.
    pub fn forget(&self, user: &str) {
        if let Ok(mut names) = self.names.lock() {
            names.remove(user);
        }
    }
}

impl LoginContext {
    /// Whether a name with no second factor is locked (checked at `Start`, like a record's).
    pub(crate) fn unenrolled_locked(&self, user: &str) -> bool {
        let counters = self.unenrolled.get(user);
        limits::gate(&counters, &self.config().limits, self.clock.unix_now()) == Gate::Locked
    }

    /// An answer for a name with no second factor: always wrong, counted and worded as for an
    /// enrolled account.
    pub(crate) async fn check_unenrolled(&self, session: &Session) -> Step {
        // Held (never committed) like an enrolled account's transaction, so concurrent answers
        // for one name wait for each other here too and the timing stays alike.
        let held = self.store().begin(&session.user).await.ok();
        let limits = self.config().limits.clone();
        let now = self.clock.unix_now();
        let counted = self.unenrolled.update(&session.user, |counters| {
            match limits::gate(counters, &limits, now) {
                Gate::Open => Ok(limits::record_failure(counters, &limits, now)),
                closed => Err(closed),
            }
        });
        let locked_now = match counted {
            Ok(locked_now) => locked_now,
            Err(Gate::Cooldown(seconds)) => {
                self.log_session(session, "-", "refused-cooldown");
                return Step::Denied {
                    text: texts::cooldown(session.lang, session.render, seconds),
                };
            }
            Err(_) => {
                self.log_session(session, "-", "locked");
                return Step::Locked {
                    text: crate::texts::fit(
                        session.lang,
                        session.render,
                        Text::Locked,
                        Text::LockedShort,
                    ),
                };
            }
        };
        // Let the held transaction go first: the decoy takes a connection of its own, and
        // holding one while waiting for another lets a few concurrent answers take every
        // pooled database connection and wait on each other.
        drop(held);
        self.decoy_write().await;
        self.log_session(session, "-", "denied-not-enrolled");
        if locked_now {
            return Step::Locked {
                text: crate::texts::fit(
                    session.lang,
                    session.render,
                    Text::Locked,
                    Text::LockedShort,
                ),
            };
        }
        self.wrong_code(session)
    }

    /// The same durable write an enrolled account's failure costs; its outcome does not matter.
    async fn decoy_write(&self) {
        let _ = self.store().write_decoy().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_are_kept_per_name_and_forgotten_on_request() {
        let v = VirtualCounters::default();
        let mut c = v.get("ghost");
        c.consecutive = 3;
        v.set("ghost", c);
        assert_eq!(v.get("ghost").consecutive, 3);
        assert_eq!(v.get("other").consecutive, 0);
        v.forget("ghost");
        assert_eq!(v.get("ghost").consecutive, 0);
    }

    #[test]
    fn the_number_of_names_is_bounded() {
        let v = VirtualCounters::default();
        for i in 0..MAX_NAMES + 5 {
            let c = FailureCounters {
                consecutive: 1,
                last_failure: i as u64 + 1,
                ..FailureCounters::default()
            };
            v.set(&format!("u{i}"), c);
        }
        let kept = v.names.lock().map(|n| n.len()).unwrap_or(0);
        assert_eq!(kept, MAX_NAMES);
        assert_eq!(v.get("u0").consecutive, 0, "the oldest went first");
    }
}
