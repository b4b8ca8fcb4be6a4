//! The home of expensive work (Argon2 hashes): it never runs on the tokio workers that answer
//! `Start`/`Answer`, so no caller can starve the daemon's replies by making it hash.
//!
//! Two lanes of plain threads with bounded queues: root's callers (the module in sshd/sudo)
//! have their own lane, so any number of non-root callers cannot delay a login; everyone else
//! shares one low-priority thread, one job in flight per uid. A full lane refuses at once
//! (`Overloaded`) rather than queue without bound.

mod decoy;
mod lane;
pub mod memory;
mod refusals;

use lane::Lane;
use std::collections::HashSet;
use std::sync::{Arc, LazyLock, Mutex};

pub use decoy::{decoy_hash_wait, note_hash_time};

/// Root's lane: two threads so one slow hash does not hold the next login.
const ROOT_THREADS: usize = 2;
const ROOT_QUEUE: usize = 64;
/// Everyone else: one thread at the lowest CPU priority.
const SHARED_THREADS: usize = 1;
const SHARED_QUEUE: usize = 32;
const SHARED_NICE: i32 = 19;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeavyError {
    /// The caller's lane is full, or the caller already has a job in flight.
    Overloaded,
    /// The job panicked (caught: the thread and the daemon stay up).
    Failed,
}

pub struct Heavy {
    root: Lane,
    shared: Lane,
    /// Non-root uids with a job queued or running on the shared lane.
    busy_uids: Arc<Mutex<HashSet<u32>>>,
}

static HEAVY: LazyLock<Heavy> = LazyLock::new(Heavy::new);

/// Start the lanes and measure one hash for the decoys, at start-up rather than at the first
/// login (call after [`memory::return_big_blocks_to_the_system`]).
pub fn start() {
    LazyLock::force(&HEAVY);
    decoy::calibrate();
}

/// The daemon's lanes, started on first use.
pub fn lanes() -> &'static Heavy {
    &HEAVY
}

impl Heavy {
    fn new() -> Heavy {
        Heavy {
            root: Lane::start("mfad-heavy-root", ROOT_THREADS, ROOT_QUEUE, 0),
            shared: Lane::start("mfad-heavy-user", SHARED_THREADS, SHARED_QUEUE, SHARED_NICE),
            busy_uids: Arc::new(Mutex::new(HashSet::new())),
        }
    }

    /// Run `job` for a caller of `uid` off the async workers and wait for its result.
    pub async fn run<T, F>(&self, uid: u32, job: F) -> Result<T, HeavyError>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        let result = if uid == 0 {
            self.root.run(job).await
        } else {
            let Some(slot) = UidSlot::claim(&self.busy_uids, uid) else {
                refusals::note(uid);
                return Err(HeavyError::Overloaded);
            };
            // The slot is freed when the job is done (or dropped unrun), not when this call is
            // abandoned: a caller that hangs up cannot stack jobs.
            self.shared
                .run(move || {
                    let _slot = slot;
                    job()
                })
                .await
        };
        if matches!(result, Err(HeavyError::Overloaded)) {
            refusals::note(uid);
        }
        result
    }
}

/// One uid's place on the shared lane; dropping it frees the place.
struct UidSlot {
    busy: Arc<Mutex<HashSet<u32>>>,
    uid: u32,
}

impl UidSlot {
    fn claim(busy: &Arc<Mutex<HashSet<u32>>>, uid: u32) -> Option<UidSlot> {
        let mut set = busy.lock().ok()?;
        set.insert(uid).then(|| UidSlot {
            busy: busy.clone(),
            uid,
        })
    }
}

impl Drop for UidSlot {
    fn drop(&mut self) {
        if let Ok(mut set) = self.busy.lock() {
            set.remove(&self.uid);
        }
    }
}

#[cfg(test)]
mod tests;
