//! Authentication sessions: unguessable ids, bound to the caller's unique bus name and uid,
//! bounded in number and lifetime, dropped when the caller leaves the bus.
//!
//! Quotas keep one local user from filling the table: non-root callers together hold at most
//! half of it, one uid at most [`PER_UID`], one bus connection at most [`PER_CONNECTION`], so
//! root's callers (sshd, sudo through the module) always find room.

mod stage;

pub use stage::{CallChallenge, MethodOption, MethodState, PushChallenge, SmsChallenge, Stage};
use std::collections::{HashMap, HashSet, VecDeque};
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
    pub options: Vec<MethodOption>,
    pub stage: Stage,
    /// When this session last had each method send something (a text, a call): resends
    /// wait `sms.resend_cooldown`.
    pub sent_at: std::collections::BTreeMap<mfa_proto::MethodId, u64>,
    pub expires: Instant,
    /// What the caller's screen can show (`StartRendered`; `Start` means lines).
    pub render: mfa_proto::Render,
    /// The menu entry offered now when the menu shows one choice per prompt (0-based).
    pub menu_at: usize,
    /// Empty answers in a row at a code prompt: the first shows the prompt again, the second
    /// the menu. Never a failure.
    pub empty_answers: u8,
}

impl Session {
    /// Where `method`'s menu entry goes (a masked number), "" when it has none.
    pub fn target_of(&self, method: mfa_proto::MethodId) -> String {
        self.options
            .iter()
            .find(|o| o.method == method)
            .map(|o| o.target.clone())
            .unwrap_or_default()
    }
}

/// Sessions one non-root uid may hold at once.
pub const PER_UID: usize = 16;
/// Sessions one non-root bus connection may hold at once.
pub const PER_CONNECTION: usize = 8;
/// Bus names remembered after they left, so a session put back late is dropped.
const DEPARTED_MEMORY: usize = 4096;

#[derive(Debug)]
pub struct Sessions {
    map: HashMap<String, Session>,
    max: usize,
    lifetime: Duration,
    departed: Departed,
}

/// Why a new session was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum TooManySessions {
    /// The whole table is full.
    Full,
    /// Non-root callers together hold their half of the table.
    NonRootShare,
    /// This uid holds its quota.
    PerUid,
    /// This bus connection holds its quota.
    PerConnection,
    /// The caller already left the bus.
    CallerLeft,
}

impl std::fmt::Display for TooManySessions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            TooManySessions::Full => "too many open sessions",
            TooManySessions::NonRootShare => "non-root callers hold their share of open sessions",
            TooManySessions::PerUid => "this user holds too many open sessions",
            TooManySessions::PerConnection => "this connection holds too many open sessions",
            TooManySessions::CallerLeft => "the caller left the bus",
        })
    }
}

/// Recently departed unique bus names, oldest forgotten first (unique names are never reused).
#[derive(Debug, Default)]
struct Departed {
    names: HashSet<String>,
    order: VecDeque<String>,
}

impl Departed {
    fn remember(&mut self, sender: &str) {
        if !self.names.insert(sender.to_string()) {
            return;
        }
        self.order.push_back(sender.to_string());
        while self.order.len() > DEPARTED_MEMORY {
            if let Some(oldest) = self.order.pop_front() {
                self.names.remove(&oldest);
            }
        }
    }

    fn contains(&self, sender: &str) -> bool {
        self.names.contains(sender)
    }
}

impl Sessions {
    pub fn new(max: usize, lifetime: Duration) -> Self {
        Sessions {
            map: HashMap::new(),
            max,
            lifetime,
            departed: Departed::default(),
        }
    }

