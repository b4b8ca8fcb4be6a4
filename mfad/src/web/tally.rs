//! What the listener turned away, logged as one summary line at most every 10 seconds: an
//! attacker opening thousands of connections must not write thousands of log lines.

use crate::audit::{Audit, Level};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const EVERY: Duration = Duration::from_secs(10);

#[derive(Clone, Copy)]
pub enum Turned {
    /// Its client's share was busy answering requests.
    ClientFull,
    /// Every slot was serving a request.
    AllBusy,
    /// Pushed out by a newcomer while it had not sent a complete request.
    Evicted,
    /// Did not finish the handshake and request head in time.
    HeaderDeadline,
    /// Did not send its body in time (answered 408).
    BodyDeadline,
}

pub struct Tally {
    audit: Option<Arc<Audit>>,
    state: Mutex<Counts>,
}

#[derive(Default)]
struct Counts {
    last_line: Option<Instant>,
    by_kind: [u64; 5],
}

impl Tally {
    pub fn new(audit: Option<Arc<Audit>>) -> Tally {
        Tally {
            audit,
            state: Mutex::new(Counts::default()),
        }
    }

    pub fn note(&self, what: Turned) {
        let mut counts = self.state.lock().unwrap_or_else(|p| p.into_inner());
        counts.by_kind[what as usize] += 1;
        let now = crate::clock::now();
        // The first event is logged at once; later ones add up until the interval is over.
        if counts
            .last_line
            .is_some_and(|last| now.duration_since(last) < EVERY)
        {
            return;
        }
        let [full, busy, evicted, headers, body] = counts.by_kind;
        *counts = Counts {
            last_line: Some(now),
            by_kind: [0; 5],
        };
        drop(counts);
        if let Some(audit) = &self.audit {
            audit.log(
                Level::Warning,
                &format!(
                    "web listener under pressure: refused {full} (its client's share busy) and \
                     {busy} (all slots busy), evicted {evicted} idle, closed {headers} at the \
                     header deadline, answered {body} with 408"
                ),
            );
        }
    }
}
