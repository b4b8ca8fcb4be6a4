//! Refused heavy work, logged at most once a minute with a count: a flood must not turn into a
//! flood of log lines.

use std::sync::Mutex;
use std::time::{Duration, Instant};

const EVERY: Duration = Duration::from_secs(60);

struct Tally {
    since: Option<Instant>,
    refused: u64,
    last_uid: u32,
}

static TALLY: Mutex<Tally> = Mutex::new(Tally {
    since: None,
    refused: 0,
    last_uid: 0,
});

/// Count one refusal; write the tally when a minute has passed since the last line.
pub fn note(uid: u32) {
    let Ok(mut tally) = TALLY.lock() else {
        return;
    };
    tally.refused += 1;
    tally.last_uid = uid;
    let now = crate::clock::now();
    let due = tally.since.is_none_or(|s| now.duration_since(s) >= EVERY);
    if due {
        eprintln!(
            "mfad: heavy work overloaded: refused {} job(s) (last from uid {})",
            tally.refused, tally.last_uid
        );
        tally.since = Some(now);
        tally.refused = 0;
    }
}
