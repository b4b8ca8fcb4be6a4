//! Waiting for something the test cannot be told about directly (a log line, a bus name, a
//! listening port), by polling: one place for every wait in the tests.

use std::fmt::Display;
use std::thread::sleep;
use std::time::{Duration, Instant};

/// How often a condition is checked.
const POLL: Duration = Duration::from_millis(25);

/// Polls `condition` until it returns `Some`, and returns that value; fails the test naming
/// `what` (e.g. "fake-mfad to own the bus name") when `timeout` passes first.
pub fn wait_for<T>(
    what: impl Display,
    timeout: Duration,
    condition: impl FnMut() -> Option<T>,
) -> T {
    try_wait_for(timeout, condition)
        .unwrap_or_else(|| panic!("waited {timeout:?} for {what}, in vain"))
}

/// As [`wait_for`], returning `None` at the timeout (for a caller that explains the failure
/// with what it sees then, or for whom a timeout is not a failure).
pub fn try_wait_for<T>(timeout: Duration, mut condition: impl FnMut() -> Option<T>) -> Option<T> {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(value) = condition() {
            return Some(value);
        }
        if Instant::now() >= deadline {
            return None;
        }
        sleep(POLL);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_condition_that_holds_returns_its_value_at_once() {
        let started = Instant::now();
        assert_eq!(wait_for("seven", Duration::from_secs(5), || Some(7)), 7);
        assert!(started.elapsed() < Duration::from_secs(1));
    }

    #[test]
    fn a_condition_that_holds_later_is_waited_for() {
        let mut checks = 0;
        let value = wait_for("the third check", Duration::from_secs(5), || {
            checks += 1;
            (checks == 3).then_some(checks)
        });
        assert_eq!(value, 3);
    }

    #[test]
    #[should_panic(expected = "for the bus name to appear, in vain")]
    fn a_timeout_fails_naming_what_was_awaited() {
        wait_for("the bus name to appear", Duration::from_millis(60), || {
            None::<()>
        });
    }
}
