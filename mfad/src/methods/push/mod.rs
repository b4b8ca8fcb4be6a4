//! A notification approved on the user's phone, through the approval page.

pub mod enroll;
pub mod gateway;
mod login;
pub mod pin;
pub mod port;
pub mod texts;

use super::{Method, MethodState};
use crate::auth::Engine;
use crate::config::Language;
use crate::sessions::Session;
use crate::store::UserRecord;
use futures_util::future::BoxFuture;
use mfa_proto::{MethodId, Step};
use port::PushSender;
use std::collections::BTreeMap;

/// A push sent for this login, waiting for the approval page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushChallenge {
    pub token: String,
    /// The number shown at the prompt, typed on the page (number matching).
    pub number: String,
    /// Unix time after which the login stops waiting ("not approved in time").
    pub deadline: u64,
}

pub struct Push;

impl Method for Push {
    fn id(&self) -> MethodId {
        MethodId::Push
    }

    fn covers(&self) -> &'static [MethodId] {
        &[MethodId::Push]
    }

    fn offer(&self, engine: &Engine, record: &UserRecord) -> Option<String> {
        let push = record.push.as_ref()?;
        engine.port::<dyn PushSender>()?;
        engine
            .push_usable(push, engine.clock().unix_now())
            .then(String::new)
    }

    fn label(&self, lang: Language, _target: &str) -> String {
        texts::Text::OptionLabel.text(lang).to_string()
    }

    fn prompt(
        &self,
        _engine: &Engine,
        session: &Session,
        state: &MethodState,
        _record: Option<&UserRecord>,
    ) -> Step {
        let text = match state {
            MethodState::Pushed(push) => {
                mfa_proto::i18n::tr!(session.lang, texts::Text::Prompt, number = push.number)
            }
            _ => texts::Text::Offer.text(session.lang).to_string(),
        };
        Step::Prompt {
            text,
            echo: true,
            digits: false,
        }
    }

    fn choose<'a>(&'a self, engine: &'a Engine, session: &'a mut Session) -> BoxFuture<'a, Step> {
        Box::pin(engine.send_push(session))
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
                MethodState::Pushed(push) => engine.check_push(session, push).await,
                _ if typed.is_empty() => engine.send_push(session).await,
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
                MethodState::Pushed(push) => engine.check_push(session, push).await,
                _ => engine.prompt_for(session, None),
            }
        })
    }

    fn abandon(&self, engine: &Engine, state: &MethodState) {
        if let (MethodState::Pushed(push), Some(sender)) = (state, engine.port::<dyn PushSender>())
        {
            sender.close(&push.token);
        }
    }

    /// Pushes go through the `[push]` (ntfy) gateways; the approval page is served by the web
    /// listener, and "this wasn't me" from it turns push off for that user, whether or not a
    /// login still waits.
    fn start(
        &self,
        engine: &std::sync::Arc<Engine>,
        w: &super::start::Wiring,
    ) -> Option<axum::Router> {
        let (reports, mut reported) = tokio::sync::mpsc::unbounded_channel::<String>();
        let push = gateway::GatewayPush::new(
            w.config.clone(),
            w.gateways.clone()?,
            w.audit.clone(),
            reports,
        );
        let push = std::sync::Arc::new(push?);
        engine.plug::<dyn PushSender>(push.clone());
        let engine = engine.clone();
        tokio::spawn(async move {
            while let Some(user) = reported.recv().await {
                engine.push_reported(&user).await;
            }
        });
        Some(gateway::routes::routes(push))
    }

    fn describe(&self, record: &UserRecord, out: &mut BTreeMap<String, String>) {
        if let Some(push) = &record.push {
            out.insert("push.gateway".into(), push.gateway.clone());
            out.insert("push.enrolled_at".into(), push.enrolled_at.to_string());
        }
    }

    fn has(&self, _id: MethodId, record: &UserRecord) -> bool {
        record.push.is_some()
    }

    fn remove(&self, _id: MethodId, record: &mut UserRecord) -> bool {
        record.push.take().is_some()
    }
}
