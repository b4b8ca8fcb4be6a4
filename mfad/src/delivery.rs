//! What texts and calls share on their way out: the budgets for the destination (per user,
//! number, prefix, country, and a tighter one for non-root callers), then the method's gateways
//! in order, each behind its own budget. Transient and configuration failures go to the next
//! gateway; a permanent failure for the number or a fraud/policy block stops at once. Every
//! attempt and fallback is logged, never a code.

use crate::audit::{Audit, Level};
use crate::budgets::BudgetStore;
use crate::budgets::{BudgetLimits, SendKey, Window};
use crate::config::BudgetConfig;
use crate::gateways::{Delivery, Outcome};
use std::future::Future;

/// Who and where a text or call goes to.
pub struct Destination<'a> {
    pub user: &'a str,
    pub e164: &'a str,
    pub region: &'a str,
    pub nonroot: bool,
}

/// How a delivery ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sent {
    /// Accepted by `gateway`, which gave it the id `id`.
    Accepted { gateway: String, id: String },
    /// A destination budget said no.
    Refused,
    /// The provider says the number cannot get it.
    Unreachable,
    /// Every gateway failed, or a fraud/policy block.
    Failed,
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

/// Reserve the destination's budgets, then try `order` with `attempt` (one gateway name each).
/// `what` ("text", "call") names the delivery in the log.
pub async fn deliver<F, Fut>(
    budgets: &dyn BudgetStore,
    audit: &Audit,
    what: &str,
    to: Destination<'_>,
    order: &[String],
    mut attempt: F,
) -> Sent
where
    F: FnMut(String) -> Fut,
    Fut: Future<Output = Delivery>,
{
    let (user, masked) = (to.user, crate::phone::mask(to.e164));
    match reserve_destination(budgets, &to).await {
        Ok(()) => {}
        Err(Some(scope)) => {
            let why = format!("{what} to {masked} for {user} refused by the {scope} budget");
            audit.log(Level::Warning, &why);
            return Sent::Refused;
        }
        Err(None) => return Sent::Failed,
    }
    for gateway in order {
        if !reserve_gateway(budgets, gateway).await {
            crate::metrics::gateway_attempt(what, gateway, "over-budget");
            let why = format!("gateway {gateway} is over its budget: skipped");
            audit.log(Level::Warning, &why);
            continue;
        }
        let delivery = attempt(gateway.clone()).await;
        let note = format!("{what} for {user} via {gateway}: {}", delivery.outcome);
        audit.log(Level::Info, &note);
        crate::metrics::gateway_attempt(what, gateway, delivery.outcome.class());
        match delivery.outcome {
            Outcome::Accepted { id } => {
                let gateway = gateway.clone();
                return Sent::Accepted { gateway, id };
            }
            Outcome::Transient(_) | Outcome::ConfigOrAuth(_) => {
                crate::metrics::gateway_fallback(what, gateway);
                let note = format!("falling back from gateway {gateway}");
                audit.log(Level::Notice, &note);
            }
            Outcome::RecipientPermanent(_) => return Sent::Unreachable,
            Outcome::FraudOrPolicy(_) => return Sent::Failed,
        }
    }
    Sent::Failed
}

/// `Err(Some(scope))` when a budget refused, `Err(None)` when they could not be read.
async fn reserve_destination(
    budgets: &dyn BudgetStore,
    to: &Destination<'_>,
) -> Result<(), Option<&'static str>> {
    let prefix = crate::phone::prefix(to.e164);
    let key = SendKey {
        user: to.user,
        number: to.e164,
        prefix: &prefix,
        country: to.region,
        nonroot: to.nonroot,
    };
    match budgets.reserve(key, crate::clock::unix_now()).await {
        Ok(()) => Ok(()),
        Err(crate::budgets::Refusal::Store(_)) => Err(None),
        Err(refusal) => Err(Some(refusal.as_str())),
    }
}

async fn reserve_gateway(budgets: &dyn BudgetStore, gateway: &str) -> bool {
    budgets
        .reserve_gateway(gateway, crate::clock::unix_now())
        .await
        .is_ok()
}
