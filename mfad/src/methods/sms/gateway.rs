//! Sending a texted code for real: the destination's budgets, then the `[sms]` gateways in
//! order (`delivery`). The message is rendered from the config; the code is never logged.

use super::port::{SmsRequest, SmsSender, SmsSent};
use crate::audit::Audit;
use crate::budgets::BudgetStore;
use crate::config::Config;
use crate::delivery::{self, Destination, Sent};
use crate::gateways::Gateways;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

pub struct GatewaySms {
    gateways: Arc<Gateways>,
    budgets: Arc<dyn BudgetStore>,
    config: Arc<Config>,
    audit: Arc<Audit>,
}

impl GatewaySms {
    /// `None` when no SMS gateway is configured (text messages are off).
    pub fn new(
        config: Arc<Config>,
        gateways: Arc<Gateways>,
        budgets: Arc<dyn BudgetStore>,
        audit: Arc<Audit>,
    ) -> Option<GatewaySms> {
        (!config.sms.gateways.is_empty()).then_some(GatewaySms {
            gateways,
            budgets,
            config,
            audit,
        })
    }

    async fn deliver(&self, r: SmsRequest<'_>) -> SmsSent {
        let message = self.config.sms.render(r.code, &self.config.totp.issuer);
        let to = Destination {
            user: r.user,
            e164: r.e164,
            region: r.region,
            nonroot: r.nonroot,
        };
        let (gateways, message) = (&self.gateways, &message);
        let sent = delivery::deliver(
            self.budgets.as_ref(),
            &self.audit,
            "text",
            to,
            &self.config.sms.gateways,
            |gateway| async move {
                let one = std::slice::from_ref(&gateway);
                gateways.send_sms(one, r.e164, message, r.code).await
            },
        )
        .await;
        match sent {
            Sent::Accepted { .. } => SmsSent::Sent,
            Sent::Refused => SmsSent::Refused,
            Sent::Unreachable => SmsSent::Unreachable,
            Sent::Failed => SmsSent::Failed,
        }
    }
}

impl SmsSender for GatewaySms {
    fn send<'a>(
        &'a self,
        request: SmsRequest<'a>,
    ) -> Pin<Box<dyn Future<Output = SmsSent> + Send + 'a>> {
        Box::pin(self.deliver(request))
    }
}
