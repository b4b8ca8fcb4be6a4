//! How a login has a challenge call placed and learns how it went, without knowing gateways,
//! budgets or the web listener (the daemon plugs in the real placer; tests can plug in theirs).

use crate::config::Language;
use crate::oob::Verdict;
use std::future::Future;
use std::pin::Pin;

pub struct CallRequest<'a> {
    pub user: &'a str,
    /// Canonical E.164.
    pub e164: &'a str,
    pub region: &'a str,
    pub lang: Language,
    /// A non-root caller (a screen locker) gets a tighter budget.
    pub nonroot: bool,
    /// The digits the callee must type (number matching); `None` means "press #".
    pub digits: Option<&'a str>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallPlaced {
    /// Ringing; its outcome is found under this token.
    Placed { token: String },
    /// A budget said no (which one is logged, not shown).
    Refused,
    /// The provider says this number cannot be called: offer another method.
    Unreachable,
    /// Every gateway failed, or a fraud/policy block.
    Failed,
}

pub trait CallPlacer: Send + Sync {
    fn place<'a>(
        &'a self,
        request: CallRequest<'a>,
    ) -> Pin<Box<dyn Future<Output = CallPlaced> + Send + 'a>>;
    /// How the call under `token` went so far; `None` once it is gone (expired or closed).
    fn verdict(&self, token: &str) -> Option<Verdict>;
    /// The login no longer waits for this call.
    fn close(&self, token: &str);
}
