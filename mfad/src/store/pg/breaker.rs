//! A small circuit breaker in front of the pool: after `TRIP_AFTER` connection failures in a
//! row, every call fails at once for `OPEN_FOR` instead of each login waiting the whole timeout
//! for a database that is down (no pile-up of waiting logins). After that one call is let
//! through to try again. The breaker also throttles the log line that says so.

use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const TRIP_AFTER: u32 = 3;
pub const OPEN_FOR: Duration = Duration::from_secs(5);
/// At most one "database unreachable" log line per this long.
pub const LOG_EVERY: Duration = Duration::from_secs(30);

#[derive(Default)]
pub struct Breaker {
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    failures: u32,
    open_until: Option<Instant>,
    logged_at: Option<Instant>,
}

impl Breaker {
    /// Whether a call may try the database now.
    pub fn allows(&self, now: Instant) -> bool {
        let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
        match s.open_until {
            Some(until) if now < until => false,
            Some(_) => {
                // Half open: this call tries; another failure opens the breaker again at once.
                s.open_until = None;
                s.failures = TRIP_AFTER.saturating_sub(1);
                true
            }
            None => true,
        }
    }

    pub fn succeeded(&self) {
        let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
        s.failures = 0;
        s.open_until = None;
    }

    /// Counts a connection failure; true when this one should be logged (throttled).
    pub fn failed(&self, now: Instant) -> bool {
        let mut s = self.state.lock().unwrap_or_else(|p| p.into_inner());
        s.failures = s.failures.saturating_add(1);
        if s.failures >= TRIP_AFTER {
            s.open_until = Some(now + OPEN_FOR);
        }
        let log = s
            .logged_at
            .is_none_or(|at| now.duration_since(at) >= LOG_EVERY);
        if log {
            s.logged_at = Some(now);
        }
        log
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_breaker_opens_after_failures_in_a_row_and_lets_one_try_after_a_while() {
        let b = Breaker::default();
        let t0 = crate::clock::now();
        assert!(b.allows(t0));
        assert!(b.failed(t0), "the first failure is logged");
        assert!(!b.failed(t0), "the next ones within 30 s are not");
        assert!(b.allows(t0), "two failures do not open it yet");
        b.failed(t0);
        assert!(!b.allows(t0 + Duration::from_secs(1)), "open: fail fast");
        let later = t0 + OPEN_FOR + Duration::from_millis(1);
        assert!(b.allows(later), "half open: one call tries");
        b.failed(later);
        assert!(!b.allows(later), "and one more failure opens it again");
        b.succeeded();
        assert!(b.allows(later));
    }
}
