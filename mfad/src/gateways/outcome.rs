//! What one attempt at a gateway came to, sorted into the classes that decide the fallback
//! (`reference/gateways.md` §6.2). The texts are safe to log: they never hold the message, the
//! code, the phone number or anything the provider wrote back.

use std::fmt;

/// The result of one attempt, or of a whole delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The provider took the message or call. `id` is its reference (Twilio's `SM…`/`CA…`
    /// sid), or "" when the kind has none.
    Accepted { id: String },
    /// Timeout, connection failure, 5xx, 429: try the next gateway.
    Transient(String),
    /// Our credentials or configuration were refused: try the next gateway (and tell the admin).
    ConfigOrAuth(String),
    /// This number cannot get it (invalid, landline, unsubscribed): stop; offer another method.
    RecipientPermanent(String),
    /// A fraud or policy block: stop, never another gateway (that would defeat the block).
    FraudOrPolicy(String),
}

impl Outcome {
    pub fn is_accepted(&self) -> bool {
        matches!(self, Outcome::Accepted { .. })
    }

    /// Whether the next gateway in the list should be tried after this.
    pub fn falls_back(&self) -> bool {
        matches!(self, Outcome::Transient(_) | Outcome::ConfigOrAuth(_))
    }

    /// A stable word for logs and audit records.
    pub fn class(&self) -> &'static str {
        match self {
            Outcome::Accepted { .. } => "accepted",
            Outcome::Transient(_) => "transient",
            Outcome::ConfigOrAuth(_) => "config_or_auth",
            Outcome::RecipientPermanent(_) => "recipient_permanent",
            Outcome::FraudOrPolicy(_) => "fraud_or_policy",
        }
    }

    /// The detail: the id when accepted, else why not.
    pub fn detail(&self) -> &str {
        match self {
            Outcome::Accepted { id } => id,
            Outcome::Transient(s)
            | Outcome::ConfigOrAuth(s)
            | Outcome::RecipientPermanent(s)
            | Outcome::FraudOrPolicy(s) => s,
        }
    }
}

/// `class: detail`, e.g. `transient: HTTP 503` or `accepted: SM0123…`.
impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.detail().is_empty() {
            f.write_str(self.class())
        } else {
            write!(f, "{}: {}", self.class(), self.detail())
        }
    }
}

/// One gateway tried, for the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    pub gateway: String,
    pub outcome: Outcome,
}

/// A whole delivery: the final outcome, the gateway that gave it (`None` when no gateway was
/// tried), and every attempt in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub outcome: Outcome,
    pub gateway: Option<String>,
    pub attempts: Vec<Attempt>,
}

impl Delivery {
    /// The delivery the last attempt decided (no attempt: nothing was configured).
    pub fn from_attempts(attempts: Vec<Attempt>) -> Delivery {
        match attempts.last() {
            Some(last) => Delivery {
                outcome: last.outcome.clone(),
                gateway: Some(last.gateway.clone()),
                attempts,
            },
            None => Delivery {
                outcome: Outcome::ConfigOrAuth("no gateway is configured".to_owned()),
                gateway: None,
                attempts,
            },
        }
    }
}
