//! A code sent by text message to the user's verified number.

pub mod enroll;
pub mod gateway;
mod login;
pub mod port;
pub mod texts;

use super::{Method, MethodState};
use crate::auth::Engine;
use crate::config::Language;
use crate::sessions::Session;
use crate::store::UserRecord;
use futures_util::future::BoxFuture;
use mfa_proto::i18n::tr;
use mfa_proto::{MethodId, Step};
use std::collections::BTreeMap;

/// A texted code waiting to be typed: single use, short-lived, a few checks only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmsChallenge {
    pub code: String,
    pub expires: u64,
    pub checks_left: u32,
}

pub struct Sms;

impl Method for Sms {
    fn id(&self) -> MethodId {
        MethodId::Sms
    }

    fn covers(&self) -> &'static [MethodId] {
        &[MethodId::Sms]
    }

    fn offer(&self, engine: &Engine, record: &UserRecord) -> Option<String> {
        let phone = record.phone.as_ref()?;
        engine.port::<dyn port::SmsSender>()?;
        Some(crate::phone::mask(&phone.e164))
    }

    fn label(&self, lang: Language, target: &str) -> String {
        tr!(lang, texts::Text::OptionLabel, target = target)
    }

    fn prompt(
        &self,
        _engine: &Engine,
        session: &Session,
        state: &MethodState,
        _record: Option<&UserRecord>,
    ) -> Step {
        let target = session.target_of(MethodId::Sms);
        match state {
            MethodState::Texted(_) => Step::Prompt {
                text: tr!(session.lang, texts::Text::Prompt, target = target),
                echo: true,
                digits: true,
            },
            _ => Step::Prompt {
                text: tr!(session.lang, texts::Text::Offer, target = target),
                echo: true,
                digits: false,
            },
        }
    }

    /// Choosing it is the user's answer: the text goes at once.
    fn choose<'a>(&'a self, engine: &'a Engine, session: &'a mut Session) -> BoxFuture<'a, Step> {
        Box::pin(engine.send_sms(session))
    }

    fn answer<'a>(
        &'a self,
        engine: &'a Engine,
        session: &'a mut Session,
        state: MethodState,
        typed: &'a str,
    ) -> BoxFuture<'a, Step> {
        Box::pin(async move {
            match state {
                MethodState::Texted(challenge) => engine.check_sms(session, challenge, typed).await,
                _ if typed.is_empty() => engine.send_sms(session).await,
                _ => engine.wrong_code(session),
            }
        })
    }

    /// Texts go through the `[sms]` gateways within the shared budgets.
    fn start(
        &self,
        engine: &std::sync::Arc<Engine>,
        w: &super::start::Wiring,
    ) -> Option<axum::Router> {
        let (gateways, budgets) = (w.gateways.clone()?, w.budgets.clone()?);
        let sms = gateway::GatewaySms::new(w.config.clone(), gateways, budgets, w.audit.clone());
        if let Some(sms) = sms {
            engine.plug::<dyn port::SmsSender>(std::sync::Arc::new(sms));
        }
        None
    }

    /// The number serves texts and calls; texts show it.
    fn describe(&self, record: &UserRecord, out: &mut BTreeMap<String, String>) {
        if let Some(phone) = &record.phone {
            // Masked: the status is for recognising the number, not for reading it out.
            out.insert("phone".into(), crate::phone::mask(&phone.e164));
            out.insert("phone.verified_at".into(), phone.verified_at.to_string());
        }
    }

    fn has(&self, _id: MethodId, record: &UserRecord) -> bool {
        record.phone.is_some()
    }

    /// Texts and calls share the number, so removing either removes the number.
    fn remove(&self, _id: MethodId, record: &mut UserRecord) -> bool {
        record.phone.take().is_some()
    }
}