    pub fn new_id() -> Result<String, String> {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).map_err(|e| format!("no randomness: {e}"))?;
        Ok(hex::encode(bytes))
    }

    pub fn insert(
        &mut self,
        id: String,
        mut session: Session,
        now: Instant,
    ) -> Result<(), TooManySessions> {
        self.expire(now);
        self.admit(&session.caller)?;
        session.expires = now + self.lifetime;
        self.map.insert(id, session);
        Ok(())
    }

    /// Room for one more session of `caller`, within the table and the caller's quotas.
    fn admit(&self, caller: &Caller) -> Result<(), TooManySessions> {
        if self.departed.contains(&caller.sender) {
            return Err(TooManySessions::CallerLeft);
        }
        if self.map.len() >= self.max {
            return Err(TooManySessions::Full);
        }
        if caller.uid == 0 {
            return Ok(());
        }
        let (mut non_root, mut same_uid, mut same_connection) = (0, 0, 0);
        for s in self.map.values().filter(|s| s.caller.uid != 0) {
            non_root += 1;
            same_uid += usize::from(s.caller.uid == caller.uid);
            same_connection += usize::from(s.caller.sender == caller.sender);
        }
        if non_root >= self.max / 2 {
            return Err(TooManySessions::NonRootShare);
        }
        if same_uid >= PER_UID {
            return Err(TooManySessions::PerUid);
        }
        if same_connection >= PER_CONNECTION {
            return Err(TooManySessions::PerConnection);
        }
        Ok(())
    }

    /// The session, only for the caller that started it and only while it lives.
    pub fn get(&self, id: &str, caller: &Caller, now: Instant) -> Option<&Session> {
        self.map
            .get(id)
            .filter(|s| s.caller == *caller && s.expires > now)
    }

    /// Put back a session taken for an answer that did not end it (its lifetime is unchanged).
    /// A caller that left the bus meanwhile gets nothing back: its session is dropped here.
    /// Returns the session it dropped, so the caller can end what it had started.
    pub fn restore(&mut self, id: String, session: Session) -> Option<Session> {
        if self.departed.contains(&session.caller.sender) {
            return Some(session);
        }
        self.map.insert(id, session);
        None
    }

    /// Remove and return the session (same checks as `get`).
    pub fn take(&mut self, id: &str, caller: &Caller, now: Instant) -> Option<Session> {
        self.get(id, caller, now)?;
        self.map.remove(id)
    }

    /// Drop every session of a bus name that left the bus, and remember it left (a session
    /// out for an answer at this moment is dropped when it comes back).
    pub fn drop_sender(&mut self, sender: &str) -> usize {
        self.departed.remember(sender);
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
            stage: Stage::Menu,
            sent_at: Default::default(),
            expires: crate::clock::now(),
            render: mfa_proto::Render::Lines,
            menu_at: 0,
            empty_answers: 0,
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
        let now = crate::clock::now();
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
        let now = crate::clock::now();
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
        let now = crate::clock::now();
        let mut s = Sessions::new(2, Duration::from_secs(60));
        s.insert("a".into(), session(caller(":1.1", 0)), now)
            .unwrap();
        s.insert("b".into(), session(caller(":1.1", 0)), now)
            .unwrap();
        assert_eq!(
            s.insert("c".into(), session(caller(":1.1", 0)), now),
            Err(TooManySessions::Full)
        );
        assert_eq!(s.len(), 2);
    }

    #[test]
    fn non_root_callers_hold_at_most_half_the_table_and_root_still_gets_in() {
        let now = crate::clock::now();
        let mut s = Sessions::new(8, Duration::from_secs(60));
        for i in 0..4 {
            let c = caller(&format!(":1.{i}"), 1000 + i);
            s.insert(format!("u{i}"), session(c), now).unwrap();
        }
        assert_eq!(
            s.insert("u9".into(), session(caller(":1.9", 1009)), now),
            Err(TooManySessions::NonRootShare)
        );
        for i in 0..4 {
            s.insert(format!("r{i}"), session(caller(":1.50", 0)), now)
                .unwrap();
        }
        assert_eq!(
            s.insert("r9".into(), session(caller(":1.50", 0)), now),
            Err(TooManySessions::Full)
        );
    }

    #[test]
    fn one_uid_and_one_connection_have_quotas() {
        let now = crate::clock::now();
        let mut s = Sessions::new(1024, Duration::from_secs(60));
        for i in 0..PER_CONNECTION {
            s.insert(format!("c{i}"), session(caller(":1.1", 1000)), now)
                .unwrap();
        }
        assert_eq!(
            s.insert("c9".into(), session(caller(":1.1", 1000)), now),
            Err(TooManySessions::PerConnection)
        );
        for i in PER_CONNECTION..PER_UID {
            s.insert(
                format!("c{i}"),
                session(caller(&format!(":2.{i}"), 1000)),
                now,
            )
            .unwrap();
        }
        assert_eq!(
            s.insert("c99".into(), session(caller(":3.1", 1000)), now),
            Err(TooManySessions::PerUid)
        );
        assert!(
            s.insert("other".into(), session(caller(":3.2", 1001)), now)
                .is_ok()
        );
    }

    #[test]
    fn a_session_put_back_after_its_caller_left_is_dropped() {
        let now = crate::clock::now();
        let mut s = Sessions::new(10, Duration::from_secs(60));
        s.insert("a".into(), session(caller(":1.7", 0)), now)
            .unwrap();
        let out = s.take("a", &caller(":1.7", 0), now).unwrap();
        assert_eq!(
            s.drop_sender(":1.7"),
            0,
            "the session was out for an answer"
        );
        assert!(s.restore("a".into(), out).is_some());
        assert!(s.is_empty());
        assert_eq!(
            s.insert("b".into(), session(caller(":1.7", 0)), now),
            Err(TooManySessions::CallerLeft)
        );
    }
}
