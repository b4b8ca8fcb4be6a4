//! The PostgreSQL backend (`[store] kind = "postgres"`): every host's mfad shares one database,
//! so a user enrolls once and logs in everywhere, and every decision that must hold fleet-wide
//! (a TOTP step, a backup code, failures and the lock, send budgets) is made under a row lock
//! on the primary. One job per file: `settings` (URL, TLS rule, keys), `pool` (connections,
//! timeouts), `breaker` (failing fast while the database is down), `schema` (migrations),
//! `row` and `sealing` (secrets sealed per row), `user_store`, `budgets`.
//!
//! When the database cannot be reached the daemon still runs and answers every login with
//! "unavailable" (fail closed), within `[store] timeout`. That is not "daemon unreachable":
//! the module's `failmode=open` does not apply.

mod breaker;
mod budgets;
pub mod commands;
mod pool;
pub mod row;
pub mod schema;
pub mod sealing;
pub mod settings;
mod user_store;

pub use budgets::PgBudgets;
pub use settings::Settings;
pub use user_store::PgStore;

use std::sync::Arc;

use crate::audit::Audit;
use crate::budgets::BudgetLimits;
use pool::Pool;

impl PgStore {
    /// The store over a new pool (no connection is made yet). `audit` gets the throttled
    /// "database unreachable" line.
    pub fn open(settings: &Settings, audit: Option<Arc<Audit>>) -> Result<PgStore, String> {
        Ok(PgStore {
            pool: Arc::new(Pool::new(settings, audit)?),
            keys: settings.keys.clone(),
        })
    }

    /// Refuses a database whose schema is not this mfad's (see `schema.rs`).
    pub async fn check_schema(&self) -> Result<(), String> {
        schema::check(&self.pool).await
    }

    /// `mfad --migrate`: the lines of what was applied.
    pub async fn migrate(&self) -> Result<Vec<String>, String> {
        schema::migrate(&self.pool).await.map_err(|e| e.to_string())
    }

    /// `mfad --rotate-key`: (rows, rows re-sealed with the current key).
    pub async fn rotate_key(&self) -> Result<(usize, usize), String> {
        user_store::rotate(self).await.map_err(|e| e.to_string())
    }

    /// The send budgets in the same database, over the same pool.
    pub fn budgets(&self, limits: BudgetLimits) -> PgBudgets {
        PgBudgets {
            pool: self.pool.clone(),
            limits,
        }
    }

    /// Connections this daemon holds now.
    pub fn connections(&self) -> usize {
        self.pool.size()
    }
}
