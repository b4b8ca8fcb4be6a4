//! Failure limits per account: a few free failures, then a doubling delay, then a lock that only
//! an admin lifts. Pure functions over the persisted counters, so they hold across sessions,
//! services, callers and restarts.

use crate::config::Limits;
use crate::store::FailureCounters;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    /// A code may be checked now.
    Open,
    /// Too soon after the last failure: refuse without checking, for this many more seconds.
    Cooldown(u64),
    /// Locked until an admin unlocks.
    Locked,
}

/// Seconds to wait after `failures` consecutive failures.
pub fn delay_after(failures: u32, limits: &Limits) -> u64 {
    if failures <= limits.free_failures {
        return 0;
    }
    let doublings = (failures - limits.free_failures - 1).min(32);
    let base = limits.delay_base.as_secs();
    base.saturating_mul(1u64 << doublings)
        .min(limits.delay_max.as_secs())
}

pub fn gate(counters: &FailureCounters, limits: &Limits, now: u64) -> Gate {
    if counters.locked || counters.consecutive >= limits.max_failures {
        return Gate::Locked;
    }
    let ready_at = counters
        .last_failure
        .saturating_add(delay_after(counters.consecutive, limits));
    if now < ready_at {
        Gate::Cooldown(ready_at - now)
    } else {
        Gate::Open
    }
}

/// Count a failure; returns true when this failure locked the account.
pub fn record_failure(counters: &mut FailureCounters, limits: &Limits, now: u64) -> bool {
    counters.consecutive = counters.consecutive.saturating_add(1);
    counters.last_failure = now;
    if counters.consecutive >= limits.max_failures && !counters.locked {
        counters.locked = true;
        return true;
    }
    false
}

pub fn record_success(counters: &mut FailureCounters) {
    *counters = FailureCounters::default();
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn limits() -> Limits {
        Limits {
            max_failures: 6,
            free_failures: 2,
            delay_base: Duration::from_secs(5),
            delay_max: Duration::from_secs(30),
        }
    }

    #[test]
    fn delay_grows_after_the_free_failures_and_is_capped() {
        let l = limits();
        let delays: Vec<u64> = (0..=6).map(|n| delay_after(n, &l)).collect();
        assert_eq!(delays, vec![0, 0, 0, 5, 10, 20, 30]);
    }

    #[test]
    fn cooldown_refuses_until_the_delay_has_passed() {
        let l = limits();
        let mut c = FailureCounters::default();
        for t in [100, 101, 102] {
            assert_eq!(gate(&c, &l, t), Gate::Open);
            record_failure(&mut c, &l, t);
        }
        assert_eq!(gate(&c, &l, 103), Gate::Cooldown(4));
        assert_eq!(gate(&c, &l, 107), Gate::Open);
    }

    #[test]
    fn max_failures_locks_until_reset() {
        let l = limits();
        let mut c = FailureCounters::default();
        let locked: Vec<bool> = (0..6)
            .map(|i| record_failure(&mut c, &l, 1000 * i))
            .collect();
        assert_eq!(locked, vec![false, false, false, false, false, true]);
        assert_eq!(gate(&c, &l, u64::MAX), Gate::Locked);
        record_success(&mut c);
        assert_eq!(gate(&c, &l, 0), Gate::Open);
    }
}
