//! What a method needs from the daemon, below the methods: the configuration in force, the
//! store, the audit log, each method's way out (its port), the clock, and the decisions every
//! login ends in (open the record under the limits, succeed, fail, wrong code, unavailable).
//! The engine (`auth::Engine`) holds one and hands it to the methods, so that a method names no
//! engine and the engine asks the methods through the registry alone.

mod decision;
mod durable;
mod enrollment;
mod ports;
mod reauth;
mod record_change;
mod unenrolled;

pub use enrollment::{EnrollError, change_line};

use crate::audit::{Audit, Decision};
use crate::clock::{Clock, SystemClock};
use crate::config::{Config, Language};
use crate::sessions::Caller;
use crate::store::{StoreError, UserRecord, UserStore};
use reauth::Tickets;
use std::sync::Arc;

pub struct LoginContext {
    /// Swapped whole by a reload (SIGHUP); a call works with the one it loaded first.
    config: std::sync::RwLock<Arc<Config>>,
    /// Every record change is one transaction of the store, which also locks the user.
    store: Arc<dyn UserStore>,
    /// Failure counters of names with no second factor (they look like enrolled ones).
    unenrolled: unenrolled::VirtualCounters,
    audit: Arc<Audit>,
    /// Re-authenticated connections (a login of purpose `Reauth` that succeeded).
    tickets: Tickets,
    /// Each method's way out (`dyn SmsSender`, `dyn CallPlacer`, `dyn PushSender`, …).
    ports: ports::Ports,
    pub(crate) clock: Arc<dyn Clock>,
}

impl LoginContext {
    pub fn new(config: Arc<Config>, store: Arc<dyn UserStore>, audit: Arc<Audit>) -> LoginContext {
        LoginContext {
            config: std::sync::RwLock::new(config),
            store,
            unenrolled: unenrolled::VirtualCounters::default(),
            audit,
            tickets: Tickets::default(),
            ports: ports::Ports::default(),
            clock: Arc::new(SystemClock),
        }
    }

    /// The same context reading time from `clock` (tests hand in a [`crate::clock::FakeClock`]).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> LoginContext {
        self.clock = clock;
        self
    }

    /// Where every decision reads the time.
    pub fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    /// Plug in a method's way out (`cx.plug::<dyn SmsSender>(sender)`); without it the
    /// method is offered to nobody.
    pub fn plug<T: ?Sized + Send + Sync + 'static>(&self, port: Arc<T>) {
        self.ports.plug(port);
    }

    /// A method's way out, when it is plugged in.
    pub fn port<T: ?Sized + Send + Sync + 'static>(&self) -> Option<Arc<T>> {
        self.ports.get::<T>()
    }

    pub fn store(&self) -> &dyn UserStore {
        self.store.as_ref()
    }

    /// The configuration in force now (a reload swaps it; sessions keep going).
    pub fn config(&self) -> Arc<Config> {
        match self.config.read() {
            Ok(c) => c.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Put a new, already validated configuration in force.
    pub fn replace_config(&self, config: Arc<Config>) {
        match self.config.write() {
            Ok(mut c) => *c = config,
            Err(poisoned) => *poisoned.into_inner() = config,
        }
    }

    pub fn audit(&self) -> &Audit {
        &self.audit
    }

    /// The user's own language when they chose one (`mfa language`), else the config's.
    pub fn lang_of(&self, record: Option<&UserRecord>) -> Language {
        record
            .and_then(|r| r.language.as_deref())
            .and_then(|l| l.parse().ok())
            .unwrap_or(self.config().daemon.language)
    }

    /// True while `caller` holds a re-authentication ticket.
    pub fn reauthenticated(&self, caller: &Caller) -> bool {
        self.tickets
            .valid(&caller.sender, caller.uid, self.clock.now())
    }

    /// A bus name left: its re-authentication goes with it.
    pub fn forget_ticket(&self, sender: &str) {
        self.tickets.forget(sender);
    }

    pub(crate) fn decide(
        &self,
        caller: &Caller,
        user: &str,
        service: &str,
        rhost: &str,
        method: &str,
        outcome: &str,
    ) {
        let decision = Decision {
            user,
            service,
            rhost,
            caller_uid: caller.uid,
            method,
            outcome,
        };
        self.audit.decision(&decision);
        crate::metrics::decision(method, outcome);
    }

    /// The record as it is now (no lock); an unreadable record is an error, never "unenrolled".
    pub(crate) async fn load(&self, user: &str) -> Result<Option<UserRecord>, String> {
        if !crate::store::is_valid_username(user) {
            return Ok(None);
        }
        self.store
            .get(user)
            .await
            .map_err(|e: StoreError| e.to_string())
    }

    /// An admin unlocked or reset `user`: a name with no second factor starts afresh too.
    pub fn forget_unenrolled_failures(&self, user: &str) {
        self.unenrolled.forget(user);
    }
}
