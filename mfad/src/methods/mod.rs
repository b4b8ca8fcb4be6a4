//! The second-factor methods, one folder each (its login stages, texts, gateway, checks,
//! enrollment, web routes), and the registry: the only list of methods in the daemon. The
//! engine knows a method only through [`Method`] and a login's stage only as
//! `Menu | In(MethodId, state)`; a method knows the engine not at all, only the
//! [`LoginContext`] below both.
//!
//! Adding a method (say an emailed code), beside a new folder `methods/email/` with `mod.rs`
//! (`impl Method`, whose `start` plugs its port and returns its web routes), `login.rs`,
//! `port.rs`, `texts.rs`, and `gateway.rs`/`enroll.rs` as it needs them:
//! - `MethodId::Email` in `mfa_proto/src/method.rs` (also the config's list of method words);
//! - here: a line in [`all`]; its pending enrollments in [`PendingEnrollments`];
//! - in its `texts.rs`, beside each prompt, a one-line form (`Render::OneLine`, at most
//!   `mfa_proto::ONE_LINE_MAX_CHARS`) and its `short_label`; `one_line_tests.rs` walks them;
//! - a variant in `MethodState` (`sessions/stage.rs`, with its challenge type) only when no
//!   existing state fits (an emailed code reuses `Texted`);
//! - its data in `store/record.rs` (`UserRecord`);
//! - docs: the `methods` default in `docs/config-reference.md`, `man/mfad.toml.5` and
//!   `etc/mfa/mfad.toml` (and its config table there when it has settings);
//! - self-service enrollment, when it has one: its steps in its `enroll.rs` (functions of the
//!   `LoginContext`), their gate in `enroll/steps.rs` (`Enroller`), its D-Bus calls in
//!   `bus/enroll_iface.rs` and the CLI's (`mfa_cli/src/user/`). See docs/architecture.md.

pub mod code;
pub mod enrolled;
pub mod one_line;
#[cfg(test)]
mod one_line_tests;
mod open_record;
pub mod prompts;
pub mod push;
pub mod sms;
pub mod start;
pub mod voice;

use crate::config::Language;
use crate::login_context::LoginContext;
use crate::sessions::{MethodState, Session};
use crate::store::UserRecord;
use futures_util::future::BoxFuture;
use mfa_proto::{MethodId, Step};
use std::collections::BTreeMap;
use std::sync::Arc;

/// One method as the engine, admin and the menu see it. It works with the [`LoginContext`]
/// (store, config, audit, its port, the clock), never with the engine that calls it.
pub trait Method: Send + Sync {
    /// The id its menu entry and stages use.
    fn id(&self) -> MethodId;

    /// The record-level methods it stands for (the code prompt: TOTP and backup codes).
    fn covers(&self) -> &'static [MethodId];

    /// Whether `name` (from the config, a preference, an admin) means this method.
    fn answers_to(&self, name: &str) -> bool {
        self.covers().iter().any(|m| m.name() == name)
    }

    /// Its menu entry's target (a masked number, or "") when `record`'s user can use it here
    /// and now; `None` leaves it out of the menu.
    fn offer(&self, cx: &LoginContext, record: &UserRecord) -> Option<String>;

    /// Its line in the menu.
    fn label(&self, lang: Language, target: &str) -> String;

    /// Its name in the one-line menu (short: "Text to ••78"; the whole choice fits one line).
    fn short_label(&self, lang: Language, target: &str) -> String;

    /// Whether `state` asks for a typed code (an empty answer there means "show me again",
    /// then "show me the menu", never a wrong code).
    fn asks_code(&self, _state: &MethodState) -> bool {
        false
    }

    /// The prompt of `state`.
    fn prompt(
        &self,
        cx: &LoginContext,
        session: &Session,
        state: &MethodState,
        record: Option<&UserRecord>,
    ) -> Step;

