//! The decisions behind the Auth interface, free of D-Bus: who may ask about whom, what to show,
//! whether a code is right, and the limits. One user's checks run one at a time under a per-user
//! lock, and success is returned only after the new last-used step is on disk.

pub mod accounts;
mod answer;
mod authorize;
mod durable;
mod ports;
mod reauth;
mod record_change;
pub mod stage;
mod steps;
mod unenrolled;

use crate::audit::{Audit, Decision, Level};
use crate::clock::{Clock, SystemClock};
use crate::config::{Config, Language, Unenrolled};
use crate::limits::{self, Gate};
use crate::lock::LockAnyway;
use crate::sessions::{Caller, Purpose, Session, Sessions};
use crate::store::{StoreError, UserRecord, UserStore};
use crate::texts::Text;
use mfa_proto::Step;
use reauth::Tickets;
use std::sync::{Arc, Mutex};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthError {
    /// The caller may not ask this (non-root caller naming another user, …).
    AccessDenied(String),
    /// Malformed or oversized arguments, unknown session.
    InvalidArgs(String),
    /// Too many sessions open at once.
    Busy,
}

pub struct Engine {
    /// Swapped whole by a reload (SIGHUP); a call works with the one it loaded first.
    config: std::sync::RwLock<Arc<Config>>,
    /// Every record change is one transaction of the store, which also locks the user.
    store: Arc<dyn UserStore>,
    sessions: Mutex<Sessions>,
    /// Failure counters of names with no second factor (they look like enrolled ones).
    unenrolled: unenrolled::VirtualCounters,
    audit: Arc<Audit>,
    tickets: Tickets,
    /// Each method's way out (`dyn SmsSender`, `dyn CallPlacer`, `dyn PushSender`, …).
    ports: ports::Ports,
    pub(crate) clock: Arc<dyn Clock>,
}

impl Engine {
    pub fn new(config: Arc<Config>, store: Arc<dyn UserStore>, audit: Arc<Audit>) -> Engine {
        let sessions = Sessions::new(config.daemon.max_sessions, config.daemon.session_timeout);
        Engine {
            config: std::sync::RwLock::new(config),
            store,
            sessions: Mutex::new(sessions),
            unenrolled: unenrolled::VirtualCounters::default(),
            audit,
            tickets: Tickets::default(),
            ports: ports::Ports::default(),
            clock: Arc::new(SystemClock),
        }
    }

