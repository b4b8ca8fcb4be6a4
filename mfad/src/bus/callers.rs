//! Bounds on Auth calls in flight, per caller: a non-root uid may have at most
//! `PER_UID` calls being worked on at once, and any one connection at most `PER_CONNECTION`.
//! Root's callers (the module in sshd/sudo) are never counted, so no flood of non-root calls
//! can hold a login. The sender→uid answer of the bus is cached for the connection's life.
//!
//! The module opens a new connection per login, so the cache alone never spares `Start` its
//! `GetConnectionUnixUser` round trip. [`prefetch`] asks the bus as soon as a unique name
//! appears (NameOwnerChanged), while the module is still checking who owns our name, and
//! `Start` then finds the answer (or waits for the question already asked). Still the bus's
//! answer, never the caller's claim: keyed by unique name, which a bus never gives out twice,
//! and dropped when the name leaves (`forget`). A prefetch that fails leaves nothing behind,
//! and the call asks again itself (fail closed: no answer, no call).

use super::caller::caller;
use crate::sessions::Caller;
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{OnceCell, Semaphore};
use zbus::message::Header;
use zbus::names::{BusName, UniqueName};
use zbus::{Connection, fdo};

const PER_UID: usize = 4;
const PER_CONNECTION: usize = 2;
/// A cache larger than this is emptied (names are re-asked): bounded memory.
const MAX_CACHED: usize = 10_000;
const LOG_EVERY: Duration = Duration::from_secs(60);
/// Prefetches asked at once; a name appearing beyond that is asked by its first call instead.
const PREFETCH_AT_ONCE: usize = 32;

/// The bus's answer for one unique name, asked once (by a prefetch or the first call).
type Uid = Arc<OnceCell<u32>>;
static PREFETCHES: LazyLock<Semaphore> = LazyLock::new(|| Semaphore::new(PREFETCH_AT_ONCE));

#[derive(Default)]
struct Counts {
    per_uid: HashMap<u32, usize>,
    per_connection: HashMap<String, usize>,
    uids: HashMap<String, Uid>,
    refused: u64,
    logged_at: Option<Instant>,
}

static COUNTS: LazyLock<Mutex<Counts>> = LazyLock::new(|| Mutex::new(Counts::default()));

/// A call being worked on; dropping it (reply sent, or the call abandoned) frees its place.
pub struct InFlight {
    counted: Option<(u32, String)>,
}

/// Identify the caller and admit the call, or refuse it with `LimitsExceeded` (an answer, so
/// the module fails closed).
pub async fn admit(conn: &Connection, header: &Header<'_>) -> fdo::Result<(Caller, InFlight)> {
    let who = identify(conn, header).await?;
    if who.uid == 0 {
        return Ok((who, InFlight { counted: None }));
    }
    let mut counts = COUNTS.lock().map_err(|_| busy())?;
    if !counts.enter(who.uid, &who.sender) {
        note_refusal(&mut counts, who.uid);
        return Err(busy());
    }
    let counted = Some((who.uid, who.sender.clone()));
    Ok((who, InFlight { counted }))
}

impl Counts {
    /// Count one more call of `uid` on `sender`, unless that would pass a bound.
    fn enter(&mut self, uid: u32, sender: &str) -> bool {
        let uid_calls = self.per_uid.get(&uid).copied().unwrap_or(0);
        let connection_calls = self.per_connection.get(sender).copied().unwrap_or(0);
        if uid_calls >= PER_UID || connection_calls >= PER_CONNECTION {
            return false;
        }
        *self.per_uid.entry(uid).or_default() += 1;
        *self.per_connection.entry(sender.to_string()).or_default() += 1;
        true
    }

    fn leave(&mut self, uid: u32, sender: String) {
        release(&mut self.per_uid, uid);
        release(&mut self.per_connection, sender);
    }
}

/// A connection left the bus: forget its cached uid.
pub fn forget(sender: &str) {
    if let Ok(mut counts) = COUNTS.lock() {
        counts.uids.remove(sender);
    }
}

