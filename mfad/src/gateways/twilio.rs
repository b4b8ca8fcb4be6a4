//! `kind = "twilio"`: Programmable Messaging (`Messages.json`) and Voice (`Calls.json` with
//! inline TwiML), form-encoded, HTTP Basic auth with the account SID and auth token. Twilio's
//! error codes decide the outcome class (`reference/gateways.md` §1.4).

use std::time::Duration;

use reqwest::Client;

use super::Call;
use super::outcome::Outcome;
use super::secrets::Secret;
use super::transport::{self, Reply};
use crate::config::TwilioGateway;

/// Twilio's limit for inline `Twiml`, roughly.
pub const MAX_TWIML_CHARS: usize = 4000;

pub(super) struct Twilio {
    base_url: String,
    account_sid: String,
    auth_token: Secret,
    from: String,
    /// `ValidityPeriod` for texts, in seconds.
    validity: u64,
}

impl Twilio {
    pub fn new(config: &TwilioGateway, auth_token: Secret, validity: Duration) -> Self {
        Twilio {
            base_url: config.base_url.trim_end_matches('/').to_owned(),
            account_sid: config.account_sid.clone(),
            auth_token,
            from: config.from.clone(),
            validity: validity.as_secs().clamp(1, 14_400),
        }
    }

    pub async fn send_sms(
        &self,
        client: &Client,
        timeout: Duration,
        to: &str,
        message: &str,
    ) -> Outcome {
        let form = [
            ("To", to.to_owned()),
            ("From", self.from.clone()),
            ("Body", message.to_owned()),
            ("ValidityPeriod", self.validity.to_string()),
        ];
        self.create(client, timeout, "Messages", &form).await
    }

    pub async fn place_call(
        &self,
        client: &Client,
        timeout: Duration,
        to: &str,
        call: &Call<'_>,
    ) -> Outcome {
        if call.twiml.chars().count() > MAX_TWIML_CHARS {
            return Outcome::ConfigOrAuth(format!(
                "the TwiML is longer than {MAX_TWIML_CHARS} characters"
            ));
        }
        let mut form = vec![
            ("To", to.to_owned()),
            ("From", self.from.clone()),
            ("Twiml", call.twiml.to_owned()),
            ("Timeout", call.ring_seconds.clamp(5, 600).to_string()),
        ];
        if let Some(url) = call.status_callback {
            form.push(("StatusCallback", url.to_owned()));
            form.push(("StatusCallbackMethod", "POST".to_owned()));
            // Without these events an unanswered call never reports back.
            for event in ["initiated", "ringing", "answered", "completed"] {
                form.push(("StatusCallbackEvent", event.to_owned()));
            }
        }
        self.create(client, timeout, "Calls", &form).await
    }

    /// What this account's callbacks are signed with.
    pub fn account(&self) -> (&str, &Secret) {
        (&self.account_sid, &self.auth_token)
    }

    /// `POST {base}/2010-04-01/Accounts/{sid}/{resource}.json`.
    async fn create(
        &self,
        client: &Client,
        timeout: Duration,
        resource: &str,
        form: &[(&str, String)],
    ) -> Outcome {
        let url = format!(
            "{}/2010-04-01/Accounts/{}/{resource}.json",
            self.base_url, self.account_sid
        );
        let build = || {
            client
                .post(&url)
                .basic_auth(&self.account_sid, Some(self.auth_token.expose()))
                .header(reqwest::header::ACCEPT, "application/json")
                .form(form)
        };
        match transport::exchange(build, timeout).await {
            Ok(reply) => classify(&reply),
            Err(outcome) => outcome,
        }
    }
}

/// Twilio's answer to a create request, sorted.
pub(super) fn classify(reply: &Reply) -> Outcome {
    let json: Option<serde_json::Value> = if reply.truncated {
        None
    } else {
        serde_json::from_slice(&reply.body).ok()
    };
    let http = reply.status.as_u16();
    if reply.status.is_success() {
        let Some(json) = json else {
            return Outcome::Transient(format!("HTTP {http} without a JSON body"));
        };
        let sid = json.get("sid").and_then(|s| s.as_str()).unwrap_or("");
        if sid.is_empty() || sid.len() > 64 || !sid.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Outcome::Transient(format!("HTTP {http} without a valid sid"));
        }
        let status = json.get("status").and_then(|s| s.as_str()).unwrap_or("");
        if matches!(status, "failed" | "undelivered" | "canceled") {
            let code = json.get("error_code").and_then(serde_json::Value::as_u64);
            return match code.and_then(by_code) {
                Some(outcome) => outcome,
                None => Outcome::Transient(format!(
                    "twilio {sid} is {status} (error {})",
                    code.map_or("none".to_owned(), |c| c.to_string())
                )),
            };
        }
        return Outcome::Accepted { id: sid.to_owned() };
    }
    let code = json
        .as_ref()
        .and_then(|j| j.get("code"))
        .and_then(serde_json::Value::as_u64);
    if let Some(outcome) = code.and_then(by_code) {
        return outcome;
    }
    // An unknown code, or no Twilio error body: go by the HTTP status.
    match transport::status_outcome(reply.status) {
        Outcome::Transient(s) => Outcome::Transient(with_code(s, code)),
        Outcome::ConfigOrAuth(s) => Outcome::ConfigOrAuth(with_code(s, code)),
        other => other,
    }
}

fn with_code(s: String, code: Option<u64>) -> String {
    match code {
        Some(c) => format!("{s} (twilio error {c})"),
        None => s,
    }
}

/// The Twilio error codes that decide the class, with what they mean (for the log).
fn by_code(code: u64) -> Option<Outcome> {
    let text = |what: &str| format!("twilio error {code}: {what}");
    Some(match code {
        20003 => Outcome::ConfigOrAuth(text("credentials refused")),
        20404 => Outcome::ConfigOrAuth(text("account or resource not found")),
        21608 => Outcome::ConfigOrAuth(text("trial account, number not verified")),
        21612 => Outcome::ConfigOrAuth(text("this sender cannot reach this number")),
        21606 => Outcome::ConfigOrAuth(text("the From number cannot send texts")),
        20429 => Outcome::Transient(text("too many requests")),
        21211 => Outcome::RecipientPermanent(text("invalid To number")),
        21217 => Outcome::RecipientPermanent(text("invalid phone number")),
        13224 => Outcome::RecipientPermanent(text("invalid phone number")),
        21614 => Outcome::RecipientPermanent(text("not a mobile number")),
        21635 => Outcome::RecipientPermanent(text("landline")),
        21610 => Outcome::RecipientPermanent(text("recipient unsubscribed (STOP)")),
        30450 => Outcome::FraudOrPolicy(text("SMS pumping protection blocked it")),
        30453 => Outcome::FraudOrPolicy(text("SMS pumping protection blocked it")),
        60410 => Outcome::FraudOrPolicy(text("Fraud Guard blocked the prefix")),
        60605 => Outcome::FraudOrPolicy(text("geo permissions block the destination")),
        21216 => Outcome::FraudOrPolicy(text("call blocked: high-risk destination")),
        21408 => Outcome::FraudOrPolicy(text("texts to this region are not enabled")),
        21215 => Outcome::FraudOrPolicy(text("calls to this region are not enabled")),
        _ => return None,
    })
}