    /// The same engine reading time from `clock` (tests hand in a [`crate::clock::FakeClock`]).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Engine {
        self.clock = clock;
        self
    }

    /// Where every decision of the engine reads the time.
    pub fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    /// Plug in a method's way out (`engine.plug::<dyn SmsSender>(sender)`); without it the
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

    /// `Start`: authorise the caller, look at the user, and open a session with the first step.
    pub async fn start(
        &self,
        caller: Caller,
        user: &str,
        service: &str,
        rhost: &str,
        tty: &str,
    ) -> Result<(String, Step), AuthError> {
        self.start_for(caller, user, service, rhost, tty, Purpose::Login)
            .await
    }

    /// Re-authentication of the caller's own account, before it changes its own methods. The
    /// same prompt, limits and counters as a login; success gives the caller a ticket instead.
    pub async fn start_reauth(
        &self,
        caller: Caller,
        user: &str,
    ) -> Result<(String, Step), AuthError> {
        self.start_for(caller, user, "mfa-enroll", "", "", Purpose::Reauth)
            .await
    }

    async fn start_for(
        &self,
        caller: Caller,
        user: &str,
        service: &str,
        rhost: &str,
        tty: &str,
        purpose: Purpose,
    ) -> Result<(String, Step), AuthError> {
        authorize::check_fields(&[user, service, rhost, tty])?;
        authorize::may_authenticate(&caller, user).await?;
        let id = Sessions::new_id().map_err(AuthError::InvalidArgs)?;
        crate::panic_inject::point("start");
        let record = match self.load(user).await {
            Ok(record) => record,
            Err(e) => {
                self.audit.log(
                    Level::Error,
                    &format!("cannot read the record of {user}: {e}"),
                );
                self.decide(&caller, user, service, rhost, "-", "unavailable");
                return Ok((
                    id,
                    Step::Unavailable {
                        text: Text::Unavailable
                            .text(self.config().daemon.language)
                            .to_string(),
                    },
                ));
            }
        };
        let lang = self.lang_of(record.as_ref());
        let enrolled = record.as_ref().is_some_and(UserRecord::is_enrolled);
        if !enrolled
            && purpose == Purpose::Login
            && self.config().unenrolled_for(service) == Unenrolled::Allow
        {
            self.decide(&caller, user, service, rhost, "-", "not-enrolled-allowed");
            return Ok((id, Step::NotEnrolled));
        }
        let locked = match record.as_ref().filter(|r| r.is_enrolled()) {
            Some(record) => {
                limits::gate(
                    &record.failures,
                    &self.config().limits,
                    self.clock.unix_now(),
                ) == Gate::Locked
            }
            None => self.unenrolled_locked(user),
        };
        if locked {
            self.decide(&caller, user, service, rhost, "-", "locked");
            return Ok((
                id,
                Step::Locked {
                    text: Text::Locked.text(lang).to_string(),
                },
            ));
        }
        let session = Session {
            caller,
            user: user.into(),
            service: service.into(),
            rhost: rhost.into(),
            tty: tty.into(),
            enrolled,
            purpose,
            lang,
            options: self.options_for(record.as_ref(), service),
            stage: stage::Stage::Menu,
            sent_at: Default::default(),
            expires: self.clock.now(),
        };
        let mut session = session;
        let first = self.first_step(&mut session, record.as_ref());
        let inserted = self
            .sessions
            .lock_anyway()
            .insert(id.clone(), session, self.clock.now());
        if let Err(why) = inserted {
            self.audit
                .log(Level::Warning, &format!("{why}: refusing a new session"));
            return Err(AuthError::Busy);
        }
        Ok((id, first))
    }

    /// `Poll`: a ringing call is checked again; any other stage shows its prompt again.
    pub async fn poll(&self, caller: &Caller, id: &str) -> Result<Step, AuthError> {
        let mut session = self.take_session(caller, id)?;
        crate::panic_inject::point("poll");
        let step = match session.stage.clone() {
            stage::Stage::In(id, state) => {
                let method = crate::methods::get(id);
                method.poll(self, &mut session, state).await
            }
            stage::Stage::Menu => self.prompt_for(&session, None),
        };
        self.keep_if_continuing(id, session, &step);
        Ok(step)
    }

    /// The caller's session, taken out while it is worked on, so a second answer or poll to
    /// the same session cannot race it; [`Engine::keep_if_continuing`] puts it back.
    fn take_session(&self, caller: &Caller, id: &str) -> Result<Session, AuthError> {
        authorize::check_session_id(id)?;
        self.sessions
            .lock_anyway()
            .take(id, caller, self.clock.now())
            .ok_or_else(|| AuthError::InvalidArgs("no such session".into()))
    }

    /// A prompt or a wait continues the session; anything else ends it.
    fn keep_if_continuing(&self, id: &str, session: Session, step: &Step) {
        let dropped = if matches!(step, Step::Prompt { .. } | Step::Wait { .. }) {
            let mut sessions = self.sessions.lock_anyway();
            crate::panic_inject::point("restore");
            // None when put back; a caller that left the bus meanwhile gets nothing back.
            sessions.restore(id.to_string(), session)
        } else {
            Some(session)
        };
        if let Some(session) = dropped {
            self.abandon(&session.stage);
        }
    }

    pub fn cancel(&self, caller: &Caller, id: &str) {
        let taken = self
            .sessions
            .lock_anyway()
            .take(id, caller, self.clock.now());
        if let Some(session) = taken {
            self.abandon(&session.stage);
        }
    }

    /// A bus name left: its sessions go with it.
    pub fn caller_left(&self, sender: &str) {
        self.tickets.forget(sender);
        let dropped = self.sessions.lock_anyway().drop_sender(sender);
        if dropped > 0 {
            self.audit.log(
                Level::Info,
                &format!("{sender} left the bus: dropped {dropped} open session(s)"),
            );
        }
    }

    pub fn expire_sessions(&self) {
        self.sessions.lock_anyway().expire(self.clock.now());
    }

    pub fn open_sessions(&self) -> usize {
        self.sessions.lock_anyway().len()
    }

    /// An admin unlocked or reset `user`: a name with no second factor starts afresh too.
    pub fn forget_unenrolled_failures(&self, user: &str) {
        self.unenrolled.forget(user);
    }
}

#[cfg(test)]
mod clock_tests;
