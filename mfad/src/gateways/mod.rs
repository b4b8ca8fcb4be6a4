//! Sending texts and placing calls through the configured `[gateways.NAME]`, in the fallback
//! order a method lists them (`reference/gateways.md` §6.2):
//!
//! - `Transient` (timeout, connection error, 5xx, 429) and `ConfigOrAuth` (credentials, bad
//!   configuration): try the next gateway;
//! - `RecipientPermanent` (the number cannot get it) and `FraudOrPolicy` (a block): stop; no
//!   other gateway is tried.
//!
//! Every request is bounded by its gateway's `timeout` (the whole exchange, body included) and
//! reads at most 64 KiB of answer. Nothing here logs; the outcomes' texts never hold the
//! message, the code or the number, so the caller may log every [`Attempt`].
//!
//! One file per kind (`twilio`, `http`, `exec`); `transport` is the HTTP client they share,
//! `secrets` reads the `*_file` / `*_credential` secrets once, at start-up.

mod exec;
mod http;
mod ntfy;
mod outcome;
mod setup;
mod transport;
mod twilio;
pub mod twilio_signature;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

pub use mfa_config::secrets;
pub use ntfy::{Notification, valid_topic};
pub use outcome::{Attempt, Delivery, Outcome};
pub use setup::{Credentials, SetupProblem};
pub use transport::MAX_BODY_BYTES;
pub use twilio::MAX_TWIML_CHARS;

use crate::config::{Config, is_e164};

/// The configured gateways, with their secrets read, ready to send.
pub struct Gateways {
    client: reqwest::Client,
    entries: BTreeMap<String, Entry>,
}

struct Entry {
    timeout: Duration,
    kind: Kind,
}

enum Kind {
    Twilio(twilio::Twilio),
    Http(http::Http),
    Exec(exec::Exec),
    Ntfy(ntfy::Ntfy),
}

/// What is being delivered.
enum Request<'a> {
    Sms {
        to: &'a str,
        message: &'a str,
        code: &'a str,
    },
    Call {
        to: &'a str,
        call: &'a Call<'a>,
    },
    Push(&'a Notification<'a>),
}

/// A challenge call: what it runs and where the provider reports how it went.
#[derive(Debug, Clone, Copy)]
pub struct Call<'a> {
    /// Inline TwiML.
    pub twiml: &'a str,
    /// Receives the call's progress (`StatusCallback`), so an unanswered call ends promptly.
    pub status_callback: Option<&'a str>,
    /// How long it rings, in seconds.
    pub ring_seconds: u32,
}

impl Gateways {
    /// Sets up every `[gateways.NAME]` of `config`, reading each secret once.
    /// `credentials_dir` is `$CREDENTIALS_DIRECTORY` as the daemon found it at start-up. The
    /// error names the gateway and the file.
    pub fn from_config(config: &Config, credentials_dir: Option<&Path>) -> Result<Self, String> {
        Gateways::load(config, Credentials::Dir(credentials_dir)).map_err(|problems| {
            let lines: Vec<String> = problems
                .iter()
                .map(|p| format!("gateway {}: {}", p.gateway, p.message))
                .collect();
            lines.join("; ")
        })
    }

    /// The names of the gateways set up.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.entries.keys().map(String::as_str)
    }

    /// Sends `message` (which holds `code`; `http` and `exec` gateways may place `code` on its
    /// own) to `to_e164`, trying the gateways in `order`.
    pub async fn send_sms(
        &self,
        order: &[String],
        to_e164: &str,
        message: &str,
        code: &str,
    ) -> Delivery {
        let request = Request::Sms {
            to: to_e164,
            message,
            code,
        };
        self.deliver(order, &request).await
    }

    /// Places `call` to `to_e164`, trying the gateways in `order`; only `twilio` gateways can.
    pub async fn place_call(&self, order: &[String], to_e164: &str, call: &Call<'_>) -> Delivery {
        let request = Request::Call { to: to_e164, call };
        self.deliver(order, &request).await
    }

    /// Publishes `notification`, trying the gateways in `order`; only `ntfy` gateways can.
    pub async fn publish(&self, order: &[String], notification: &Notification<'_>) -> Delivery {
        self.deliver(order, &Request::Push(notification)).await
    }

    /// The server URL of an `ntfy` gateway (where users subscribe to their topic).
    pub fn ntfy_server(&self, name: &str) -> Option<&str> {
        match &self.entries.get(name)?.kind {
            Kind::Ntfy(n) => Some(n.base_url()),
            _ => None,
        }
    }

    /// The account SID and auth token of a `twilio` gateway: what its callbacks are signed with.
    pub fn twilio_account(&self, name: &str) -> Option<(&str, &secrets::Secret)> {
        match &self.entries.get(name)?.kind {
            Kind::Twilio(t) => Some(t.account()),
            _ => None,
        }
    }

    async fn deliver(&self, order: &[String], request: &Request<'_>) -> Delivery {
        let to = match request {
            Request::Sms { to, .. } | Request::Call { to, .. } => Some(*to),
            Request::Push(_) => None,
        };
        if to.is_some_and(|to| !is_e164(to)) {
            return Delivery {
                outcome: Outcome::RecipientPermanent("not an E.164 number".to_owned()),
                gateway: None,
                attempts: Vec::new(),
            };
        }
        let mut attempts: Vec<Attempt> = Vec::new();
        for name in order {
            let outcome = match self.entries.get(name) {
                Some(entry) => self.attempt(entry, request).await,
                None => Outcome::ConfigOrAuth("no such gateway".to_owned()),
            };
            let stop = !outcome.falls_back();
            attempts.push(Attempt {
                gateway: name.clone(),
                outcome,
            });
            if stop {
                break;
            }
        }
        Delivery::from_attempts(attempts)
    }

    async fn attempt(&self, entry: &Entry, request: &Request<'_>) -> Outcome {
        let (client, timeout) = (&self.client, entry.timeout);
        match (&entry.kind, request) {
            (Kind::Twilio(t), Request::Sms { to, message, .. }) => {
                t.send_sms(client, timeout, to, message).await
            }
            (Kind::Twilio(t), Request::Call { to, call }) => {
                t.place_call(client, timeout, to, call).await
            }
            (Kind::Http(h), Request::Sms { to, message, code }) => {
                h.send_sms(client, timeout, to, message, code).await
            }
            (Kind::Exec(e), Request::Sms { to, message, code }) => {
                e.send_sms(timeout, to, message, code).await
            }
            (Kind::Ntfy(n), Request::Push(notification)) => {
                n.publish(client, timeout, notification).await
            }
            (Kind::Http(_) | Kind::Exec(_) | Kind::Ntfy(_), Request::Call { .. }) => {
                Outcome::ConfigOrAuth("this kind of gateway cannot place calls".to_owned())
            }
            (Kind::Ntfy(_), Request::Sms { .. }) => {
                Outcome::ConfigOrAuth("this kind of gateway cannot send texts".to_owned())
            }
            (_, Request::Push(_)) => {
                Outcome::ConfigOrAuth("this kind of gateway cannot send notifications".to_owned())
            }
        }
    }
}
