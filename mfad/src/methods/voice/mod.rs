//! A challenge call to the user's verified number, confirmed on its keypad.

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
use port::CallPlacer;

/// A call placed for this login, waiting for its keypad answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallChallenge {
    /// Where the call's outcome is found (and the token in its callback URLs).
    pub token: String,
    /// The digits shown at the prompt for number matching; `None` means "press #".
    pub digits: Option<String>,
    /// Unix time after which the login stops waiting for it.
    pub deadline: u64,
}

pub struct Voice;

/// Whether the config allows calls to this number's type (checked at each login: the
/// number was verified for texts, and `[phone] voice_types` may differ or change).
fn may_call(engine: &Engine, e164: &str) -> bool {
    let policy = super::sms::enroll::policy(&engine.config());
    crate::phone::parse(e164, &policy, crate::phone::Channel::Voice).is_ok()
}

impl Method for Voice {
    fn id(&self) -> MethodId {
        MethodId::Voice
    }

    fn covers(&self) -> &'static [MethodId] {
        &[MethodId::Voice]
    }

    fn offer(&self, engine: &Engine, record: &UserRecord) -> Option<String> {
        let phone = record.phone.as_ref()?;
        engine.port::<dyn CallPlacer>()?;
        may_call(engine, &phone.e164).then(|| crate::phone::mask(&phone.e164))
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
        let target = session.target_of(MethodId::Voice);
        let text = match state {
            MethodState::Calling(call) => {
                texts::call_prompt(session.lang, &target, call.digits.as_deref())
            }
            _ => tr!(session.lang, texts::Text::Offer, target = target),
        };
        Step::Prompt {
            text,
            echo: true,
            digits: false,
        }
    }

    fn choose<'a>(&'a self, engine: &'a Engine, session: &'a mut Session) -> BoxFuture<'a, Step> {
        Box::pin(engine.place_call(session))
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
                // Enter (or anything typed) at the call prompt: "I have answered".
                MethodState::Calling(call) => engine.check_call(session, call).await,
                _ if typed.is_empty() => engine.place_call(session).await,
                _ => engine.wrong_code(session),
            }
        })
    }

    fn poll<'a>(
        &'a self,
        engine: &'a Engine,
        session: &'a mut Session,
        state: MethodState,
    ) -> BoxFuture<'a, Step> {
        Box::pin(async move {
            match state {
                MethodState::Calling(call) => engine.check_call(session, call).await,
                _ => engine.prompt_for(session, None),
            }
        })
    }

    fn abandon(&self, engine: &Engine, state: &MethodState) {
        if let (MethodState::Calling(call), Some(placer)) = (state, engine.port::<dyn CallPlacer>())
        {
            placer.close(&call.token);
        }
    }

    /// Calls go through the `[voice]` gateways within the shared budgets; the provider's
    /// callbacks come back through the web listener.
    fn start(
        &self,
        engine: &std::sync::Arc<Engine>,
        w: &super::start::Wiring,
    ) -> Option<axum::Router> {
        let (gateways, budgets) = (w.gateways.clone()?, w.budgets.clone()?);
        let voice =
            gateway::GatewayVoice::new(w.config.clone(), gateways, budgets, w.audit.clone());
        let voice = std::sync::Arc::new(voice?);
        engine.plug::<dyn CallPlacer>(voice.clone());
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
