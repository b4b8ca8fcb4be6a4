//! A code sent by text message to the user's verified number.

pub mod enroll;
pub mod gateway;
mod login;
pub mod port;
pub mod texts;

use super::Method;
use crate::config::Language;
use crate::login_context::LoginContext;
use crate::sessions::{MethodState, Session};
use crate::store::UserRecord;
use futures_util::future::BoxFuture;
use mfa_proto::i18n::tr;
use mfa_proto::{MethodId, Render, Step};
use std::collections::BTreeMap;

pub struct Sms;

impl Method for Sms {
    fn id(&self) -> MethodId {
        MethodId::Sms
    }

    fn covers(&self) -> &'static [MethodId] {
        &[MethodId::Sms]
    }

    fn offer(&self, cx: &LoginContext, record: &UserRecord) -> Option<String> {
        let phone = record.phone.as_ref()?;
        cx.port::<dyn port::SmsSender>()?;
        Some(crate::phone::mask(&phone.e164))
    }

    fn label(&self, lang: Language, target: &str) -> String {
        tr!(lang, texts::Text::OptionLabel, target = target)
    }

    fn short_label(&self, lang: Language, target: &str) -> String {
        let target = super::one_line::short_target(target);
        tr!(lang, texts::Text::OneLabel, target = target)
    }

    /// The texted code's prompt asks for it; the offer's Enter sends the text.
    fn asks_code(&self, state: &MethodState) -> bool {
        matches!(state, MethodState::Texted(_))
    }

    fn prompt(
        &self,
        _cx: &LoginContext,
        session: &Session,
        state: &MethodState,
        _record: Option<&UserRecord>,
    ) -> Step {
        let one_line = session.render == Render::OneLine;
        let target = session.target_of(MethodId::Sms);
        let target = if one_line {
            super::one_line::short_target(&target)
        } else {
            target
        };
        let texted = matches!(state, MethodState::Texted(_));
        let text = match (texted, one_line) {
            (true, false) => texts::Text::Prompt,
            (true, true) => texts::Text::OnePrompt,
            (false, false) => texts::Text::Offer,
            (false, true) => texts::Text::OneOffer,
        };
        Step::Prompt {
            text: tr!(session.lang, text, target = target),
            echo: true,
            digits: texted,
        }
    }

    /// Choosing it is the user's answer: the text goes at once.
    fn choose<'a>(&'a self, cx: &'a LoginContext, session: &'a mut Session) -> BoxFuture<'a, Step> {
        Box::pin(login::send_sms(cx, session))
    }

    fn answer<'a>(
        &'a self,
        cx: &'a LoginContext,
        session: &'a mut Session,
        state: MethodState,
        typed: &'a str,
    ) -> BoxFuture<'a, Step> {
        Box::pin(async move {
            match state {
                MethodState::Texted(challenge) => {
                    login::check_sms(cx, session, challenge, typed).await
                }
                _ if typed.is_empty() => login::send_sms(cx, session).await,
                _ => cx.wrong_code(session),
            }
        })
    }

    /// Texts go through the `[sms]` gateways within the shared budgets.
    fn start(
        &self,
        cx: &std::sync::Arc<LoginContext>,
        w: &super::start::Wiring,
    ) -> Option<axum::Router> {
        let (gateways, budgets) = (w.gateways.clone()?, w.budgets.clone()?);
        let sms = gateway::GatewaySms::new(w.config.clone(), gateways, budgets, w.audit.clone());
        if let Some(sms) = sms {
            cx.plug::<dyn port::SmsSender>(std::sync::Arc::new(sms));
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
