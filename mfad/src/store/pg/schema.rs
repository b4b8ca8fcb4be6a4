//! The database schema, as numbered migrations compiled into the binary. Only
//! `mfad --migrate` applies them (in one transaction, under an advisory lock so two hosts
//! migrating at once apply each step once); a starting daemon only checks the version and
//! refuses to run on a database that is behind (or ahead: written by a newer mfad).

use super::pool::{Conn, Pool};
use crate::store::StoreError;

/// Serialises `mfad --migrate` runs across hosts (any fixed number no other lock uses).
const MIGRATE_LOCK: i64 = 0x6d66_6164_0001;

/// (version, what it does, SQL). Never edit an applied one: add the next.
pub const MIGRATIONS: &[(i32, &str, &str)] = &[(
    1,
    "users, markers, sends, decoy",
    "CREATE TABLE users (
         name text PRIMARY KEY,
         -- The record without its secrets in the clear (they are sealed inside, see sealing.rs).
         record jsonb NOT NULL,
         -- The TOTP replay guard: only ever raised by one conditional UPDATE.
         totp_last_step bigint NOT NULL DEFAULT 0,
         updated_at timestamptz NOT NULL DEFAULT now()
     );
     CREATE TABLE markers (name text PRIMARY KEY, first_seen bigint NOT NULL);
     CREATE TABLE sends (bucket text NOT NULL, key text NOT NULL, at bigint NOT NULL);
     CREATE INDEX sends_by_key ON sends (bucket, key, at);
     CREATE TABLE decoy (id integer PRIMARY KEY, n bigint NOT NULL DEFAULT 0);
     INSERT INTO decoy (id) SELECT generate_series(0, 63);",
)];

/// The version this mfad needs.
pub fn latest() -> i32 {
    MIGRATIONS.last().map_or(0, |m| m.0)
}

/// The database's version (0: never migrated).
pub async fn version(conn: &mut Conn) -> Result<i32, StoreError> {
    let exists = conn
        .query("SELECT to_regclass('schema_version') IS NOT NULL", &[])
        .await?;
    if !exists.first().is_some_and(|r| r.get::<_, bool>(0)) {
        return Ok(0);
    }
    let rows = conn
        .query("SELECT coalesce(max(version), 0) FROM schema_version", &[])
        .await?;
    Ok(rows.first().map_or(0, |r| r.get(0)))
}

/// Refuses a database that is not at this mfad's version, saying what to do.
pub async fn check(pool: &Pool) -> Result<(), String> {
    let mut conn = pool.conn().await.map_err(|e| e.to_string())?;
    let have = version(&mut conn).await.map_err(|e| e.to_string())?;
    let want = latest();
    if have < want {
        return Err(format!(
            "the database schema is at version {have}, this mfad needs {want}: run \
             mfad --migrate --config FILE (once, from one host)"
        ));
    }
    if have > want {
        return Err(format!(
            "the database schema is at version {have}, newer than this mfad knows ({want}): \
             upgrade mfad on this host"
        ));
    }
    Ok(())
}

/// Applies the pending migrations in one transaction; returns a line per step applied
/// (none when the database is current: running it again changes nothing).
pub async fn migrate(pool: &Pool) -> Result<Vec<String>, StoreError> {
    let mut conn = pool.conn().await?;
    conn.begin().await?;
    conn.query("SELECT pg_advisory_xact_lock($1)", &[&MIGRATE_LOCK])
        .await?;
    conn.batch("CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())")
        .await?;
    let have = version(&mut conn).await?;
    let mut done = Vec::new();
    for (n, what, sql) in MIGRATIONS.iter().filter(|m| m.0 > have) {
        conn.batch(sql).await?;
        conn.query("INSERT INTO schema_version (version) VALUES ($1)", &[n])
            .await?;
        done.push(format!("applied migration {n}: {what}"));
    }
    conn.commit().await?;
    Ok(done)
}
