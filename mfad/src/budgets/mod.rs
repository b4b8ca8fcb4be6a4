//! SMS/voice send budgets (toll-fraud control, `reference/gateways.md` §4.2): sliding windows
//! per user, per number, per number prefix, per country and per gateway, checked before any
//! gateway is called. They survive restarts, or an attacker could reset them by crashing the
//! daemon.
//!
//! Every counted send is on disk before `reserve` returns. If it cannot be written the send is
//! refused (`Refusal::Store`) and not counted: fail closed.

mod checks;
mod store;
#[cfg(test)]
mod tests;
mod window;

pub use checks::{Bucket, Check, gateway_check, send_checks};
pub use window::Window;

use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};

use store::State;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BudgetLimits {
    /// Every send to the user, whoever started it.
    pub user: Window,
    /// Per E.164 number.
    pub number: Window,
    /// Per number without its last four digits (`phone::prefix`).
    pub prefix: Window,
    /// Per region (ISO 3166 alpha-2, `Phone::region`).
    pub country: Window,
    /// Per gateway name, checked before each attempt.
    pub gateway: Window,
    /// Sends started with `SendKey::nonroot`, per user, on top of `user`.
    pub nonroot_user: Window,
}

/// What one send is counted against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SendKey<'a> {
    pub user: &'a str,
    /// Canonical E.164.
    pub number: &'a str,
    pub prefix: &'a str,
    /// Region, as in `Phone::region`.
    pub country: &'a str,
    /// Started by a non-root caller: the tighter `nonroot_user` window applies as well.
    pub nonroot: bool,
}

/// Which budget said no. The user sees a neutral text; the log names this.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The user's budget, or (for a non-root caller) the tighter non-root one.
    User,
    Number,
    Prefix,
    Country,
    Gateway,
    /// The send could not be recorded on disk, so it is not made (the text says why).
    Store(String),
}

impl Refusal {
    /// Short name for logs.
    pub fn as_str(&self) -> &'static str {
        match self {
            Refusal::User => "user",
            Refusal::Number => "number",
            Refusal::Prefix => "prefix",
            Refusal::Country => "country",
            Refusal::Gateway => "gateway",
            Refusal::Store(_) => "store",
        }
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Store(e) => write!(f, "send budget could not be recorded: {e}"),
            other => write!(f, "per-{} send budget exhausted", other.as_str()),
        }
    }
}

impl std::error::Error for Refusal {}

/// The SMS/voice send budgets: every counted send is durable before `Ok` (fail closed).
/// (A database backend counts in a `sends` table, in the same transaction as the insert.)
pub trait BudgetStore: Send + Sync {
    /// Count one send against every budget of its destination, all or none.
    fn reserve<'a>(
        &'a self,
        key: SendKey<'a>,
        now: u64,
    ) -> Pin<Box<dyn Future<Output = Result<(), Refusal>> + Send + 'a>>;
    /// Count one attempt on `gateway`.
    fn reserve_gateway<'a>(
        &'a self,
        gateway: &'a str,
        now: u64,
    ) -> Pin<Box<dyn Future<Output = Result<(), Refusal>> + Send + 'a>>;
}

/// Cloning shares the counts (one state behind a lock).
#[derive(Clone)]
pub struct Budgets {
    dir: PathBuf,
    limits: BudgetLimits,
    state: Arc<Mutex<State>>,
}

impl Budgets {
    /// Load `<state_dir>/budgets.toml` (none yet: every budget is full). A file that cannot be
    /// read or parsed is an error: budgets are never silently reset.
    pub fn open(state_dir: &Path, limits: BudgetLimits) -> Result<Budgets, String> {
        crate::private_files::check_private_dir(state_dir)?;
        let state = State::load(state_dir)?;
        Ok(Budgets {
            dir: state_dir.to_path_buf(),
            limits,
            state: Arc::new(Mutex::new(state)),
        })
    }

