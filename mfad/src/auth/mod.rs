//! The login conversation behind the Auth interface, free of D-Bus: who may ask about whom, the
//! open sessions, and each step asked of the method the login is in (through the registry).
//! Whether a code is right, the limits and the durable decisions are the methods' and the login
//! context's (`login_context/`): one user's checks run one at a time under a per-user lock, and
//! success is returned only after the new last-used step is on disk.

pub mod accounts;
mod answer;
mod authorize;
mod steps;

use crate::audit::{Audit, Level};
use crate::clock::Clock;
use crate::config::{Config, Unenrolled};
use crate::limits::{self, Gate};
use crate::lock::LockAnyway;
use crate::login_context::LoginContext;
use crate::sessions::{Caller, Purpose, Session, Sessions, Stage};
use crate::store::{Missing, UserRecord, UserStore};
use crate::texts::Text;
use mfa_proto::{Render, Step};
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

/// The login conversation: the open sessions, and each step asked of the method the login is
/// in (through the registry). What the methods share lives in the [`LoginContext`] it holds.
pub struct Engine {
    cx: Arc<LoginContext>,
    sessions: Mutex<Sessions>,
}

impl Engine {
    pub fn new(config: Arc<Config>, store: Arc<dyn UserStore>, audit: Arc<Audit>) -> Engine {
        Engine::from_context(LoginContext::new(config, store, audit))
    }

    /// An engine around `cx` (tests hand in one reading a [`crate::clock::FakeClock`]).
    pub fn from_context(cx: LoginContext) -> Engine {
        let config = cx.config();
        let sessions = Sessions::new(config.daemon.max_sessions, config.daemon.session_timeout);
        Engine {
            cx: Arc::new(cx),
            sessions: Mutex::new(sessions),
        }
    }

    /// What the methods, enrollment and admin share (store, config, audit, ports, clock).
    pub fn context(&self) -> &Arc<LoginContext> {
        &self.cx
    }

    pub fn clock(&self) -> &dyn Clock {
        self.cx.clock()
    }

    pub fn store(&self) -> &dyn UserStore {
        self.cx.store()
    }

    pub fn config(&self) -> Arc<Config> {
        self.cx.config()
    }

    pub fn replace_config(&self, config: Arc<Config>) {
        self.cx.replace_config(config);
    }

    pub fn audit(&self) -> &Audit {
        self.cx.audit()
    }

    /// See [`LoginContext::change_record`].
    pub async fn change_record(
        &self,
        user: &str,
        missing: Missing,
        line: Option<&crate::audit::pending::PendingLine>,
        change: impl FnOnce(&mut UserRecord) -> Result<(), String> + Send + 'static,
    ) -> Result<(), String> {
        self.cx.change_record(user, missing, line, change).await
    }

    /// True while `caller` holds a re-authentication ticket.
    pub fn reauthenticated(&self, caller: &Caller) -> bool {
        self.cx.reauthenticated(caller)
    }

    /// `Start`: authorise the caller, look at the user, and open a session with the first step,
    /// shaped for what the service's program is known to show (the module did not say).
    pub async fn start(
        &self,
        caller: Caller,
        user: &str,
        service: &str,
        rhost: &str,
        tty: &str,
    ) -> Result<(String, Step), AuthError> {
        let render = Render::for_service(service);
        self.start_rendered(caller, user, service, rhost, tty, render)
            .await
    }

    /// `StartRendered`: `Start` for a caller that said what its screen can show.
    pub async fn start_rendered(
        &self,
        caller: Caller,
        user: &str,
        service: &str,
        rhost: &str,
        tty: &str,
        render: Render,
    ) -> Result<(String, Step), AuthError> {
        let login = Purpose::Login;
        self.start_for(caller, user, service, rhost, tty, login, render)
            .await
    }

