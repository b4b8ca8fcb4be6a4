//! Proof of a current factor for changing one's own methods: a successful re-authentication
//! gives the caller's bus connection a short-lived ticket (bound to its unique name and uid).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a re-authentication lets a connection change its own methods.
pub const TICKET_LIFETIME: Duration = Duration::from_secs(300);

#[derive(Default)]
pub struct Tickets {
    map: Mutex<HashMap<String, (u32, Instant)>>,
}

impl Tickets {
    pub fn grant(&self, sender: &str, uid: u32, now: Instant) {
        if let Ok(mut map) = self.map.lock() {
            map.retain(|_, (_, expires)| *expires > now);
            map.insert(sender.to_string(), (uid, now + TICKET_LIFETIME));
        }
    }

    pub fn valid(&self, sender: &str, uid: u32, now: Instant) -> bool {
        self.map.lock().is_ok_and(|map| {
            map.get(sender)
                .is_some_and(|(u, expires)| *u == uid && *expires > now)
        })
    }

    pub fn forget(&self, sender: &str) {
        if let Ok(mut map) = self.map.lock() {
            map.remove(sender);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::{Clock, FakeClock};

    #[test]
    fn a_ticket_belongs_to_one_connection_and_uid() {
        let now = FakeClock::default().now();
        let t = Tickets::default();
        t.grant(":1.5", 1000, now);
        assert!(t.valid(":1.5", 1000, now));
        assert!(!t.valid(":1.6", 1000, now), "another connection");
        assert!(!t.valid(":1.5", 1001, now), "another uid");
        t.forget(":1.5");
        assert!(!t.valid(":1.5", 1000, now));
    }

    #[test]
    fn a_ticket_lapses_after_its_lifetime() {
        let clock = FakeClock::default();
        let t = Tickets::default();
        t.grant(":1.5", 1000, clock.now());
        clock.advance(TICKET_LIFETIME - Duration::from_secs(1));
        assert!(t.valid(":1.5", 1000, clock.now()));
        clock.advance(Duration::from_secs(1));
        assert!(!t.valid(":1.5", 1000, clock.now()));
    }
}
