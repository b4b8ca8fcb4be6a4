//! How a login asks for a text message to be sent, without knowing gateways or budgets
//! (the daemon plugs in the real sender; tests can plug in their own).

use crate::config::Language;
use std::future::Future;
use std::pin::Pin;

pub struct SmsRequest<'a> {
    pub user: &'a str,
    /// Canonical E.164.
    pub e164: &'a str,
    pub region: &'a str,
    pub code: &'a str,
    pub lang: Language,
    /// A non-root caller (a screen locker) gets a tighter budget.
    pub nonroot: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmsSent {
    Sent,
    /// A budget said no (which one is logged, not shown).
    Refused,
    /// The provider says this number cannot get texts: offer another method.
    Unreachable,
    /// Every gateway failed, or a fraud/policy block.
    Failed,
}

pub trait SmsSender: Send + Sync {
    fn send<'a>(
        &'a self,
        request: SmsRequest<'a>,
    ) -> Pin<Box<dyn Future<Output = SmsSent> + Send + 'a>>;
}
