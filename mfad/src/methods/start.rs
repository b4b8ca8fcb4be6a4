//! Starting the methods with the daemon: each plugs its way out (a gateway sender) into the
//! login context and hands back the web routes it answers, so `main.rs` and the web listener name no
//! method.

use crate::audit::Audit;
use crate::budgets::{BudgetLimits, BudgetStore, Budgets};
use crate::config::Config;
use crate::gateways::Gateways;
use crate::login_context::LoginContext;
use axum::Router;
use std::sync::Arc;

/// What the daemon hands every method at start.
pub struct Wiring {
    pub config: Arc<Config>,
    /// The configured gateways (secrets loaded); None when there are none.
    pub gateways: Option<Arc<Gateways>>,
    /// The send budgets texts and calls share; opened only when there are gateways.
    pub budgets: Option<Arc<dyn BudgetStore>>,
    pub audit: Arc<Audit>,
}

impl Wiring {
    /// Opens the budgets when gateways are configured (the error refuses the start): in the
    /// shared store when it has them (`shared`: PostgreSQL, fleet-wide), else the file ones.
    pub fn open(
        config: Arc<Config>,
        gateways: Option<Arc<Gateways>>,
        audit: Arc<Audit>,
        shared: Option<&dyn Fn(BudgetLimits) -> Arc<dyn BudgetStore>>,
    ) -> Result<Wiring, String> {
        let budgets = match &gateways {
            Some(_) => {
                let limits = crate::delivery::budget_limits(&config.budgets);
                Some(match shared {
                    Some(shared) => shared(limits),
                    None => {
                        let budgets = Budgets::open(&config.daemon.state_dir, limits)?;
                        Arc::new(budgets) as Arc<dyn BudgetStore>
                    }
                })
            }
            None => None,
        };
        Ok(Wiring {
            config,
            gateways,
            budgets,
            audit,
        })
    }
}

/// Starts every method; returns the web routes they contribute.
pub fn start_all(cx: &Arc<LoginContext>, wiring: &Wiring) -> Vec<Router> {
    super::all()
        .into_iter()
        .filter_map(|method| method.start(cx, wiring))
        .collect()
}
