//! The daemon's one reader of time. Everything that asks "what time is it" (lockouts, TOTP
//! steps, session and confirmation deadlines, rate windows, audit timestamps) asks a [`Clock`],
//! so a test can hand the engine a [`FakeClock`] and move time instead of sleeping.
//! `clippy.toml` forbids `SystemTime::now` and `Instant::now` everywhere else. Timers that wait
//! (`tokio::time::sleep`, `timeout_at` with tokio's `Instant`) belong to the runtime, and a test
//! fakes them with tokio's paused time instead.

use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Wall time (whole seconds since the Unix epoch) and monotonic time.
pub trait Clock: Send + Sync {
    /// Seconds since the Unix epoch: what is stored and compared across restarts.
    fn unix_now(&self) -> u64;
    /// A monotonic instant: for deadlines and windows that live only in memory.
    fn now(&self) -> Instant;
}

/// The operating system's clocks.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

// The one place allowed to read the real clocks; see clippy.toml.
#[allow(clippy::disallowed_methods)]
impl Clock for SystemClock {
    fn unix_now(&self) -> u64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0)
    }

    fn now(&self) -> Instant {
        Instant::now()
    }
}

/// Seconds since the Unix epoch, from the system clock (for code that has no engine at hand).
pub fn unix_now() -> u64 {
    SystemClock.unix_now()
}

/// A monotonic instant, from the system clock (for code that has no engine at hand).
pub fn now() -> Instant {
    SystemClock.now()
}

/// A clock for tests: it starts at a chosen Unix time and moves only when told to.
#[derive(Debug)]
pub struct FakeClock {
    start_unix: u64,
    start_instant: Instant,
    elapsed: Mutex<Duration>,
}

impl FakeClock {
    /// A clock standing at `unix` seconds since the epoch.
    pub fn at(unix: u64) -> FakeClock {
        FakeClock {
            start_unix: unix,
            start_instant: now(),
            elapsed: Mutex::new(Duration::ZERO),
        }
    }

    /// Moves the clock forward (both the wall and the monotonic reading).
    pub fn advance(&self, by: Duration) {
        let mut elapsed = match self.elapsed.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        *elapsed += by;
    }

    fn elapsed(&self) -> Duration {
        match self.elapsed.lock() {
            Ok(guard) => *guard,
            Err(poisoned) => *poisoned.into_inner(),
        }
    }
}

impl Default for FakeClock {
    /// Stands at the real time of its creation, so stored times look current.
    fn default() -> FakeClock {
        FakeClock::at(unix_now())
    }
}

impl Clock for FakeClock {
    fn unix_now(&self) -> u64 {
        self.start_unix.saturating_add(self.elapsed().as_secs())
    }

    fn now(&self) -> Instant {
        self.start_instant + self.elapsed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fake_clock_stands_still_until_advanced() {
        let clock = FakeClock::at(1_000);
        let before = clock.now();
        assert_eq!(clock.unix_now(), 1_000);
        assert_eq!(clock.now(), before);
        clock.advance(Duration::from_secs(90));
        assert_eq!(clock.unix_now(), 1_090);
        assert_eq!(clock.now() - before, Duration::from_secs(90));
    }

    #[test]
    fn the_system_clock_reads_a_time_after_2020() {
        assert!(SystemClock.unix_now() > 1_577_836_800);
    }
}
