//! The daemon's Prometheus metrics (`[metrics] listen`, docs/metrics.md): one process-wide
//! registry of counters and a histogram (registry.rs), written out in the text format
//! (exposition.rs) by a small local-only endpoint (server.rs).
//!
//! Every label value is bounded: a method name of the protocol, an outcome word the code wrote,
//! a gateway name from the config. Never a user name, number or host, so a local user can
//! neither blow up the number of series nor read who logs in. The hooks below are what the rest
//! of the daemon calls, one line each where the outcome happens.

mod exposition;
mod registry;
mod server;

pub use exposition::render;
pub use server::{Endpoint, bind};

use registry::REGISTRY;
use std::time::Instant;

/// A login decision (granted, denied-wrong-code, locked ...) was made and audited.
pub fn decision(method: &str, outcome: &str) {
    REGISTRY.decision(method, outcome);
}

/// An account was locked after too many failures.
pub fn locked() {
    REGISTRY.inc_locks();
}

/// The store (or the budgets' store) failed during a login: the answer was "unavailable".
pub fn store_error() {
    REGISTRY.inc_store_errors();
}

/// One gateway attempt for a text or a call (`channel` "text"/"call") and how it ended.
pub fn gateway_attempt(channel: &str, gateway: &str, result: &str) {
    REGISTRY.gateway(channel, gateway, result);
}

/// A gateway failed and the next one in the list is tried.
pub fn gateway_fallback(channel: &str, gateway: &str) {
    REGISTRY.gateway(channel, gateway, "fallback");
}

/// Times one login request (an answer) until dropped: the login latency histogram.
pub fn answer_timer() -> AnswerTimer {
    AnswerTimer(crate::clock::now())
}

/// Observes the time since [`answer_timer`] when dropped, whichever way the answer ended.
pub struct AnswerTimer(Instant);

impl Drop for AnswerTimer {
    fn drop(&mut self) {
        REGISTRY.observe_answer(crate::clock::now().saturating_duration_since(self.0));
    }
}
