//! Authentication sessions: unguessable ids, bound to the caller's unique bus name and uid,
//! bounded in number and lifetime, dropped when the caller leaves the bus.

use std::collections::HashMap;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// Unique bus name (`:1.42`), never reused within a bus's lifetime.
    pub sender: String,
    pub uid: u32,
}

/// Why a session was opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// A PAM login.
    Login,
    /// A user proving a current factor before changing their own methods.
    Reauth,
}

#[derive(Debug, Clone)]
pub struct Session {
    pub caller: Caller,
    pub user: String,
    pub service: String,
    pub rhost: String,
    pub tty: String,
    /// Whether the user had a method when the session started (unknown users get the same
    /// prompt and are always denied).
    pub enrolled: bool,
    pub purpose: Purpose,
    /// Language of the texts shown in this session.
    pub lang: crate::config::Language,
    /// The user's usable methods for this service, preferred first.
    pub options: Vec<crate::auth::stage::MethodOption>,
    pub stage: crate::auth::stage::Stage,
    /// When this session last had a text sent (resends wait `sms.resend_cooldown`).
    pub sms_sent_at: Option<u64>,
    /// When this session last had a call placed (same cooldown as texts).
    pub called_at: Option<u64>,
    pub expires: Instant,
}

#[derive(Debug)]
pub struct Sessions {
    map: HashMap<String, Session>,
    max: usize,
    lifetime: Duration,
}

#[derive(Debug, PartialEq, Eq)]
pub struct TooManySessions;

impl Sessions {
    pub fn new(max: usize, lifetime: Duration) -> Self {
        Sessions {
            map: HashMap::new(),
            max,
            lifetime,
        }
    }

    pub fn new_id() -> Result<String, String> {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).map_err(|e| format!("no randomness: {e}"))?;
        Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
    }

    pub fn insert(
        &mut self,
        id: String,
        mut session: Session,
        now: Instant,
    ) -> Result<(), TooManySessions> {
        self.expire(now);
        if self.map.len() >= self.max {
            return Err(TooManySessions);
        }
        session.expires = now + self.lifetime;
        self.map.insert(id, session);
        Ok(())
    }

    /// The session, only for the caller that started it and only while it lives.
    pub fn get(&self, id: &str, caller: &Caller, now: Instant) -> Option<&Session> {
        self.map
            .get(id)
            .filter(|s| s.caller == *caller && s.expires > now)
    }

    /// Put back a session taken for an answer that did not end it (its lifetime is unchanged).
    pub fn restore(&mut self, id: String, session: Session) {
        self.map.insert(id, session);
    }

    /// Remove and return the session (same checks as `get`).
    pub fn take(&mut self, id: &str, caller: &Caller, now: Instant) -> Option<Session> {
        self.get(id, caller, now)?;
        self.map.remove(id)
    }

    /// Drop every session of a bus name that left the bus.
    pub fn drop_sender(&mut self, sender: &str) -> usize {
        let before = self.map.len();
        self.map.retain(|_, s| s.caller.sender != sender);
        before - self.map.len()
    }

    pub fn expire(&mut self, now: Instant) {
        self.map.retain(|_, s| s.expires > now);
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caller(sender: &str, uid: u32) -> Caller {
        Caller {
            sender: sender.into(),
            uid,
        }
    }

    fn session(c: Caller) -> Session {
        Session {
            caller: c,
            user: "alice".into(),
            service: "sshd".into(),
            rhost: String::new(),
            tty: String::new(),
            enrolled: true,
            purpose: Purpose::Login,
            lang: crate::config::Language::En,
            options: Vec::new(),
            stage: crate::auth::stage::Stage::Code,
            sms_sent_at: None,
            called_at: None,
            expires: Instant::now(),
        }
    }

    #[test]
    fn ids_are_128_random_bits() {
        let a = Sessions::new_id().unwrap();
        let b = Sessions::new_id().unwrap();
        assert!(mfa_proto::is_session_id(&a));
        assert_ne!(a, b);
    }

    #[test]
    fn only_the_starting_caller_can_use_a_session() {
        let now = Instant::now();
        let mut s = Sessions::new(10, Duration::from_secs(60));
        s.insert("id1".into(), session(caller(":1.1", 0)), now)
            .unwrap();
        assert!(
            s.get("id1", &caller(":1.2", 0), now).is_none(),
            "other bus name"
        );
        assert!(
            s.get("id1", &caller(":1.1", 1000), now).is_none(),
            "other uid"
        );
        assert!(s.take("id1", &caller(":1.1", 0), now).is_some());
        assert!(s.get("id1", &caller(":1.1", 0), now).is_none(), "used up");
    }

    #[test]
    fn sessions_expire_and_leave_with_their_caller() {
        let now = Instant::now();
        let mut s = Sessions::new(10, Duration::from_secs(60));
        s.insert("a".into(), session(caller(":1.1", 0)), now)
            .unwrap();
        s.insert("b".into(), session(caller(":1.2", 0)), now)
            .unwrap();
        assert!(
            s.get("a", &caller(":1.1", 0), now + Duration::from_secs(61))
                .is_none()
        );
        assert_eq!(s.drop_sender(":1.2"), 1);
        s.expire(now + Duration::from_secs(61));
        assert!(s.is_empty());
    }

    #[test]
    fn the_number_of_sessions_is_bounded() {
        let now = Instant::now();
        let mut s = Sessions::new(2, Duration::from_secs(60));
        s.insert("a".into(), session(caller(":1.1", 0)), now)
            .unwrap();
        s.insert("b".into(), session(caller(":1.1", 0)), now)
            .unwrap();
        assert_eq!(
            s.insert("c".into(), session(caller(":1.1", 0)), now),
            Err(TooManySessions)
        );
        assert_eq!(s.len(), 2);
    }
}
