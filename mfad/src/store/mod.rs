//! The users' records behind one seam, [`UserStore`] (the send budgets have theirs,
//! `budgets::BudgetStore`). The engine, admin and enrollment speak only to the trait; `files/`
//! is today's backend (TOML files, an in-process lock per user). A database backend locks rows
//! instead, so every change goes through one transaction: [`UserStore::begin`] or its short
//! form [`update`](trait.UserStore.html#method.update).
//!
//! Adding a backend: a module beside `files/` implementing [`UserStore`] (`begin` = lock the
//! row and load; [`Commit`] = save and release; `StoreError::Retry` on a serialisation
//! failure), chosen in `main.rs`, passing `contract_tests.rs` (`user_store_contract!`).
//! Nothing in the engine changes.

#[doc(hidden)]
pub mod contract_tests;
pub mod copy;
mod error;
mod files;
pub mod pg;
mod record;
mod username;

pub mod account_name;
pub mod audit_recovery;
pub use error::StoreError;
pub use files::FileStore;
pub use record::{
    BackupCodes, FailureCounters, LastLogin, PhoneMethod, PinHash, PushMethod, RetiredTotp,
    TotpMethod, UserRecord,
};
pub use username::is_valid_username;

use std::future::Future;
use std::pin::Pin;

/// What a store call returns: a boxed future, so the stores can sit behind `dyn`.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;

pub trait UserStore: Send + Sync {
    /// The user's record as it is now, without locking it (for reading only).
    fn get<'a>(&'a self, user: &'a str) -> StoreFuture<'a, Option<UserRecord>>;
    /// Lock the user (file store: an in-process lock; a database: the row) and load the record.
    /// The lock is held until the transaction is committed or dropped.
    fn begin<'a>(&'a self, user: &'a str) -> StoreFuture<'a, Transaction>;
    /// Remove the user's whole record, under the user's lock; false when there was none.
    fn remove<'a>(&'a self, user: &'a str) -> StoreFuture<'a, bool>;
    /// Every user with a record, sorted.
    fn users(&self) -> StoreFuture<'_, Vec<String>>;
    /// When something was first seen (e.g. the grace period's start): the stored time, or `now`
    /// stored durably on first use.
    fn marker<'a>(&'a self, name: &'a str, now: u64) -> StoreFuture<'a, u64>;
    /// A write of the same cost as a wrong answer's save, for names that have no record.
    fn write_decoy(&self) -> StoreFuture<'_, ()>;
    /// The unix time from which this store may have lost login decisions (it defers their
    /// fsync and the machine went down under the last run): every TOTP step that could have been
    /// used before it is refused. None when nothing can have been lost (a database that
    /// commits each decision durably always says None).
    fn replay_fence(&self) -> Option<u64>;
    /// The daemon stops: make every write durable, and note that nothing was lost.
    fn stop_cleanly(&self) -> StoreFuture<'_, ()>;
}

/// How a backend makes one transaction's record durable (and then releases the user).
pub trait Commit: Send {
    fn commit(self: Box<Self>, record: UserRecord) -> StoreFuture<'static, ()>;
}

/// One user's record loaded under the user's lock. [`Transaction::commit`] saves it durably
/// and releases the lock; dropping the transaction releases it and changes nothing.
pub struct Transaction {
    pub record: Option<UserRecord>,
    backend: Box<dyn Commit>,
}

impl Transaction {
    pub fn new(record: Option<UserRecord>, backend: Box<dyn Commit>) -> Transaction {
        Transaction { record, backend }
    }

    /// Save `record`: returns once it is committed (for login state, a backend may defer the
    /// fsync and answer for it with [`UserStore::replay_fence`]).
    pub async fn commit(self, record: UserRecord) -> Result<(), StoreError> {
        self.backend.commit(record).await
    }
}

/// What [`update`](trait.UserStore.html#method.update) does when the user has no record yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    Create,
    /// Fail with [`StoreError::NoRecord`].
    Refuse,
}

impl dyn UserStore + '_ {
    /// Lock, load, `change`, save durably: one transaction. When `change` says no (its `Err`),
    /// nothing is saved and its answer is returned inside `Ok`.
    pub async fn update<T, E>(
        &self,
        user: &str,
        missing: Missing,
        change: impl FnOnce(&mut UserRecord) -> Result<T, E>,
    ) -> Result<Result<T, E>, StoreError> {
        let mut txn = self.begin(user).await?;
        let mut record = match txn.record.take() {
            Some(record) => record,
            None if missing == Missing::Create => UserRecord::new(),
            None => return Err(StoreError::NoRecord),
        };
        let answer = change(&mut record);
        if answer.is_ok() {
            txn.commit(record).await?;
        }
        Ok(answer)
    }
}
