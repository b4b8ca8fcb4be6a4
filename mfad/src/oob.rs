//! Confirmations that arrive outside the login conversation (the keypad of a phone call, and
//! later a push approval page): each waits under an unguessable token until a callback decides
//! it once, or its deadline passes. Kept in memory only, so a restart voids every one of them.

use crate::clock::{Clock, SystemClock};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Where a confirmation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Pending,
    /// The right answer came back (the `#`, the matching digits).
    Approved,
    /// A wrong answer came back: counted as a failure.
    Rejected,
    /// It ended without an answer (not picked up, busy, hung up).
    Unanswered,
    /// The user said no (push "Deny").
    Denied,
    /// The user said no and that it was not them (push "Deny — this wasn't me").
    Reported,
}

struct Entry<T> {
    detail: T,
    verdict: Verdict,
    deadline: Instant,
}

/// The open confirmations of one kind, by token.
pub struct Confirmations<T> {
    entries: Mutex<HashMap<String, Entry<T>>>,
    max: usize,
    clock: Arc<dyn Clock>,
}

/// Why a callback could not decide a confirmation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Undecided {
    /// No such token, or it expired.
    Unknown,
    /// Already decided: tokens are single use.
    AlreadyDecided,
}

impl<T: Clone> Confirmations<T> {
    pub fn new(max: usize) -> Self {
        Confirmations {
            entries: Mutex::new(HashMap::new()),
            max,
            clock: Arc::new(SystemClock),
        }
    }

    /// The same confirmations, with deadlines read from `clock` (tests move a fake one).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Opens a confirmation and returns its token (128 random bits, hex).
    pub fn open(&self, detail: T, lifetime: Duration) -> Result<String, String> {
        let mut raw = [0u8; 16];
        getrandom::fill(&mut raw).map_err(|e| e.to_string())?;
        let token = hex::encode(raw);
        let now = self.clock.now();
        let mut entries = self.entries.lock().map_err(|_| "poisoned".to_string())?;
        entries.retain(|_, e| e.deadline > now);
        if entries.len() >= self.max {
            return Err("too many confirmations are open".into());
        }
        let entry = Entry {
            detail,
            verdict: Verdict::Pending,
            deadline: now + lifetime,
        };
        entries.insert(token.clone(), entry);
        Ok(token)
    }

    /// The detail of a live confirmation.
    pub fn detail(&self, token: &str) -> Option<T> {
        self.with_live(token, |e| e.detail.clone())
    }

    /// Changes the detail of a live confirmation (e.g. the provider's id, known after sending).
    pub fn update(&self, token: &str, change: impl FnOnce(&mut T)) -> bool {
        self.with_live(token, |e| change(&mut e.detail)).is_some()
    }

    /// The verdict of a live confirmation; `None` once it expired or was closed.
    pub fn verdict(&self, token: &str) -> Option<Verdict> {
        self.with_live(token, |e| e.verdict)
    }

    /// Decides a pending confirmation, once.
    pub fn decide(&self, token: &str, verdict: Verdict) -> Result<(), Undecided> {
        self.with_live(token, |e| {
            if e.verdict != Verdict::Pending {
                return Err(Undecided::AlreadyDecided);
            }
            e.verdict = verdict;
            Ok(())
        })
        .unwrap_or(Err(Undecided::Unknown))
    }

    /// Forgets a confirmation (its login ended or moved on).
    pub fn close(&self, token: &str) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.remove(token);
        }
    }

    pub fn len(&self) -> usize {
        self.entries.lock().map(|e| e.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn with_live<R>(&self, token: &str, f: impl FnOnce(&mut Entry<T>) -> R) -> Option<R> {
        let mut entries = self.entries.lock().ok()?;
        let entry = entries.get_mut(token)?;
        if entry.deadline <= self.clock.now() {
            entries.remove(token);
            return None;
        }
        Some(f(entry))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FakeClock;

    #[test]
    fn a_confirmation_is_decided_once() {
        let c = Confirmations::new(4);
        let token = c.open("call", Duration::from_secs(60)).unwrap();
        assert_eq!(token.len(), 32);
        assert_eq!(c.verdict(&token), Some(Verdict::Pending));
        assert_eq!(c.decide(&token, Verdict::Approved), Ok(()));
        assert_eq!(
            c.decide(&token, Verdict::Rejected),
            Err(Undecided::AlreadyDecided)
        );
        assert_eq!(c.verdict(&token), Some(Verdict::Approved));
    }

    #[test]
    fn unknown_expired_and_closed_tokens_decide_nothing() {
        let clock = Arc::new(FakeClock::default());
        let c = Confirmations::new(4).with_clock(clock.clone());
        assert_eq!(c.decide("00", Verdict::Approved), Err(Undecided::Unknown));
        let short = c.open(1, Duration::from_millis(1)).unwrap();
        clock.advance(Duration::from_millis(1));
        assert_eq!(c.verdict(&short), None);
        assert_eq!(c.decide(&short, Verdict::Approved), Err(Undecided::Unknown));
        let closed = c.open(2, Duration::from_secs(60)).unwrap();
        c.close(&closed);
        assert_eq!(c.detail(&closed), None);
    }

    #[test]
    fn tokens_are_distinct_and_bounded_in_number() {
        let c = Confirmations::new(2);
        let a = c.open((), Duration::from_secs(60)).unwrap();
        let b = c.open((), Duration::from_secs(60)).unwrap();
        assert_ne!(a, b);
        assert!(c.open((), Duration::from_secs(60)).is_err());
        c.close(&a);
        assert!(c.open((), Duration::from_secs(60)).is_ok());
    }

    #[test]
    fn details_can_be_completed_after_opening() {
        let c = Confirmations::new(2);
        let t = c.open(String::new(), Duration::from_secs(60)).unwrap();
        assert!(c.update(&t, |d| d.push_str("CA123")));
        assert_eq!(c.detail(&t).as_deref(), Some("CA123"));
    }
}
