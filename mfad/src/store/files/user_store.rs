//! [`UserStore`] over the record files: the blocking file work runs on tokio's blocking pool,
//! and one async lock per user serialises its transactions (this daemon is the only writer).

use super::Store;
use super::locks::UserLocks;
use crate::store::{Commit, StoreError, StoreFuture, Transaction, UserRecord, UserStore};
use std::path::Path;
use std::sync::Arc;
use tokio::sync::OwnedMutexGuard;

pub struct FileStore {
    files: Store,
    locks: Arc<UserLocks>,
}

impl FileStore {
    /// Check the state directory, create `users/`, and clean up temp files left by a crash.
    pub fn open(state_dir: &Path) -> Result<FileStore, String> {
        Ok(FileStore {
            files: Store::open(state_dir)?,
            locks: Arc::default(),
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
    _guard: OwnedMutexGuard<()>,
}

impl Commit for Locked {
    fn commit(self: Box<Self>, record: UserRecord) -> StoreFuture<'static, ()> {
        Box::pin(async move {
            let Locked {
                files,
                user,
                _guard,
            } = *self;
            let saved = tokio::task::spawn_blocking(move || files.save(&user, &record)).await;
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
}

#[cfg(test)]
#[path = "user_store_tests.rs"]
mod tests;