/// A unique name appeared on the bus: ask for its uid now, before its first call needs it.
pub fn prefetch(conn: &Connection, name: &str) {
    let Ok(turn) = PREFETCHES.try_acquire() else {
        return;
    };
    let Ok(unique) = UniqueName::try_from(name.to_string()) else {
        return;
    };
    let Some(cell) = cell_of(name) else {
        return;
    };
    let conn = conn.clone();
    tokio::spawn(async move {
        let _turn = turn;
        let _ = cell.get_or_try_init(|| ask_bus(&conn, unique)).await;
    });
}

/// The (possibly still empty) answer of `sender`, created when missing.
fn cell_of(sender: &str) -> Option<Uid> {
    let mut counts = COUNTS.lock().ok()?;
    if !counts.uids.contains_key(sender) && counts.uids.len() >= MAX_CACHED {
        counts.uids.clear();
    }
    Some(counts.uids.entry(sender.to_string()).or_default().clone())
}

async fn ask_bus(conn: &Connection, sender: UniqueName<'static>) -> fdo::Result<u32> {
    let refused = || fdo::Error::AccessDenied("cannot identify the caller".into());
    let dbus = fdo::DBusProxy::new(conn).await.map_err(|_| refused())?;
    dbus.get_connection_unix_user(BusName::Unique(sender))
        .await
        .map_err(|_| refused())
}

async fn identify(conn: &Connection, header: &Header<'_>) -> fdo::Result<Caller> {
    let sender = header
        .sender()
        .ok_or_else(|| fdo::Error::AccessDenied("no sender".into()))?;
    let Some(cell) = cell_of(sender) else {
        return caller(conn, header).await;
    };
    let uid = *cell
        .get_or_try_init(|| ask_bus(conn, sender.to_owned()))
        .await?;
    Ok(Caller {
        sender: sender.to_string(),
        uid,
    })
}

fn busy() -> fdo::Error {
    fdo::Error::LimitsExceeded("too many calls in flight".into())
}

/// Refusals are logged at most once a minute, with a count.
fn note_refusal(counts: &mut Counts, uid: u32) {
    counts.refused += 1;
    let now = crate::clock::now();
    if counts
        .logged_at
        .is_none_or(|t| now.duration_since(t) >= LOG_EVERY)
    {
        eprintln!(
            "mfad: refused {} Auth call(s) over the in-flight bounds (last from uid {uid})",
            counts.refused
        );
        counts.refused = 0;
        counts.logged_at = Some(now);
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        let Some((uid, sender)) = self.counted.take() else {
            return;
        };
        let Ok(mut counts) = COUNTS.lock() else {
            return;
        };
        counts.leave(uid, sender);
    }
}

fn release<K: std::hash::Hash + Eq>(map: &mut HashMap<K, usize>, key: K) {
    if let Some(n) = map.get_mut(&key) {
        *n = n.saturating_sub(1);
        if *n == 0 {
            map.remove(&key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_connection_gets_two_calls_in_flight_and_one_uid_four() {
        let mut counts = Counts::default();
        assert!(counts.enter(1000, ":1.1") && counts.enter(1000, ":1.1"));
        assert!(
            !counts.enter(1000, ":1.1"),
            "a third call on one connection"
        );
        assert!(counts.enter(1000, ":1.2") && counts.enter(1000, ":1.2"));
        assert!(!counts.enter(1000, ":1.3"), "a fifth call of one uid");
        assert!(counts.enter(1001, ":1.4"), "another uid is not held by it");
    }

    #[test]
    fn a_finished_call_frees_its_place_and_leaves_nothing_behind() {
        let mut counts = Counts::default();
        assert!(counts.enter(1000, ":1.1") && counts.enter(1000, ":1.1"));
        counts.leave(1000, ":1.1".into());
        assert!(counts.enter(1000, ":1.1"));
        counts.leave(1000, ":1.1".into());
        counts.leave(1000, ":1.1".into());
        assert!(counts.per_uid.is_empty() && counts.per_connection.is_empty());
    }
}
