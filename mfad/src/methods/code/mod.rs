//! The code prompt: a TOTP code from an authenticator app or a backup code, typed at one
//! prompt and checked together.

pub mod backup_codes;
pub(crate) mod check;
pub(crate) mod enroll;
mod heavy_check;
mod login;
pub(crate) mod pending;
pub mod texts;
pub mod totp;

use super::Method;
use crate::config::Language;
use crate::login_context::LoginContext;
use crate::sessions::{MethodState, Session, Stage};
use crate::store::UserRecord;
use futures_util::future::BoxFuture;
use mfa_proto::{MethodId, Step};
use std::collections::BTreeMap;

pub struct Code;

impl Method for Code {
    fn id(&self) -> MethodId {
        MethodId::Totp
    }

    fn covers(&self) -> &'static [MethodId] {
        &[MethodId::Totp, MethodId::Backup]
    }

    fn offer(&self, _cx: &LoginContext, _record: &UserRecord) -> Option<String> {
        Some(String::new())
    }

    fn label(&self, lang: Language, _target: &str) -> String {
        texts::Text::OptionLabel.text(lang).to_string()
    }

    fn short_label(&self, lang: Language, _target: &str) -> String {
        texts::Text::OneLabel.text(lang).to_string()
    }

    /// Every state of the code prompt asks for a code.
    fn asks_code(&self, _state: &MethodState) -> bool {
        true
    }

    fn prompt(
        &self,
        cx: &LoginContext,
        session: &Session,
        _state: &MethodState,
        record: Option<&UserRecord>,
    ) -> Step {
        login::code_prompt(cx, record, session.options.len() > 1, session.render)
    }

    fn choose<'a>(&'a self, cx: &'a LoginContext, session: &'a mut Session) -> BoxFuture<'a, Step> {
        Box::pin(async move {
            session.stage = Stage::In(MethodId::Totp, MethodState::Ready);
            let record = cx.load(&session.user).await.ok().flatten();
            super::prompts::prompt_for(cx, session, record.as_ref())
        })
    }

    fn answer<'a>(
        &'a self,
        cx: &'a LoginContext,
        session: &'a mut Session,
        _state: MethodState,
        typed: &'a str,
    ) -> BoxFuture<'a, Step> {
        Box::pin(login::check_code(cx, session, typed))
    }

    fn describe(&self, record: &UserRecord, out: &mut BTreeMap<String, String>) {
        if let Some(t) = &record.totp {
            out.insert("totp.algorithm".into(), t.algorithm.clone());
            out.insert("totp.digits".into(), t.digits.to_string());
            out.insert("totp.period".into(), t.period.to_string());
            out.insert("totp.enrolled_at".into(), t.enrolled_at.to_string());
        }
        if record.backup.is_some() {
            out.insert(
                "backup_codes_left".into(),
                record.backup_codes_left().to_string(),
            );
        }
    }

    fn has(&self, id: MethodId, record: &UserRecord) -> bool {
        match id {
            MethodId::Totp => record.totp.is_some(),
            _ => record.backup_codes_left() > 0,
        }
    }

    /// Retiring TOTP keeps its last used step, so re-enrolling the secret cannot replay.
    fn remove(&self, id: MethodId, record: &mut UserRecord) -> bool {
        match id {
            MethodId::Totp => totp::history::retire(record),
            _ => record.backup.take().is_some(),
        }
    }
}
