//! `kind = "ntfy"`: a push notification published as JSON to the server's root URL
//! (`reference/gateways.md` §3.3), with an optional `Authorization: Bearer` access token. The
//! notification opens the daemon's approval page; the page, not the notification, decides.

use std::time::Duration;

use reqwest::Client;

use super::outcome::Outcome;
use super::secrets::Secret;
use super::transport;
use crate::config::NtfyGateway;

/// ntfy's limit for a message body.
const MAX_MESSAGE_BYTES: usize = 4096;

/// One notification to one topic.
#[derive(Debug, Clone, Copy)]
pub struct Notification<'a> {
    pub topic: &'a str,
    pub title: &'a str,
    pub message: &'a str,
    /// Opened when the notification is tapped (the approval page).
    pub click: &'a str,
    /// The label of the "open" button.
    pub open_label: &'a str,
}

pub(super) struct Ntfy {
    base_url: String,
    token: Option<Secret>,
}

impl Ntfy {
    pub fn new(config: &NtfyGateway, token: Option<Secret>) -> Self {
        Ntfy {
            base_url: config.base_url.trim_end_matches('/').to_owned(),
            token,
        }
    }

    /// The server's URL (users subscribe to `{base_url}/{topic}`).
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    pub async fn publish(
        &self,
        client: &Client,
        timeout: Duration,
        n: &Notification<'_>,
    ) -> Outcome {
        if !valid_topic(n.topic) {
            return Outcome::RecipientPermanent("not a valid ntfy topic".to_owned());
        }
        if n.message.len() > MAX_MESSAGE_BYTES {
            return Outcome::ConfigOrAuth("the message is too long for ntfy".to_owned());
        }
        let body = serde_json::json!({
            "topic": n.topic,
            "title": n.title,
            "message": n.message,
            "click": n.click,
            "priority": 4,
            "tags": ["lock"],
            "actions": [{"action": "view", "label": n.open_label, "url": n.click, "clear": true}],
        });
        let url = format!("{}/", self.base_url);
        let build = || {
            let request = client.post(&url).json(&body);
            match &self.token {
                Some(token) => request.bearer_auth(token.expose()),
                None => request,
            }
        };
        match transport::exchange(build, timeout).await {
            Ok(reply) => classify(&reply),
            Err(outcome) => outcome,
        }
    }
}

/// ntfy answers a publish with the message as JSON; anything else is not "sent".
fn classify(reply: &transport::Reply) -> Outcome {
    if !reply.status.is_success() {
        return transport::status_outcome(reply.status);
    }
    let json: Option<serde_json::Value> = serde_json::from_slice(&reply.body).ok();
    let id = json
        .as_ref()
        .and_then(|j| j.get("id"))
        .and_then(serde_json::Value::as_str)
        .filter(|id| !id.is_empty() && id.len() <= 64);
    match id {
        Some(id) => Outcome::Accepted { id: id.to_owned() },
        None => Outcome::Transient(format!(
            "HTTP {} without an ntfy message",
            reply.status.as_u16()
        )),
    }
}

/// ntfy's topic names: `[-_A-Za-z0-9]{1,64}`.
pub fn valid_topic(topic: &str) -> bool {
    (1..=64).contains(&topic.len())
        && topic
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_follow_ntfys_rules() {
        assert!(valid_topic("mfa_alice-0123"));
        assert!(!valid_topic("") && !valid_topic("a/b") && !valid_topic(&"a".repeat(65)));
    }
}
