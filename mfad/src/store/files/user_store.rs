//! [`UserStore`] over the record files: the blocking file work runs on tokio's blocking pool,
//! and one async lock per user serialises its transactions (this daemon is the only writer).

use super::locks::UserLocks;
use super::{Store, deferred, power_loss, restart_fence};
use crate::private_files::atomic::Flush;
use crate::store::{Commit, StoreError, StoreFuture, Transaction, UserRecord, UserStore};
use std::path::Path;
use std::sync::{Arc, RwLock};
use tokio::sync::OwnedMutexGuard;

pub struct FileStore {
    files: Store,
    locks: Arc<UserLocks>,
    /// From when TOTP steps are fenced (see restart_fence.rs).
    fence: Option<u64>,
    /// Set by a clean stop: every later save is synced. Saves hold it shared, so the stop
    /// waits for those in flight before it syncs.
    stopped: Arc<RwLock<bool>>,
}

impl FileStore {
    /// Check the state directory, create `users/`, clean up temp files left by a crash, and
    /// begin this run (whether an earlier one may have lost writes: the fence).
    pub fn open(state_dir: &Path) -> Result<FileStore, String> {
        let files = Store::open(state_dir)?;
        let fence = restart_fence::begin_run(state_dir, crate::clock::unix_now())?;
        Ok(FileStore {
            files,
            locks: Arc::default(),
            fence,
            stopped: Arc::default(),
        })
    }

    /// Runs `work` on a copy of the file layer on the blocking pool.
    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce(Store) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let files = self.files.clone();
        match tokio::task::spawn_blocking(move || work(files)).await {
            Ok(result) => result,
            Err(e) => Err(StoreError::Unavailable(std::io::Error::other(
                e.to_string(),
            ))),
        }
    }
}

/// The user's lock, held until the record is saved or the transaction dropped.
struct Locked {
    files: Store,
    user: String,
    /// The record as loaded: what the save is compared with (deferred.rs).
    before: Option<UserRecord>,
    stopped: Arc<RwLock<bool>>,
    _guard: OwnedMutexGuard<()>,
}

impl Commit for Locked {
    fn commit(self: Box<Self>, record: UserRecord) -> StoreFuture<'static, ()> {
        Box::pin(async move {
            let Locked {
                files,
                user,
                before,
                stopped,
                _guard,
            } = *self;
            let saved = tokio::task::spawn_blocking(move || {
                let stopped = stopped.read().map_or(true, |s| *s);
                let flush = if !stopped && deferred::may_defer(before.as_ref(), &record) {
                    Flush::Later
                } else {
                    Flush::Now
                };
                files.save(&user, &record, flush)
            })
            .await;
            saved.map_err(|e| StoreError::Unavailable(std::io::Error::other(e.to_string())))?
        })
    }
}

impl UserStore for FileStore {
    fn get<'a>(&'a self, user: &'a str) -> StoreFuture<'a, Option<UserRecord>> {
        let name = user.to_string();
        Box::pin(self.blocking(move |files| files.load(&name)))
    }

    fn begin<'a>(&'a self, user: &'a str) -> StoreFuture<'a, Transaction> {
        Box::pin(async move {
            let guard = self.locks.lock(user).await;
            let record = self.get(user).await?;
            let locked = Locked {
                files: self.files.clone(),
                user: user.to_string(),
                before: record.clone(),
                stopped: self.stopped.clone(),
                _guard: guard,
            };
            Ok(Transaction::new(record, Box::new(locked)))
        })
    }

    fn remove<'a>(&'a self, user: &'a str) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            let _guard = self.locks.lock(user).await;
            // Only admins remove records: a test panic here holds the user's lock.
            crate::panic_inject::point("admin");
            let name = user.to_string();
            self.blocking(move |files| files.remove(&name)).await
        })
    }

    fn users(&self) -> StoreFuture<'_, Vec<String>> {
        Box::pin(self.blocking(|files| files.users()))
    }

    fn marker<'a>(&'a self, name: &'a str, now: u64) -> StoreFuture<'a, u64> {
        let name = name.to_string();
        Box::pin(self.blocking(move |files| files.first_seen(&name, now)))
    }

    fn write_decoy(&self) -> StoreFuture<'_, ()> {
        Box::pin(self.blocking(|files| files.write_decoy()))
    }

    fn replay_fence(&self) -> Option<u64> {
        self.fence
    }

    fn stop_cleanly(&self) -> StoreFuture<'_, ()> {
        let stopped = self.stopped.clone();
        Box::pin(self.blocking(move |files| {
            // Waits for the saves in flight; every save after this one is synced.
            let mut stopped = stopped.write().unwrap_or_else(|p| p.into_inner());
            *stopped = true;
            restart_fence::end_run(files.root()).map_err(StoreError::Unavailable)?;
            power_loss::all_synced(files.root());
            Ok(())
        }))
    }
}

#[cfg(test)]
#[path = "user_store_tests.rs"]
mod tests;
