//! The admin's commands on the shared database, run by `mfad --migrate`, `--rotate-key` and
//! `--check-store` (root; `mfa doctor` runs the last): each connects with the daemon's own settings,
//! does its work, and says what it did. Running either again changes nothing.

use super::{PgStore, Settings};

/// Applies the pending migrations; the lines to print.
pub async fn migrate(settings: &Settings) -> Result<Vec<String>, String> {
    let store = PgStore::open(settings, None)?;
    let mut lines = store.migrate().await?;
    if lines.is_empty() {
        let v = super::schema::latest();
        lines.push(format!(
            "the database schema is current (version {v}): nothing to do"
        ));
    }
    store.pool.close();
    Ok(lines)
}

/// Re-seals every row with the current key; the line to print.
pub async fn rotate_key(settings: &Settings) -> Result<String, String> {
    let store = PgStore::open(settings, None)?;
    store.check_schema().await?;
    let (rows, resealed) = store.rotate_key().await?;
    store.pool.close();
    Ok(format!(
        "{rows} user row(s), {resealed} re-sealed with key \"{}\"",
        settings.keys.current_id()
    ))
}

/// Whether the database answers and its schema is this mfad's; the line to print.
pub async fn check(settings: &Settings) -> Result<String, String> {
    let store = PgStore::open(settings, None)?;
    let checked = store.check_schema().await;
    store.pool.close();
    checked?;
    Ok(format!(
        "the database answers; its schema is current (version {})",
        super::schema::latest()
    ))
}
