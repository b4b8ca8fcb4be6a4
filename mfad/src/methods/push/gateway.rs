//! Push approvals for real: a notification through the user's ntfy gateway that opens the
//! daemon's approval page (`page`), where the number shown at the login prompt (and the PIN,
//! where policy asks) is typed and the sign-in approved or denied (`approval`). Each page link
//! carries a single-use 128-bit token; the answer is kept in memory until the login reads it.

pub mod approval;
mod page;
pub mod routes;

use super::port::{PushPurpose, PushRequest, PushSender, PushSent};
use crate::audit::{Audit, Level};
use crate::config::{Config, Language};
use crate::gateways::{Gateways, Notification, Outcome};
use crate::methods::push::pin::PinHash;
use crate::oob::{Confirmations, Verdict};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc::UnboundedSender;

const MAX_OPEN_PUSHES: usize = 1024;
/// A link outlives its login's deadline a little, so a late tap gets "expired", not "unknown".
const TOKEN_GRACE: Duration = Duration::from_secs(30);

/// What an approval page shows and checks.
#[derive(Debug, Clone)]
pub struct PendingPush {
    pub user: String,
    pub lang: Language,
    pub number: String,
    pub pin: Option<PinHash>,
    /// Must come back with the form: the page, not another site, posts it.
    pub csrf: String,
    pub service: String,
    pub rhost: String,
    pub time: String,
    pub purpose: PushPurpose,
}

pub struct GatewayPush {
    gateways: Arc<Gateways>,
    config: Arc<Config>,
    audit: Arc<Audit>,
    pending: Confirmations<PendingPush>,
    public_url: String,
    /// Users who pressed "this wasn't me": the daemon turns their push off.
    reports: UnboundedSender<String>,
}

impl GatewayPush {
    /// `None` when push is off (no `[push]` gateway, or no public URL for the page).
    pub fn new(
        config: Arc<Config>,
        gateways: Arc<Gateways>,
        audit: Arc<Audit>,
        reports: UnboundedSender<String>,
    ) -> Option<GatewayPush> {
        let public_url = config.web.public_url.clone()?;
        (!config.push.gateways.is_empty()).then(|| GatewayPush {
            gateways,
            config,
            audit,
            pending: Confirmations::new(MAX_OPEN_PUSHES),
            public_url: public_url.trim_end_matches('/').to_owned(),
            reports,
        })
    }

    fn page_url(&self, token: &str) -> String {
        format!("{}/push/{token}", self.public_url)
    }

    async fn publish(&self, r: PushRequest<'_>) -> PushSent {
        let Ok(csrf) = crate::methods::random_code(20) else {
            return PushSent::Failed;
        };
        let time = crate::audit::record::iso8601(crate::clock::unix_now());
        let pending = PendingPush {
            user: r.user.to_owned(),
            lang: r.lang,
            number: r.number.to_owned(),
            pin: r.pin.cloned(),
            csrf,
            service: r.service.to_owned(),
            rhost: r.rhost.to_owned(),
            time: time.clone(),
            purpose: r.purpose,
        };
        let lifetime = self.config.push.timeout + TOKEN_GRACE;
        let token = match self.pending.open(pending, lifetime) {
            Ok(token) => token,
            Err(e) => {
                self.audit
                    .log(Level::Warning, &format!("no push sent: {e}"));
                return PushSent::Failed;
            }
        };
        let click = self.page_url(&token);
        let host = &self.config.totp.issuer;
        let enrolling = r.purpose == PushPurpose::Enroll;
        let (title, message, open_label) = crate::methods::push::texts::notification(
            r.lang, host, r.service, r.rhost, &time, enrolling,
        );
        let notification = Notification {
            topic: r.topic,
            title: &title,
            message: &message,
            click: &click,
            open_label,
        };
        let delivery = self
            .gateways
            .publish(std::slice::from_ref(&r.gateway.to_owned()), &notification)
            .await;
        let note = format!(
            "push for {} via {}: {}",
            r.user, r.gateway, delivery.outcome
        );
        self.audit.log(Level::Info, &note);
        if let Outcome::Accepted { .. } = delivery.outcome {
            return PushSent::Sent { token };
        }
        self.pending.close(&token);
        PushSent::Failed
    }
}

impl PushSender for GatewayPush {
    fn send<'a>(
        &'a self,
        request: PushRequest<'a>,
    ) -> Pin<Box<dyn Future<Output = PushSent> + Send + 'a>> {
        Box::pin(self.publish(request))
    }

    fn verdict(&self, token: &str) -> Option<Verdict> {
        self.pending.verdict(token)
    }

    fn close(&self, token: &str) {
        self.pending.close(token);
    }

    fn subscribe_url(&self, gateway: &str, topic: &str) -> Option<String> {
        Some(format!("{}/{topic}", self.gateways.ntfy_server(gateway)?))
    }

    fn default_gateway(&self) -> &str {
        self.config.push.gateways.first().map_or("", String::as_str)
    }
}
