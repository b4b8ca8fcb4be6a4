//! [`UserStore`] on PostgreSQL: one row per account, shared by every daemon of the fleet.
//!
//! A transaction is a pooled connection inside `BEGIN`: the user is locked with a transaction
//! advisory lock on their name (it also serialises the first enrollment, when there is no row
//! to lock yet), then the row is read `FOR UPDATE`. Everything in the row (failure counters and
//! the lock, preferences, language, push counts, backup codes) is therefore decided under that
//! lock on the primary: a backup code is used once fleet-wide because two hosts cannot hold the
//! row at once, and a lock reached through one host refuses on all.
//!
//! The TOTP step is also guarded on its own: a commit that raises it does so with one
//! conditional `UPDATE … WHERE totp_last_step < $2 RETURNING`; no row back means another
//! decision already used that step, and the commit fails (the engine answers "unavailable",
//! never "granted"). `synchronous_commit` stays on: a step is durable before "yes".

use std::sync::Arc;

use super::pool::{Conn, Pool, unavailable};
use super::row::{self, from_row, to_json};
use super::sealing::Keys;
use crate::store::{
    Commit, StoreError, StoreFuture, Transaction, UserRecord, UserStore, account_name,
    is_valid_username,
};

pub struct PgStore {
    pub(super) pool: Arc<Pool>,
    pub(super) keys: Arc<Keys>,
}

const LOCK_USER: &str = "SELECT pg_advisory_xact_lock(hashtextextended('mfad-user:' || $1, 0))";
const SELECT_FOR_UPDATE: &str =
    "SELECT record::text, totp_last_step FROM users WHERE name = $1 FOR UPDATE";
const SELECT: &str = "SELECT record::text, totp_last_step FROM users WHERE name = $1";
/// The replay guard (see the module comment): the only statement that raises the step.
const RAISE_STEP: &str = "UPDATE users SET totp_last_step = $2 \
                          WHERE name = $1 AND totp_last_step < $2 RETURNING totp_last_step";

/// The record key of the account `user` names: the same rule as the file store
/// (`account_name.rs`), so every host finds one row per account.
async fn record_name(user: &str) -> Result<String, StoreError> {
    if !is_valid_username(user) {
        return Err(StoreError::InvalidName);
    }
    let typed = user.to_owned();
    let name = tokio::task::spawn_blocking(move || account_name::canonical(&typed))
        .await
        .map_err(|e| unavailable(&e.to_string()))?;
    if is_valid_username(&name) {
        Ok(name)
    } else {
        Err(StoreError::InvalidName)
    }
}

/// The whole call within the timeout (a connection dropped half-way is rolled back).
async fn bounded<T>(
    pool: &Pool,
    work: impl std::future::Future<Output = Result<T, StoreError>>,
) -> Result<T, StoreError> {
    match tokio::time::timeout(pool.timeout, work).await {
        Ok(result) => result,
        Err(_) => Err(unavailable(&format!(
            "the database did not answer within {} s",
            pool.timeout.as_secs()
        ))),
    }
}

impl PgStore {
    async fn load(
        &self,
        conn: &mut Conn,
        name: &str,
        sql: &str,
    ) -> Result<Option<(UserRecord, i64)>, StoreError> {
        let rows = conn.query(sql, &[&name]).await?;
        let Some(row) = rows.first() else {
            return Ok(None);
        };
        let text: String = row.get(0);
        let step: i64 = row.get(1);
        let json = serde_json::from_str(&text).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        Ok(Some((from_row(&self.keys, name, json, step)?, step)))
    }

    async fn begin_locked(&self, user: &str) -> Result<Transaction, StoreError> {
        let name = record_name(user).await?;
        let mut conn = self.pool.conn().await?;
        conn.begin().await?;
        conn.query(LOCK_USER, &[&name]).await?;
        let loaded = self.load(&mut conn, &name, SELECT_FOR_UPDATE).await?;
        let (record, before) = match loaded {
            Some((record, step)) => {
                let secret = record.totp.as_ref().map(|t| t.secret.clone());
                (Some(record), Some(Before { step, secret }))
            }
            None => (None, None),
        };
        let locked = Locked {
            conn,
            name,
            keys: self.keys.clone(),
            before,
            timeout: self.pool.timeout,
        };
        Ok(Transaction::new(record, Box::new(locked)))
    }
}

/// The row as `begin` found it.
struct Before {
    step: i64,
    secret: Option<String>,
}

/// The connection inside the user's transaction, until commit (or drop: rolled back).
struct Locked {
    conn: Conn,
    name: String,
    keys: Arc<Keys>,
    before: Option<Before>,
    timeout: std::time::Duration,
}

impl Locked {
    async fn save(mut self, record: UserRecord) -> Result<(), StoreError> {
        let step = record
            .totp
            .as_ref()
            .map_or(0, |t| i64::try_from(t.last_step).unwrap_or(i64::MAX));
        let json = to_json(&self.keys, &self.name, &record)?.to_string();
        let name = self.name.as_str();
        match &self.before {
            Some(before) => {
                let secret = record.totp.as_ref().map(|t| &t.secret);
                let same_secret = secret.is_some() && secret == before.secret.as_ref();
                if same_secret && step > before.step {
                    let raised = self.conn.query(RAISE_STEP, &[&name, &step]).await?;
                    if raised.is_empty() {
                        return Err(unavailable(&format!(
                            "TOTP step {step} of {name} was already used (replay refused)"
                        )));
                    }
                }
                // A new or removed secret starts its own step; the same secret keeps the
                // column, which only RAISE_STEP moves.
                if same_secret {
                    let sql = "UPDATE users SET record = CAST($2::text AS jsonb), \
                               updated_at = now() WHERE name = $1";
                    self.conn.query(sql, &[&name, &json]).await?;
                } else {
                    let sql = "UPDATE users SET record = CAST($2::text AS jsonb), \
                               totp_last_step = $3, updated_at = now() WHERE name = $1";
                    self.conn.query(sql, &[&name, &json, &step]).await?;
                }
            }
            None => {
                let sql = "INSERT INTO users (name, record, totp_last_step) \
                           VALUES ($1, CAST($2::text AS jsonb), $3)";
                self.conn.query(sql, &[&name, &json, &step]).await?;
            }
        }
        self.conn.commit().await
    }
}

