//! Locks that survive a panic. A handler that panics while holding a std mutex poisons it; the
//! shield (bus::shield) keeps the daemon up, and this keeps the table usable, so one contained
//! panic does not refuse every later login ("Busy") or silence the audit record for good. The
//! tables guarded this way stay consistent at every await-free step, so the data is safe to use.

use std::sync::{Mutex, MutexGuard, PoisonError};

pub trait LockAnyway<T> {
    /// The guard, poisoned or not.
    fn lock_anyway(&self) -> MutexGuard<'_, T>;
}

impl<T> LockAnyway<T> for Mutex<T> {
    fn lock_anyway(&self) -> MutexGuard<'_, T> {
        self.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mutex_poisoned_by_a_panic_can_still_be_locked() {
        let table = Mutex::new(vec![1]);
        let _ = std::panic::catch_unwind(|| {
            let _held = table.lock();
            panic!("while holding the table");
        });
        assert!(table.is_poisoned());
        table.lock_anyway().push(2);
        assert_eq!(*table.lock_anyway(), vec![1, 2]);
    }
}