    /// Chosen from the menu.
    fn choose<'a>(&'a self, cx: &'a LoginContext, session: &'a mut Session) -> BoxFuture<'a, Step>;

    /// An answer typed in `state`.
    fn answer<'a>(
        &'a self,
        cx: &'a LoginContext,
        session: &'a mut Session,
        state: MethodState,
        typed: &'a str,
    ) -> BoxFuture<'a, Step>;

    /// A `Poll` in `state`: the prompt again, unless the method waits for something.
    fn poll<'a>(
        &'a self,
        cx: &'a LoginContext,
        session: &'a mut Session,
        _state: MethodState,
    ) -> BoxFuture<'a, Step> {
        Box::pin(async move { prompts::prompt_for(cx, session, None) })
    }

    /// The login left `state` (to the menu, or it ended): stop listening for its answer.
    fn abandon(&self, _cx: &LoginContext, _state: &MethodState) {}

    /// The daemon starts: plug its way out into `cx` (`cx.plug::<dyn …>`) from what `wiring`
    /// holds, and return the web routes it answers, if any.
    fn start(&self, _cx: &Arc<LoginContext>, _wiring: &start::Wiring) -> Option<axum::Router> {
        None
    }

    /// What `mfa status` and `mfa admin status` show of it (`key → value`).
    fn describe(&self, _record: &UserRecord, _out: &mut BTreeMap<String, String>) {}

    /// Whether `record` holds the record-level method `id` (one of [`Method::covers`]).
    fn has(&self, id: MethodId, record: &UserRecord) -> bool;

    /// Take the record-level method `id` away; false when the user did not have it.
    fn remove(&self, id: MethodId, record: &mut UserRecord) -> bool;
}

/// Enrollments started but not confirmed yet, per method; each is bound to the bus connection
/// that started it.
#[derive(Default)]
pub struct PendingEnrollments {
    pub totps: code::pending::PendingTotps,
    pub phones: sms::enroll::PendingPhones,
    pub links: push::enroll::PendingLinks,
}

impl PendingEnrollments {
    /// A connection left the bus: its pending enrollments go with it.
    pub fn forget(&self, sender: &str) {
        self.totps.forget(sender);
        self.phones.forget(sender);
        self.links.forget(sender);
    }
}

/// Every method, in the order `describe` lists them.
pub fn all() -> [&'static dyn Method; 4] {
    [&code::Code, &sms::Sms, &voice::Voice, &push::Push]
}

/// The method whose prompt a name with no usable method gets (the same as everyone's).
pub const UNIFORM: MethodId = MethodId::Totp;

/// The method with this menu id (the uniform one for an id no method has).
pub fn get(id: MethodId) -> &'static dyn Method {
    all()
        .into_iter()
        .find(|m| m.id() == id)
        .unwrap_or(&code::Code)
}

/// The method `name` means, if any.
pub fn named(name: &str) -> Option<&'static dyn Method> {
    all().into_iter().find(|m| m.answers_to(name))
}

/// The method that stands for the record-level method `id`.
pub fn covering(id: MethodId) -> &'static dyn Method {
    all()
        .into_iter()
        .find(|m| m.covers().contains(&id))
        .unwrap_or(&code::Code)
}

/// A fresh code of `length` random digits.
pub fn random_code(length: usize) -> Result<String, String> {
    let mut code = String::with_capacity(length);
    while code.len() < length {
        let mut b = [0u8; 1];
        getrandom::fill(&mut b).map_err(|e| e.to_string())?;
        // 250 = 25 × 10: reject the top values so every digit is equally likely.
        if b[0] < 250 {
            code.push(char::from(b'0' + b[0] % 10));
        }
    }
    Ok(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_have_the_asked_length_and_only_digits() {
        let code = random_code(8).unwrap();
        assert_eq!(code.len(), 8);
        assert!(code.bytes().all(|b| b.is_ascii_digit()));
        assert_ne!(random_code(10).unwrap(), random_code(10).unwrap());
    }

    #[test]
    fn method_names_map_to_kinds() {
        let id = |name| named(name).map(|m| m.id());
        assert!(id("totp") == Some(MethodId::Totp) && id("backup") == Some(MethodId::Totp));
        assert!(id("sms") == Some(MethodId::Sms) && id("totp") != Some(MethodId::Sms));
        assert!(id("voice") == Some(MethodId::Voice) && id("sms") != Some(MethodId::Voice));
    }

    #[test]
    fn every_record_method_has_exactly_one_method_standing_for_it() {
        for id in MethodId::ALL {
            let owners = all().iter().filter(|m| m.covers().contains(&id)).count();
            assert_eq!(owners, 1, "{id}");
        }
    }
}