    /// Re-authentication of the caller's own account, before it changes its own methods. The
    /// same prompt, limits and counters as a login; success gives the caller a ticket instead.
    pub async fn start_reauth(
        &self,
        caller: Caller,
        user: &str,
    ) -> Result<(String, Step), AuthError> {
        let reauth = Purpose::Reauth;
        self.start_for(caller, user, "mfa-enroll", "", "", reauth, Render::Lines)
            .await
    }

    #[allow(clippy::too_many_arguments)] // Start's four strings, and who asks and how it renders
    async fn start_for(
        &self,
        caller: Caller,
        user: &str,
        service: &str,
        rhost: &str,
        tty: &str,
        purpose: Purpose,
        render: Render,
    ) -> Result<(String, Step), AuthError> {
        authorize::check_fields(&[user, service, rhost, tty])?;
        authorize::may_authenticate(&caller, user).await?;
        let id = Sessions::new_id().map_err(AuthError::InvalidArgs)?;
        crate::panic_inject::point("start");
        let cx = &self.cx;
        let record = match cx.load(user).await {
            Ok(record) => record,
            Err(e) => {
                crate::metrics::store_error();
                cx.audit().log(
                    Level::Error,
                    &format!("cannot read the record of {user}: {e}"),
                );
                cx.decide(&caller, user, service, rhost, "-", "unavailable");
                return Ok((
                    id,
                    Step::Unavailable {
                        text: crate::texts::fit(
                            cx.config().daemon.language,
                            render,
                            Text::Unavailable,
                            Text::UnavailableShort,
                        ),
                    },
                ));
            }
        };
        let lang = cx.lang_of(record.as_ref());
        let enrolled = record.as_ref().is_some_and(UserRecord::is_enrolled);
        if !enrolled
            && purpose == Purpose::Login
            && cx.config().unenrolled_for(service) == Unenrolled::Allow
        {
            cx.decide(&caller, user, service, rhost, "-", "not-enrolled-allowed");
            return Ok((id, Step::NotEnrolled));
        }
        let locked = match record.as_ref().filter(|r| r.is_enrolled()) {
            Some(record) => {
                limits::gate(&record.failures, &cx.config().limits, cx.clock.unix_now())
                    == Gate::Locked
            }
            None => cx.unenrolled_locked(user),
        };
        if locked {
            cx.decide(&caller, user, service, rhost, "-", "locked");
            return Ok((
                id,
                Step::Locked {
                    text: crate::texts::fit(lang, render, Text::Locked, Text::LockedShort),
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
            stage: Stage::Menu,
            sent_at: Default::default(),
            expires: cx.clock.now(),
            render,
            menu_at: 0,
            empty_answers: 0,
        };
        let mut session = session;
        let first = self.first_step(&mut session, record.as_ref());
        let inserted = self
            .sessions
            .lock_anyway()
            .insert(id.clone(), session, cx.clock.now());
        if let Err(why) = inserted {
            cx.audit()
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
            Stage::In(id, state) => {
                let method = crate::methods::get(id);
                method.poll(&self.cx, &mut session, state).await
            }
            Stage::Menu => self.prompt_for(&session, None),
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
            .take(id, caller, self.cx.clock.now())
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
            .take(id, caller, self.cx.clock.now());
        if let Some(session) = taken {
            self.abandon(&session.stage);
        }
    }

    /// A bus name left: its sessions go with it.
    pub fn caller_left(&self, sender: &str) {
        self.cx.forget_ticket(sender);
        let dropped = self.sessions.lock_anyway().drop_sender(sender);
        if dropped > 0 {
            self.cx.audit().log(
                Level::Info,
                &format!("{sender} left the bus: dropped {dropped} open session(s)"),
            );
        }
    }

    pub fn expire_sessions(&self) {
        self.sessions.lock_anyway().expire(self.cx.clock.now());
    }

    pub fn open_sessions(&self) -> usize {
        self.sessions.lock_anyway().len()
    }

    /// An admin unlocked or reset `user`: a name with no second factor starts afresh too.
    pub fn forget_unenrolled_failures(&self, user: &str) {
        self.cx.forget_unenrolled_failures(user);
    }
}

#[cfg(test)]
mod clock_tests;
