//! Sending a texted code for real: the budgets first (per user, number, prefix, country, and a
//! tighter one for non-root callers), then the method's gateways in order, each behind its own
//! budget. Transient and configuration failures go to the next gateway; a permanent failure for
//! the number or a fraud/policy block stops at once. Every attempt is logged, never the code.

use crate::audit::{Audit, Level};
use crate::auth::{SmsRequest, SmsSender, SmsSent, unix_now};
use crate::budgets::{BudgetLimits, Budgets, SendKey, Window};
use crate::config::{BudgetConfig, Config};
use crate::gateways::{Gateways, Outcome};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

pub struct GatewaySms {
    gateways: Gateways,
    budgets: Arc<Budgets>,
    order: Vec<String>,
    config: Arc<Config>,
    audit: Arc<Audit>,
}

pub fn budget_limits(b: &BudgetConfig) -> BudgetLimits {
    let w = |hour, day| Window { hour, day };
    BudgetLimits {
        user: w(b.user_hour, b.user_day),
        number: w(b.number_hour, b.number_day),
        prefix: w(b.prefix_hour, b.prefix_day),
        country: w(b.country_hour, b.country_day),
        gateway: w(b.gateway_hour, b.gateway_day),
        nonroot_user: w(b.nonroot_user_hour, b.nonroot_user_day),
    }
}

impl GatewaySms {
    /// `None` when no SMS gateway is configured (text messages are off).
    pub fn new(
        config: Arc<Config>,
        gateways: Gateways,
        budgets: Arc<Budgets>,
        audit: Arc<Audit>,
    ) -> Option<GatewaySms> {
        let order = config.sms.gateways.clone();
        (!order.is_empty()).then_some(GatewaySms {
            gateways,
            budgets,
            order,
            config,
            audit,
        })
    }

    async fn deliver(&self, r: SmsRequest<'_>) -> SmsSent {
        let prefix = crate::phone::prefix(r.e164);
        let budgets = self.budgets.clone();
        let (user, number, country, nonroot) = (
            r.user.to_string(),
            r.e164.to_string(),
            r.region.to_string(),
            r.nonroot,
        );
        let reserved = tokio::task::spawn_blocking(move || {
            let key = SendKey {
                user: &user,
                number: &number,
                prefix: &prefix,
                country: &country,
                nonroot,
            };
            budgets.reserve(&key, unix_now())
        })
        .await;
        match reserved {
            Ok(Ok(())) => {}
            Ok(Err(refusal)) => {
                self.audit.log(
                    Level::Warning,
                    &format!(
                        "text to {} for {} refused by the {} budget",
                        crate::phone::mask(r.e164),
                        r.user,
                        refusal.as_str()
                    ),
                );
                return SmsSent::Refused;
            }
            Err(_) => return SmsSent::Failed,
        }
        let message = self.config.sms.render(r.code, &self.config.totp.issuer);
        for gateway in &self.order {
            let budgets = self.budgets.clone();
            let name = gateway.clone();
            if !matches!(
                tokio::task::spawn_blocking(move || budgets.reserve_gateway(&name, unix_now()))
                    .await,
                Ok(Ok(()))
            ) {
                self.audit.log(
                    Level::Warning,
                    &format!("gateway {gateway} is over its budget: skipped"),
                );
                continue;
            }
            let delivery = self
                .gateways
                .send_sms(std::slice::from_ref(gateway), r.e164, &message, r.code)
                .await;
            self.audit.log(
                Level::Info,
                &format!("text for {} via {gateway}: {}", r.user, delivery.outcome),
            );
            match delivery.outcome {
                Outcome::Accepted { .. } => return SmsSent::Sent,
                Outcome::Transient(_) | Outcome::ConfigOrAuth(_) => {
                    self.audit.log(
                        Level::Notice,
                        &format!("falling back from gateway {gateway}"),
                    );
                    continue;
                }
                Outcome::RecipientPermanent(_) => return SmsSent::Unreachable,
                Outcome::FraudOrPolicy(_) => return SmsSent::Failed,
            }
        }
        SmsSent::Failed
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
