//! Rate limits on non-root callers' audit lines: a caller who can write lines for free (wrong
//! answers for their own account) gets a bounded share of the record, and what is held back is
//! counted and reported in one summary line per caller and minute.

use std::collections::BTreeMap;

/// Lines one non-root uid may write per window.
pub const PER_UID: u32 = 60;
/// Lines all non-root uids together may write per window.
pub const ALL_USERS: u32 = 600;
/// The window, in seconds.
pub const WINDOW_SECS: u64 = 60;
/// Distinct uids counted per window; a larger crowd shares one bucket (the map stays bounded).
const MAX_TRACKED_UIDS: usize = 4096;

#[derive(Default)]
struct Count {
    written: u32,
    suppressed: u64,
}

/// Counts of one window; `Default` is an empty one starting at time 0.
#[derive(Default)]
pub struct Limiter {
    window_start: u64,
    all_written: u32,
    by_uid: BTreeMap<u32, Count>,
}

/// Lines held back in a finished window: `(uid, count)`.
pub type Suppressed = Vec<(u32, u64)>;

impl Limiter {
    /// Whether a line of `uid` may be written at `now`; also returns the held-back counts of the
    /// window that `now` closed (to be written as summary lines), if any.
    pub fn admit(&mut self, uid: u32, now: u64) -> (bool, Suppressed) {
        let closed = if now >= self.window_start + WINDOW_SECS || now < self.window_start {
            self.roll(now)
        } else {
            Vec::new()
        };
        let key = if self.by_uid.len() >= MAX_TRACKED_UIDS && !self.by_uid.contains_key(&uid) {
            u32::MAX
        } else {
            uid
        };
        let count = self.by_uid.entry(key).or_default();
        let admitted = count.written < PER_UID && self.all_written < ALL_USERS;
        if admitted {
            count.written += 1;
            self.all_written += 1;
        } else {
            count.suppressed += 1;
        }
        (admitted, closed)
    }

    fn roll(&mut self, now: u64) -> Suppressed {
        let closed = std::mem::take(&mut self.by_uid)
            .into_iter()
            .filter(|(_, c)| c.suppressed > 0)
            .map(|(uid, c)| (uid, c.suppressed))
            .collect();
        self.window_start = now - now % WINDOW_SECS;
        self.all_written = 0;
        closed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_uid_gets_its_share_and_the_rest_is_counted() {
        let mut limiter = Limiter::default();
        let admitted = (0..100).filter(|_| limiter.admit(1000, 120).0).count();
        assert_eq!(admitted, PER_UID as usize);
        assert!(limiter.admit(1001, 121).0, "another uid still writes");
        let (admitted, closed) = limiter.admit(1000, 180);
        assert!(admitted, "a new window");
        assert_eq!(closed, vec![(1000, 40)]);
    }

    #[test]
    fn many_uids_together_are_bounded() {
        let mut limiter = Limiter::default();
        let admitted = (0..10_000u32)
            .filter(|i| limiter.admit(1000 + i % 100, 60).0)
            .count();
        assert_eq!(admitted, ALL_USERS as usize);
    }
}
