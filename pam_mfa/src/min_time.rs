//! `min_time=MS`: the module's `pam_sm_authenticate` never returns sooner than this after it
//! began. kscreenlocker takes a stack that answers within 50 ms for one that cannot
//! authenticate; a floor also hides how quickly a login was refused.

use std::time::{Duration, Instant};

/// Started when the hook begins; [`Floor::hold`] waits out what is left of `min`.
pub struct Floor {
    began: Instant,
    min: Duration,
}

impl Floor {
    // The hook's own start time: real time is the point here (there is no daemon clock).
    #[allow(clippy::disallowed_methods)]
    pub fn start(min: Duration) -> Floor {
        Floor {
            began: Instant::now(),
            min,
        }
    }

    /// Sleeps until `min` has passed since [`Floor::start`] (at once when it already has).
    // The module's thread is the host's PAM thread, made to wait on purpose: nothing else runs on
    // it while the login is held.
    #[allow(clippy::disallowed_methods)]
    pub fn hold(self) {
        let left = self.min.saturating_sub(self.began.elapsed());
        if !left.is_zero() {
            std::thread::sleep(left);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::disallowed_methods)]
    fn a_quick_hook_is_held_until_the_floor() {
        let began = Instant::now();
        Floor::start(Duration::from_millis(120)).hold();
        assert!(began.elapsed() >= Duration::from_millis(120));
    }

    #[test]
    #[allow(clippy::disallowed_methods)]
    fn a_hook_that_took_longer_than_the_floor_is_not_held_again() {
        let floor = Floor::start(Duration::from_millis(30));
        std::thread::sleep(Duration::from_millis(60));
        let before_hold = Instant::now();
        floor.hold();
        assert!(before_hold.elapsed() < Duration::from_millis(30));
    }
}
