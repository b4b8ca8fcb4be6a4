//! The SMS/voice send budgets on PostgreSQL, so a fleet shares them (an attacker cannot spend
//! each host's budget in turn). A send is one transaction: every key it counts against is
//! locked (advisory locks, in a fixed order so two sends cannot deadlock), its recent sends
//! are counted with the same windows as the file budgets, and the new send is inserted for
//! each key, all or none, committed durably before the gateway is called (fail closed).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use super::pool::Pool;
use crate::budgets::{
    BudgetLimits, BudgetStore, Check, Refusal, SendKey, gateway_check, send_checks,
};
use crate::store::StoreError;

/// Sends older than this are seen by no window (a day) and are deleted as keys are counted.
const DAY: i64 = 86_400;

pub struct PgBudgets {
    pub(super) pool: Arc<Pool>,
    pub(super) limits: BudgetLimits,
}

impl PgBudgets {
    async fn count(&self, checks: &[Check<'_>], now: u64) -> Result<(), Refusal> {
        let work = self.count_in_db(checks, now);
        match tokio::time::timeout(self.pool.timeout, work).await {
            Ok(Ok(verdict)) => verdict,
            Ok(Err(e)) => Err(Refusal::Store(e.to_string())),
            Err(_) => Err(Refusal::Store("the database did not answer in time".into())),
        }
    }

    /// Ok(verdict) once the transaction ended; Err when the database failed.
    async fn count_in_db(
        &self,
        checks: &[Check<'_>],
        now: u64,
    ) -> Result<Result<(), Refusal>, StoreError> {
        let now = i64::try_from(now).map_err(|_| super::pool::unavailable("time out of range"))?;
        let mut conn = self.pool.conn().await?;
        conn.begin().await?;
        let mut order: Vec<String> = checks
            .iter()
            .map(|c| format!("{}:{}", c.0.name(), c.1))
            .collect();
        order.sort();
        for lock in &order {
            conn.query(
                "SELECT pg_advisory_xact_lock(hashtextextended('mfad-send:' || $1, 0))",
                &[lock],
            )
            .await?;
        }
        for (bucket, key, window, refusal) in checks {
            let bucket = bucket.name();
            conn.query(
                "DELETE FROM sends WHERE bucket = $1 AND key = $2 AND at <= $3",
                &[&bucket, key, &(now - DAY)],
            )
            .await?;
            let rows = conn
                .query(
                    "SELECT at FROM sends WHERE bucket = $1 AND key = $2",
                    &[&bucket, key],
                )
                .await?;
            let sends: Vec<u64> = rows
                .iter()
                .map(|r| u64::try_from(r.get::<_, i64>(0)).unwrap_or(0))
                .collect();
            if !window.allows(&sends, u64::try_from(now).unwrap_or(0)) {
                // Dropping the connection rolls back (nothing was inserted anyway).
                return Ok(Err(refusal.clone()));
            }
        }
        for (bucket, key, _, _) in checks {
            let bucket = bucket.name();
            conn.query(
                "INSERT INTO sends (bucket, key, at) VALUES ($1, $2, $3)",
                &[&bucket, key, &now],
            )
            .await?;
        }
        conn.commit().await?;
        Ok(Ok(()))
    }
}

impl BudgetStore for PgBudgets {
    fn reserve<'a>(
        &'a self,
        key: SendKey<'a>,
        now: u64,
    ) -> Pin<Box<dyn Future<Output = Result<(), Refusal>> + Send + 'a>> {
        Box::pin(async move { self.count(&send_checks(&self.limits, &key), now).await })
    }

    fn reserve_gateway<'a>(
        &'a self,
        gateway: &'a str,
        now: u64,
    ) -> Pin<Box<dyn Future<Output = Result<(), Refusal>> + Send + 'a>> {
        Box::pin(async move {
            self.count(&[gateway_check(&self.limits, gateway)], now)
                .await
        })
    }
}
