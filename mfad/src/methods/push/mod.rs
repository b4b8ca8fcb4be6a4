//! A notification approved on the user's phone, through the approval page.

pub mod enroll;
pub mod gateway;
mod login;
pub mod pin;
pub mod port;
pub mod texts;

use super::Method;
use crate::config::Language;
use crate::login_context::LoginContext;
use crate::sessions::{MethodState, Session};
use crate::store::UserRecord;
use futures_util::future::BoxFuture;
use mfa_proto::{MethodId, Step};
use port::PushSender;
use std::collections::BTreeMap;

pub struct Push;

impl Method for Push {
    fn id(&self) -> MethodId {
        MethodId::Push
    }

    fn covers(&self) -> &'static [MethodId] {
        &[MethodId::Push]
    }

    fn offer(&self, cx: &LoginContext, record: &UserRecord) -> Option<String> {
        let push = record.push.as_ref()?;
        cx.port::<dyn PushSender>()?;
        login::push_usable(cx, push, cx.clock().unix_now()).then(String::new)
    }

    fn label(&self, lang: Language, _target: &str) -> String {
        texts::Text::OptionLabel.text(lang).to_string()
    }

    fn short_label(&self, lang: Language, _target: &str) -> String {
        texts::Text::OneLabel.text(lang).to_string()
    }

    fn prompt(
        &self,
        _cx: &LoginContext,
        session: &Session,
        state: &MethodState,
        _record: Option<&UserRecord>,
    ) -> Step {
        let one_line = session.render == mfa_proto::Render::OneLine;
        let text = match state {
            MethodState::Pushed(push) => {
                let prompt = if one_line {
                    texts::Text::OnePrompt
                } else {
                    texts::Text::Prompt
                };
                mfa_proto::i18n::tr!(session.lang, prompt, number = push.number)
            }
            _ if one_line => texts::Text::OneOffer.text(session.lang).to_string(),
            _ => texts::Text::Offer.text(session.lang).to_string(),
        };
        Step::Prompt {
            text,
            echo: true,
            digits: false,
        }
    }

    fn choose<'a>(&'a self, cx: &'a LoginContext, session: &'a mut Session) -> BoxFuture<'a, Step> {
        Box::pin(login::send_push(cx, session))
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
                MethodState::Pushed(push) => login::check_push(cx, session, push).await,
                _ if typed.is_empty() => login::send_push(cx, session).await,
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
                MethodState::Pushed(push) => login::check_push(cx, session, push).await,
                _ => super::prompts::prompt_for(cx, session, None),
            }
        })
    }

    fn abandon(&self, cx: &LoginContext, state: &MethodState) {
        if let (MethodState::Pushed(push), Some(sender)) = (state, cx.port::<dyn PushSender>()) {
            sender.close(&push.token);
        }
    }

    /// Pushes go through the `[push]` (ntfy) gateways; the approval page is served by the web
    /// listener, and "this wasn't me" from it turns push off for that user, whether or not a
    /// login still waits.
    fn start(
        &self,
        cx: &std::sync::Arc<LoginContext>,
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
        cx.plug::<dyn PushSender>(push.clone());
        let cx = cx.clone();
        tokio::spawn(async move {
            while let Some(user) = reported.recv().await {
                login::push_reported(&cx, &user).await;
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
