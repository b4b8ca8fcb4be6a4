//! Sliding windows over send timestamps: the last hour and the last day.

pub(super) const HOUR: u64 = 3600;
pub(super) const DAY: u64 = 86_400;

/// At most `hour` sends in the last 3600 s and at most `day` in the last 86 400 s. A limit of 0
/// refuses every send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub hour: u32,
    pub day: u32,
}

impl Window {
    /// Whether one more send fits. A timestamp in the future (the clock went back) counts as
    /// now, so setting the clock back does not reset a budget.
    pub(crate) fn allows(&self, sends: &[u64], now: u64) -> bool {
        let within = |span: u64| {
            sends
                .iter()
                .filter(|&&t| now.saturating_sub(t) < span)
                .count()
        };
        within(HOUR) < self.hour as usize && within(DAY) < self.day as usize
    }

    /// Drop what no window can see any more, and keep at most `day` entries (the newest): a
    /// key's memory is bounded by its day limit even if the limits were lowered since.
    /// Timestamps more than a day ahead of `now` are dropped too: they come from a clock that
    /// was wrong and would otherwise block the key until that time.
    pub(super) fn prune(&self, sends: &mut Vec<u64>, now: u64) {
        sends.retain(|&t| now.saturating_sub(t) < DAY && t.saturating_sub(now) < DAY);
        let cap = self.day as usize;
        if sends.len() > cap {
            sends.sort_unstable();
            sends.drain(..sends.len() - cap);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: u64 = 1_800_000_000;

    #[test]
    fn hour_and_day_limits_count_their_own_span() {
        let w = Window { hour: 2, day: 3 };
        assert!(w.allows(&[], NOW));
        assert!(w.allows(&[NOW - 10], NOW));
        assert!(!w.allows(&[NOW - 10, NOW - 20], NOW), "hour full");
        assert!(w.allows(&[NOW - HOUR, NOW - 20], NOW), "an hour old is out");
        assert!(
            !w.allows(&[NOW - 2 * HOUR, NOW - 3 * HOUR, NOW - 20], NOW),
            "day full"
        );
        assert!(
            w.allows(&[NOW - DAY, NOW - 3 * HOUR, NOW - 20], NOW),
            "a day old is out"
        );
    }

    #[test]
    fn zero_refuses_everything() {
        assert!(!Window { hour: 0, day: 10 }.allows(&[], NOW));
        assert!(!Window { hour: 10, day: 0 }.allows(&[], NOW));
    }

    #[test]
    fn sends_in_the_future_count_as_now() {
        let w = Window { hour: 1, day: 5 };
        assert!(!w.allows(&[NOW + 600], NOW));
    }

    #[test]
    fn prune_drops_old_and_far_future_sends_and_caps_at_the_day_limit() {
        let w = Window { hour: 10, day: 3 };
        let mut sends = vec![NOW - DAY, NOW - DAY + 1, NOW + DAY, NOW + 5];
        w.prune(&mut sends, NOW);
        assert_eq!(sends, vec![NOW - DAY + 1, NOW + 5]);
        let mut many: Vec<u64> = (0..10).map(|i| NOW - 100 + i).collect();
        w.prune(&mut many, NOW);
        assert_eq!(many, vec![NOW - 93, NOW - 92, NOW - 91]);
    }
}