    /// Count one send against the user (and, for a non-root caller, the non-root user budget),
    /// the number, its prefix and its country: all of them or none. Persisted before returning.
    /// The first budget that is exhausted is named, in that order.
    pub fn reserve(&self, key: &SendKey, now_unix: u64) -> Result<(), Refusal> {
        self.count(&send_checks(&self.limits, key), now_unix)
    }

    /// Count one attempt on `gateway` (independent of the other budgets).
    pub fn reserve_gateway(&self, gateway: &str, now_unix: u64) -> Result<(), Refusal> {
        self.count(&[gateway_check(&self.limits, gateway)], now_unix)
    }

    fn count(&self, checks: &[Check<'_>], now: u64) -> Result<(), Refusal> {
        // A panic elsewhere while holding the lock leaves timestamps, never a torn structure.
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        self.prune(&mut state, now);
        for (bucket, key, window, refusal) in checks {
            let sends = state.bucket(*bucket).get(*key).map(Vec::as_slice);
            if !window.allows(sends.unwrap_or_default(), now) {
                return Err(refusal.clone());
            }
        }
        for (bucket, key, _, _) in checks {
            let sends = state.bucket(*bucket).entry((*key).to_string()).or_default();
            sends.push(now);
        }
        if let Err(e) = state.save(&self.dir) {
            // Not on disk, so not made: take the sends back out (each was pushed last).
            for (bucket, key, _, _) in checks {
                let map = state.bucket(*bucket);
                if let Some(sends) = map.get_mut(*key) {
                    sends.pop();
                    if sends.is_empty() {
                        map.remove(*key);
                    }
                }
            }
            return Err(Refusal::Store(e));
        }
        Ok(())
    }

    fn prune(&self, state: &mut State, now: u64) {
        for bucket in Bucket::ALL {
            let window = self.window(bucket);
            let map = state.bucket(bucket);
            map.retain(|_, sends| {
                window.prune(sends, now);
                !sends.is_empty()
            });
        }
    }

    fn window(&self, bucket: Bucket) -> Window {
        let l = &self.limits;
        match bucket {
            Bucket::User => l.user,
            Bucket::NonrootUser => l.nonroot_user,
            Bucket::Number => l.number,
            Bucket::Prefix => l.prefix,
            Bucket::Country => l.country,
            Bucket::Gateway => l.gateway,
        }
    }
}

/// The file budgets behind the store seam: the counting runs on the blocking pool.
impl BudgetStore for Budgets {
    fn reserve<'a>(
        &'a self,
        key: SendKey<'a>,
        now: u64,
    ) -> Pin<Box<dyn Future<Output = Result<(), Refusal>> + Send + 'a>> {
        let budgets = self.clone();
        let key = OwnedKey::from(&key);
        Box::pin(async move {
            let counted = tokio::task::spawn_blocking(move || budgets.reserve(&key.as_key(), now));
            counted
                .await
                .unwrap_or_else(|e| Err(Refusal::Store(e.to_string())))
        })
    }

    fn reserve_gateway<'a>(
        &'a self,
        gateway: &'a str,
        now: u64,
    ) -> Pin<Box<dyn Future<Output = Result<(), Refusal>> + Send + 'a>> {
        let (budgets, name) = (self.clone(), gateway.to_string());
        Box::pin(async move {
            let counted = tokio::task::spawn_blocking(move || budgets.reserve_gateway(&name, now));
            counted
                .await
                .unwrap_or_else(|e| Err(Refusal::Store(e.to_string())))
        })
    }
}

/// A [`SendKey`] that can cross to the blocking pool.
struct OwnedKey {
    user: String,
    number: String,
    prefix: String,
    country: String,
    nonroot: bool,
}

impl OwnedKey {
    fn from(key: &SendKey<'_>) -> OwnedKey {
        OwnedKey {
            user: key.user.to_string(),
            number: key.number.to_string(),
            prefix: key.prefix.to_string(),
            country: key.country.to_string(),
            nonroot: key.nonroot,
        }
    }

    fn as_key(&self) -> SendKey<'_> {
        SendKey {
            user: &self.user,
            number: &self.number,
            prefix: &self.prefix,
            country: &self.country,
            nonroot: self.nonroot,
        }
    }
}