impl Commit for Locked {
    fn commit(self: Box<Self>, record: UserRecord) -> StoreFuture<'static, ()> {
        Box::pin(async move {
            let timeout = self.timeout;
            match tokio::time::timeout(timeout, self.save(record)).await {
                Ok(result) => result,
                Err(_) => Err(unavailable(&format!(
                    "the database did not commit within {} s",
                    timeout.as_secs()
                ))),
            }
        })
    }
}

impl UserStore for PgStore {
    fn get<'a>(&'a self, user: &'a str) -> StoreFuture<'a, Option<UserRecord>> {
        Box::pin(bounded(&self.pool, async move {
            let name = record_name(user).await?;
            let mut conn = self.pool.conn().await?;
            Ok(self.load(&mut conn, &name, SELECT).await?.map(|(r, _)| r))
        }))
    }

    fn begin<'a>(&'a self, user: &'a str) -> StoreFuture<'a, Transaction> {
        Box::pin(bounded(&self.pool, self.begin_locked(user)))
    }

    fn remove<'a>(&'a self, user: &'a str) -> StoreFuture<'a, bool> {
        Box::pin(bounded(&self.pool, async move {
            let name = record_name(user).await?;
            let mut conn = self.pool.conn().await?;
            conn.begin().await?;
            conn.query(LOCK_USER, &[&name]).await?;
            let gone = conn
                .query("DELETE FROM users WHERE name = $1 RETURNING name", &[&name])
                .await?;
            conn.commit().await?;
            Ok(!gone.is_empty())
        }))
    }

    fn users(&self) -> StoreFuture<'_, Vec<String>> {
        Box::pin(bounded(&self.pool, async move {
            let mut conn = self.pool.conn().await?;
            let rows = conn
                .query("SELECT name FROM users ORDER BY name", &[])
                .await?;
            Ok(rows.iter().map(|r| r.get(0)).collect())
        }))
    }

    fn marker<'a>(&'a self, name: &'a str, now: u64) -> StoreFuture<'a, u64> {
        Box::pin(bounded(&self.pool, async move {
            let mut conn = self.pool.conn().await?;
            let now = i64::try_from(now).map_err(|_| unavailable("time out of range"))?;
            let inserted = conn
                .query(
                    "INSERT INTO markers (name, first_seen) VALUES ($1, $2) \
                     ON CONFLICT (name) DO NOTHING RETURNING first_seen",
                    &[&name, &now],
                )
                .await?;
            let rows = if inserted.is_empty() {
                conn.query("SELECT first_seen FROM markers WHERE name = $1", &[&name])
                    .await?
            } else {
                inserted
            };
            let first: i64 = rows
                .first()
                .map(|r| r.get(0))
                .ok_or_else(|| unavailable("marker vanished"))?;
            Ok(u64::try_from(first).unwrap_or(0))
        }))
    }

    fn write_decoy(&self) -> StoreFuture<'_, ()> {
        Box::pin(bounded(&self.pool, async move {
            // A durable one-row write, as a wrong answer's commit is; spread over 64 rows so
            // decoys from many hosts do not queue on one.
            let mut byte = [0u8; 1];
            getrandom::fill(&mut byte).map_err(|e| unavailable(&e.to_string()))?;
            let id = i32::from(byte[0] % 64);
            let mut conn = self.pool.conn().await?;
            conn.query("UPDATE decoy SET n = n + 1 WHERE id = $1", &[&id])
                .await?;
            Ok(())
        }))
    }

    fn replay_fence(&self) -> Option<u64> {
        // Every decision is committed durably (synchronous_commit on) before it is answered.
        None
    }

    fn stop_cleanly(&self) -> StoreFuture<'_, ()> {
        Box::pin(async move {
            self.pool.close();
            Ok(())
        })
    }
}

/// Re-seals every row whose secrets were sealed with an older key; returns (rows looked at,
/// rows re-sealed). Each row in its own transaction under the user's lock, so logins go on.
pub async fn rotate(store: &PgStore) -> Result<(usize, usize), StoreError> {
    let names = store.users().await?;
    let mut resealed = 0;
    for name in &names {
        let mut conn = store.pool.conn().await?;
        conn.begin().await?;
        conn.query(LOCK_USER, &[name]).await?;
        let rows = conn.query(SELECT_FOR_UPDATE, &[name]).await?;
        let Some(row) = rows.first() else { continue };
        let text: String = row.get(0);
        let step: i64 = row.get(1);
        let json: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        if !row::has_stale_seal(&store.keys, &json) {
            conn.commit().await?;
            continue;
        }
        let record = from_row(&store.keys, name, json, step)?;
        let fresh = to_json(&store.keys, name, &record)?.to_string();
        conn.query(
            "UPDATE users SET record = CAST($2::text AS jsonb) WHERE name = $1",
            &[name, &fresh],
        )
        .await?;
        conn.commit().await?;
        resealed += 1;
    }
    Ok((names.len(), resealed))
}
