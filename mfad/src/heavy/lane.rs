//! One lane of heavy work: a few plain threads fed by a bounded queue. A full queue refuses;
//! a panicking job is caught so the thread lives on.

use super::HeavyError;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};

type Job = Box<dyn FnOnce() + Send>;

pub struct Lane {
    queue: SyncSender<Job>,
}

impl Lane {
    /// Start `threads` threads named `name` at CPU priority `nice` (0 = unchanged).
    pub fn start(name: &str, threads: usize, capacity: usize, nice: i32) -> Lane {
        let (queue, jobs) = sync_channel::<Job>(capacity);
        let jobs = Arc::new(Mutex::new(jobs));
        for i in 0..threads {
            let jobs = jobs.clone();
            // A lane that cannot start a thread refuses everything (its queue fills): closed.
            let _ = std::thread::Builder::new()
                .name(format!("{name}-{i}"))
                .spawn(move || work(&jobs, nice));
        }
        Lane { queue }
    }

    pub async fn run<T, F>(&self, job: F) -> Result<T, HeavyError>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        let (reply, result) = tokio::sync::oneshot::channel();
        let boxed: Job = Box::new(move || {
            let outcome = catch_unwind(AssertUnwindSafe(job)).map_err(|_| HeavyError::Failed);
            let _ = reply.send(outcome);
        });
        match self.queue.try_send(boxed) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) | Err(TrySendError::Disconnected(_)) => {
                return Err(HeavyError::Overloaded);
            }
        }
        result.await.unwrap_or(Err(HeavyError::Failed))
    }
}

fn work(jobs: &Mutex<Receiver<Job>>, nice: i32) {
    if nice != 0 {
        lower_priority(nice);
    }
    loop {
        let job = match jobs.lock() {
            Ok(receiver) => receiver.recv(),
            Err(_) => return,
        };
        match job {
            Ok(job) => job(),
            Err(_) => return,
        }
    }
}

/// On Linux the nice value belongs to the thread: only this lane's thread yields the CPU.
fn lower_priority(nice: i32) {
    // SAFETY: plain syscalls on this thread's own id.
    unsafe {
        let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
        libc::setpriority(libc::PRIO_PROCESS, tid, nice);
    }
}
