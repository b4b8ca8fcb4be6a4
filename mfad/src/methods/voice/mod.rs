//! A challenge call to the user's verified number, confirmed on its keypad.

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
use port::CallPlacer;

pub struct Voice;

/// Whether the config allows calls to this number's type (checked at each login: the
/// number was verified for texts, and `[phone] voice_types` may differ or change).
fn may_call(cx: &LoginContext, e164: &str) -> bool {
    let policy = super::sms::enroll::policy(&cx.config());
    crate::phone::parse(e164, &policy, crate::phone::Channel::Voice).is_ok()
}

impl Method for Voice {
    fn id(&self) -> MethodId {
        MethodId::Voice
    }

    fn covers(&self) -> &'static [MethodId] {
        &[MethodId::Voice]
    }

    fn offer(&self, cx: &LoginContext, record: &UserRecord) -> Option<String> {
        let phone = record.phone.as_ref()?;
        cx.port::<dyn CallPlacer>()?;
        may_call(cx, &phone.e164).then(|| crate::phone::mask(&phone.e164))
    }

    fn label(&self, lang: Language, target: &str) -> String {
        tr!(lang, texts::Text::OptionLabel, target = target)
    }

    fn short_label(&self, lang: Language, target: &str) -> String {
        let target = super::one_line::short_target(target);
        tr!(lang, texts::Text::OneLabel, target = target)
    }

    fn prompt(
        &self,
        _cx: &LoginContext,
        session: &Session,
        state: &MethodState,
        _record: Option<&UserRecord>,
    ) -> Step {
        let target = session.target_of(MethodId::Voice);
        let lang = session.lang;
        let text = match (state, session.render) {
            (MethodState::Calling(call), Render::Lines) => {
                texts::call_prompt(lang, &target, call.digits.as_deref())
            }
            (MethodState::Calling(call), Render::OneLine) => {
                texts::one_line_call_prompt(lang, call.digits.as_deref())
            }
            (_, Render::Lines) => tr!(lang, texts::Text::Offer, target = target),
            (_, Render::OneLine) => {
                let target = super::one_line::short_target(&target);
                tr!(lang, texts::Text::OneOffer, target = target)
            }
        };
        Step::Prompt {
            text,
            echo: true,
            digits: false,
        }
    }

    fn choose<'a>(&'a self, cx: &'a LoginContext, session: &'a mut Session) -> BoxFuture<'a, Step> {
        Box::pin(login::place_call(cx, session))
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
                // Enter (or anything typed) at the call prompt: "I have answered".
                MethodState::Calling(call) => login::check_call(cx, session, call).await,
                _ if typed.is_empty() => login::place_call(cx, session).await,
                _ => cx.wrong_code(session),
            }
        })
    }

    fn poll<'a>(
        &'a self,
        cx: &'a LoginContext,
        session: &'a mut Session,
        state: MethodState,
    ) -> BoxFuture<'a, Step> {
        Box::pin(async move {
            match state {
                MethodState::Calling(call) => login::check_call(cx, session, call).await,
                _ => super::prompts::prompt_for(cx, session, None),
            }
        })
    }

    fn abandon(&self, cx: &LoginContext, state: &MethodState) {
        if let (MethodState::Calling(call), Some(placer)) = (state, cx.port::<dyn CallPlacer>()) {
            placer.close(&call.token);
        }
    }

    /// Calls go through the `[voice]` gateways within the shared budgets; the provider's
    /// callbacks come back through the web listener.
    fn start(
        &self,
        cx: &std::sync::Arc<LoginContext>,
        w: &super::start::Wiring,
    ) -> Option<axum::Router> {
        let (gateways, budgets) = (w.gateways.clone()?, w.budgets.clone()?);
        let voice =
            gateway::GatewayVoice::new(w.config.clone(), gateways, budgets, w.audit.clone());
        let voice = std::sync::Arc::new(voice?);
        cx.plug::<dyn CallPlacer>(voice.clone());
        Some(gateway::routes::routes(voice))
    }

    fn has(&self, _id: MethodId, record: &UserRecord) -> bool {
        record.phone.is_some()
    }

    /// Texts and calls share the number, so removing either removes the number.
    fn remove(&self, _id: MethodId, record: &mut UserRecord) -> bool {
        record.phone.take().is_some()
    }
}
