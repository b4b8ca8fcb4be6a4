//! The counters and the histogram, process-wide. Labelled counters live in small maps with a
//! hard cap on their series; label values are checked to be words, and methods must be the
//! protocol's, so nothing a user types can become a label.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{LazyLock, Mutex};
use std::time::Duration;

/// Upper bounds (seconds) of the latency buckets: a code check is milliseconds, a text through
/// a slow provider seconds.
pub const BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// Series per labelled counter at most; anything beyond goes to the `other` series.
pub const MAX_SERIES: usize = 256;

pub static REGISTRY: LazyLock<Registry> = LazyLock::new(Registry::default);

#[derive(Default)]
pub struct Registry {
    decisions: Mutex<BTreeMap<(String, String), u64>>,
    gateways: Mutex<BTreeMap<(String, String, String), u64>>,
    locks: AtomicU64,
    store_errors: AtomicU64,
    answer: Histogram,
}

#[derive(Default)]
pub struct Histogram {
    /// Count per bucket (not cumulative), the last one for +Inf.
    buckets: [AtomicU64; BUCKETS.len() + 1],
    sum_micros: AtomicU64,
}

/// A copy of everything, to write out.
pub struct Snapshot {
    pub decisions: BTreeMap<(String, String), u64>,
    pub gateways: BTreeMap<(String, String, String), u64>,
    pub locks: u64,
    pub store_errors: u64,
    /// Cumulative counts per bucket, the last one +Inf (the count).
    pub answer_buckets: Vec<u64>,
    pub answer_sum: f64,
}

impl Registry {
    pub fn decision(&self, method: &str, outcome: &str) {
        // "-" is a decision made before any method (an unenrolled user, an unavailable store).
        let method = match method {
            "-" => "none",
            m if mfa_proto::METHOD_NAMES.contains(&m) => m,
            _ => "other",
        };
        let method = method.to_owned();
        let key = (method, word(outcome));
        bump(&self.decisions, key, ("other".into(), "other".into()));
    }

    pub fn gateway(&self, channel: &str, gateway: &str, result: &str) {
        let key = (word(channel), word(gateway), word(result));
        let other = ("other".into(), "other".into(), "other".into());
        bump(&self.gateways, key, other);
    }

    pub fn inc_locks(&self) {
        self.locks.fetch_add(1, Ordering::Relaxed);
    }

    pub fn inc_store_errors(&self) {
        self.store_errors.fetch_add(1, Ordering::Relaxed);
    }

    pub fn observe_answer(&self, took: Duration) {
        let secs = took.as_secs_f64();
        let at = BUCKETS
            .iter()
            .position(|b| secs <= *b)
            .unwrap_or(BUCKETS.len());
        self.answer.buckets[at].fetch_add(1, Ordering::Relaxed);
        let micros = u64::try_from(took.as_micros()).unwrap_or(u64::MAX);
        self.answer.sum_micros.fetch_add(micros, Ordering::Relaxed);
    }

    pub fn snapshot(&self) -> Snapshot {
        let mut running = 0;
        let answer_buckets = self
            .answer
            .buckets
            .iter()
            .map(|b| {
                running += b.load(Ordering::Relaxed);
                running
            })
            .collect();
        Snapshot {
            decisions: lock(&self.decisions).clone(),
            gateways: lock(&self.gateways).clone(),
            locks: self.locks.load(Ordering::Relaxed),
            store_errors: self.store_errors.load(Ordering::Relaxed),
            answer_buckets,
            answer_sum: self.answer.sum_micros.load(Ordering::Relaxed) as f64 / 1e6,
        }
    }
}

/// A label value as written by the code or the config: lower-case letters, digits, `-`, `_`
/// and `.`, at most 64; anything else is `other`.
fn word(s: &str) -> String {
    let ok = !s.is_empty()
        && s.len() <= 64
        && s.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.')
        });
    if ok { s.to_owned() } else { "other".to_owned() }
}

fn bump<K: Ord>(map: &Mutex<BTreeMap<K, u64>>, key: K, other: K) {
    let mut map = lock(map);
    let key = if map.contains_key(&key) || map.len() < MAX_SERIES - 1 {
        key
    } else {
        other
    };
    *map.entry(key).or_insert(0) += 1;
}

/// Counters stay consistent under every operation, so a poisoned lock is still usable.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_values_are_the_protocols_methods_and_words_never_what_a_user_typed() {
        let r = Registry::default();
        r.decision("totp", "granted");
        r.decision("-", "denied-not-enrolled");
        r.decision("alice", "Granted for alice@host");
        let d = r.snapshot().decisions;
        assert_eq!(d.get(&("totp".into(), "granted".into())), Some(&1));
        assert_eq!(
            d.get(&("none".into(), "denied-not-enrolled".into())),
            Some(&1)
        );
        assert_eq!(d.get(&("other".into(), "other".into())), Some(&1));
        assert_eq!(d.len(), 3);
    }

    #[test]
    fn the_number_of_series_is_capped() {
        let r = Registry::default();
        for i in 0..10 * MAX_SERIES {
            r.gateway("text", &format!("gw{i}"), "accepted");
        }
        let g = r.snapshot().gateways;
        assert_eq!(g.len(), MAX_SERIES);
        assert_eq!(g.values().sum::<u64>(), 10 * MAX_SERIES as u64);
    }

    #[test]
    fn the_histogram_is_cumulative_and_counts_every_observation() {
        let r = Registry::default();
        r.observe_answer(Duration::from_millis(1));
        r.observe_answer(Duration::from_millis(300));
        r.observe_answer(Duration::from_secs(60));
        let s = r.snapshot();
        assert_eq!(s.answer_buckets[0], 1);
        assert_eq!(s.answer_buckets[BUCKETS.len() - 1], 2);
        assert_eq!(s.answer_buckets[BUCKETS.len()], 3);
        assert!((s.answer_sum - 60.301).abs() < 1e-6);
    }
}
