//! Challenge calls for real: the destination's budgets, then the `[voice]` gateways in order
//! (`delivery`). The call's TwiML asks for the keypad answer; the provider posts it, signed, to
//! the daemon's web listener (`callback`), which decides the call's one confirmation.

pub mod callback;
pub mod routes;
mod twiml;

use super::port::{CallPlaced, CallPlacer, CallRequest};
use crate::audit::{Audit, Level};
use crate::budgets::BudgetStore;
use crate::config::{Config, Language};
use crate::delivery::{self, Destination, Sent};
use crate::gateways::{Call, Gateways};
use crate::oob::{Confirmations, Verdict};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

/// At most this many calls wait for an answer at once.
const MAX_OPEN_CALLS: usize = 1024;
/// A call's token outlives the login's own deadline a little, so a late answer is still heard
/// (and refused by the login, which has moved on).
const TOKEN_GRACE: Duration = Duration::from_secs(30);

/// What a placed call waits for.
#[derive(Debug, Clone)]
pub struct PendingCall {
    pub user: String,
    pub lang: Language,
    /// Number matching: what the callee must type; `None`: the `#` key.
    pub digits: Option<String>,
    /// Which gateway placed it and the provider's id for it, once placed.
    pub gateway: Option<String>,
    pub call_sid: Option<String>,
}

pub struct GatewayVoice {
    gateways: Arc<Gateways>,
    budgets: Arc<dyn BudgetStore>,
    config: Arc<Config>,
    audit: Arc<Audit>,
    calls: Confirmations<PendingCall>,
    public_url: String,
}

impl GatewayVoice {
    /// `None` when calls are off (no `[voice]` gateway, or no public URL for the callbacks).
    pub fn new(
        config: Arc<Config>,
        gateways: Arc<Gateways>,
        budgets: Arc<dyn BudgetStore>,
        audit: Arc<Audit>,
    ) -> Option<GatewayVoice> {
        let public_url = config.web.public_url.clone()?;
        (!config.voice.gateways.is_empty()).then(|| GatewayVoice {
            gateways,
            budgets,
            config,
            audit,
            calls: Confirmations::new(MAX_OPEN_CALLS),
            public_url: public_url.trim_end_matches('/').to_owned(),
        })
    }

    /// The URL of one of a call's callbacks, exactly as the provider is told (and signs it).
    fn callback_url(&self, hook: callback::Hook, token: &str) -> String {
        format!("{}{}{token}", self.public_url, hook.path_prefix())
    }

    async fn place_call(&self, r: CallRequest<'_>) -> CallPlaced {
        let pending = PendingCall {
            user: r.user.to_owned(),
            lang: r.lang,
            digits: r.digits.map(str::to_owned),
            gateway: None,
            call_sid: None,
        };
        let answer_timeout = self.config.voice.answer_timeout;
        let token = match self.calls.open(pending, answer_timeout + TOKEN_GRACE) {
            Ok(token) => token,
            Err(e) => {
                self.audit
                    .log(Level::Warning, &format!("no call placed: {e}"));
                return CallPlaced::Failed;
            }
        };
        let issuer = &self.config.totp.issuer;
        let action = self.callback_url(callback::Hook::Keypad, &token);
        let status = self.callback_url(callback::Hook::Status, &token);
        let twiml = twiml::challenge(r.lang, issuer, r.digits.is_some(), &action);
        let call = Call {
            twiml: &twiml,
            status_callback: Some(&status),
            ring_seconds: answer_timeout.as_secs().min(60) as u32,
        };
        let to = Destination {
            user: r.user,
            e164: r.e164,
            region: r.region,
            nonroot: r.nonroot,
        };
        let (gateways, call) = (&self.gateways, &call);
        let sent = delivery::deliver(
            self.budgets.as_ref(),
            &self.audit,
            "call",
            to,
            &self.config.voice.gateways,
            |gateway| async move {
                let one = std::slice::from_ref(&gateway);
                gateways.place_call(one, r.e164, call).await
            },
        )
        .await;
        let placed = match sent {
            Sent::Accepted { gateway, id } => {
                self.calls.update(&token, |p| {
                    p.gateway = Some(gateway);
                    p.call_sid = Some(id);
                });
                return CallPlaced::Placed { token };
            }
            Sent::Refused => CallPlaced::Refused,
            Sent::Unreachable => CallPlaced::Unreachable,
            Sent::Failed => CallPlaced::Failed,
        };
        self.calls.close(&token);
        placed
    }
}

impl CallPlacer for GatewayVoice {
    fn place<'a>(
        &'a self,
        request: CallRequest<'a>,
    ) -> Pin<Box<dyn Future<Output = CallPlaced> + Send + 'a>> {
        Box::pin(self.place_call(request))
    }

    fn verdict(&self, token: &str) -> Option<Verdict> {
        self.calls.verdict(token)
    }

    fn close(&self, token: &str) {
        self.calls.close(token);
    }
}
