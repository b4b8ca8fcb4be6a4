//! The daemon's connections to the database: a deadpool of at most `pool_size`, every wait
//! bounded by `timeout`, behind the circuit breaker. A connection handed out by [`Pool::conn`]
//! that is dropped while a transaction may be open is rolled back (or, if that does not answer
//! in time, closed) before it can serve anyone else: a connection never returns to the pool
//! holding a user's lock.

use std::sync::Arc;
use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Object, RecyclingMethod, Runtime};
use tokio_postgres::types::ToSql;
use tokio_postgres::{NoTls, Row};

use super::breaker::Breaker;
use super::settings::Settings;
use crate::audit::{Audit, Level};
use crate::store::StoreError;

pub struct Pool {
    pool: deadpool_postgres::Pool,
    breaker: Breaker,
    pub timeout: Duration,
    audit: Option<Arc<Audit>>,
}

impl Pool {
    pub fn new(settings: &Settings, audit: Option<Arc<Audit>>) -> Result<Pool, String> {
        let manager_config = ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        };
        let manager = match &settings.tls {
            Some(tls) => Manager::from_config(
                settings.pg.clone(),
                tokio_postgres_rustls::MakeRustlsConnect::new((**tls).clone()),
                manager_config,
            ),
            None => Manager::from_config(settings.pg.clone(), NoTls, manager_config),
        };
        let t = Some(settings.timeout);
        let pool = deadpool_postgres::Pool::builder(manager)
            .max_size(settings.pool_size)
            .runtime(Runtime::Tokio1)
            .wait_timeout(t)
            .create_timeout(t)
            .recycle_timeout(t)
            .build()
            .map_err(|e| format!("database pool: {e}"))?;
        Ok(Pool {
            pool,
            breaker: Breaker::default(),
            timeout: settings.timeout,
            audit,
        })
    }

    /// A connection, or `Unavailable` at once while the breaker is open, else within the
    /// timeout.
    pub async fn conn(&self) -> Result<Conn, StoreError> {
        let now = crate::clock::now();
        if !self.breaker.allows(now) {
            return Err(unavailable(
                "the database is unreachable (recent connections failed; retrying in a few \
                 seconds)",
            ));
        }
        match self.pool.get().await {
            Ok(object) => {
                self.breaker.succeeded();
                Ok(Conn {
                    object: Some(object),
                    in_txn: false,
                    timeout: self.timeout,
                })
            }
            Err(deadpool_postgres::PoolError::Timeout(deadpool_postgres::TimeoutType::Wait)) => {
                // Every pooled connection is busy: the database answers, this daemon is just
                // at `pool_size`. Not a sign of an outage, so the breaker does not count it
                // (else a burst of logins would shut every login out for a while).
                Err(unavailable(&format!(
                    "all {} database connections stayed busy for {} s",
                    self.pool.status().max_size,
                    self.timeout.as_secs()
                )))
            }
            Err(e) => {
                let message = format!("the database is unreachable: {e}");
                if self.breaker.failed(crate::clock::now())
                    && let Some(audit) = &self.audit
                {
                    let line = format!("{message} (logins fail closed until it is back)");
                    audit.log(Level::Error, &line);
                }
                Err(unavailable(&message))
            }
        }
    }

    pub fn close(&self) {
        self.pool.close();
    }

    /// Connections open now (for the report, tests).
    pub fn size(&self) -> usize {
        self.pool.status().size
    }
}

pub fn unavailable(message: &str) -> StoreError {
    StoreError::Unavailable(std::io::Error::other(message.to_owned()))
}

/// The store's error for a failed statement: a serialisation failure or deadlock is `Retry`,
/// anything else `Unavailable` (fail closed).
pub fn db_error(e: tokio_postgres::Error) -> StoreError {
    use tokio_postgres::error::SqlState;
    match e.code() {
        Some(c)
            if *c == SqlState::T_R_SERIALIZATION_FAILURE
                || *c == SqlState::T_R_DEADLOCK_DETECTED =>
        {
            StoreError::Retry
        }
        _ => unavailable(&format!("database: {e}")),
    }
}

/// One pooled connection. `in_txn` is set between `BEGIN` and its end.
pub struct Conn {
    object: Option<Object>,
    in_txn: bool,
    timeout: Duration,
}

impl Conn {
    pub fn client(&self) -> Result<&Object, StoreError> {
        self.object
            .as_ref()
            .ok_or_else(|| unavailable("database connection already closed"))
    }

    /// Rows of one statement (prepared once per connection), within the timeout. A statement
    /// that runs out of time leaves the connection in an unknown state: it is closed, not reused.
    pub async fn query(
        &mut self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<Row>, StoreError> {
        let timeout = self.timeout;
        let result = {
            let client = self.client()?;
            tokio::time::timeout(timeout, async {
                let statement = client.prepare_cached(sql).await?;
                client.query(&statement, params).await
            })
            .await
        };
        self.finish(result)
    }

    /// Statements without parameters or rows (BEGIN, COMMIT, DDL), within the timeout.
    pub async fn batch(&mut self, sql: &str) -> Result<(), StoreError> {
        let timeout = self.timeout;
        let result = {
            let client = self.client()?;
            tokio::time::timeout(timeout, client.batch_execute(sql)).await
        };
        self.finish(result)
    }

    fn finish<T>(
        &mut self,
        result: Result<Result<T, tokio_postgres::Error>, tokio::time::error::Elapsed>,
    ) -> Result<T, StoreError> {
        match result {
            Ok(result) => result.map_err(db_error),
            Err(_) => {
                self.discard();
                Err(unavailable(&format!(
                    "the database did not answer within {} s",
                    self.timeout.as_secs()
                )))
            }
        }
    }

    pub async fn begin(&mut self) -> Result<(), StoreError> {
        self.in_txn = true;
        self.batch("BEGIN").await
    }

    pub async fn commit(&mut self) -> Result<(), StoreError> {
        self.batch("COMMIT").await?;
        self.in_txn = false;
        Ok(())
    }

    fn discard(&mut self) {
        if let Some(object) = self.object.take() {
            // Taken out of the pool and dropped: the socket closes, the server rolls back.
            drop(Object::take(object));
        }
    }
}

impl Drop for Conn {
    fn drop(&mut self) {
        if !self.in_txn {
            return;
        }
        let Some(object) = self.object.take() else {
            return;
        };
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            drop(Object::take(object));
            return;
        };
        let timeout = self.timeout;
        runtime.spawn(async move {
            let rolled_back = tokio::time::timeout(timeout, object.batch_execute("ROLLBACK")).await;
            if !matches!(rolled_back, Ok(Ok(()))) {
                drop(Object::take(object));
            }
        });
    }
}
