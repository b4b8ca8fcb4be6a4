//! `kind = "http"`: a configurable HTTP SMS gateway. The fields are filled in value by value:
//! a JSON body is built as a JSON object (so quotes or braces in the text cannot change its
//! structure), a form or query string is encoded pair by pair.

use std::time::Duration;

use regex::Regex;
use reqwest::{Client, Method};
use url::Url;

use super::outcome::Outcome;
use super::secrets::Secret;
use super::transport::{self, Reply};
use crate::config::{FieldValue, HttpBody, HttpGateway, HttpMethod, templates};

pub(super) struct Http {
    config: HttpGateway,
    password: Option<Secret>,
    success: Option<Regex>,
    failure: Option<Regex>,
}

impl Http {
    pub fn new(config: &HttpGateway, password: Option<Secret>) -> Result<Self, String> {
        let compile = |p: &Option<String>| -> Result<Option<Regex>, String> {
            p.as_deref()
                .map(|p| {
                    regex::RegexBuilder::new(p)
                        .size_limit(1 << 20)
                        .build()
                        .map_err(|e| format!("pattern {p:?}: {e}"))
                })
                .transpose()
        };
        Url::parse(&config.url).map_err(|e| format!("url: {e}"))?;
        Ok(Http {
            success: compile(&config.success_pattern)?,
            failure: compile(&config.failure_pattern)?,
            config: config.clone(),
            password,
        })
    }

    pub async fn send_sms(
        &self,
        client: &Client,
        timeout: Duration,
        to: &str,
        message: &str,
        code: &str,
    ) -> Outcome {
        let phone = self.config.phone_format.apply(to);
        let values = [
            ("phone", phone.as_str()),
            ("message", message),
            ("code", code),
        ];
        let fill = |s: &String| templates::render(s, &values);
        let c = &self.config;
        let mut url = match Url::parse(&c.url) {
            Ok(u) => u,
            Err(_) => return Outcome::ConfigOrAuth("url does not parse".to_owned()),
        };
        let mut pairs: Vec<(String, String)> = Vec::new();
        let mut json = serde_json::Map::new();
        for (name, value) in &c.fields {
            match value {
                FieldValue::Text(s) => {
                    pairs.push((name.clone(), fill(s)));
                    json.insert(name.clone(), serde_json::Value::String(fill(s)));
                }
                FieldValue::List(items) => {
                    let filled: Vec<String> = items.iter().map(fill).collect();
                    pairs.extend(filled.iter().map(|v| (name.clone(), v.clone())));
                    json.insert(
                        name.clone(),
                        serde_json::Value::Array(
                            filled.into_iter().map(serde_json::Value::String).collect(),
                        ),
                    );
                }
            }
        }
        if c.body == HttpBody::Query {
            url.query_pairs_mut().extend_pairs(&pairs);
        }
        let json_bytes = match c.body {
            HttpBody::Json => match serde_json::to_vec(&serde_json::Value::Object(json)) {
                Ok(b) => b,
                Err(_) => return Outcome::ConfigOrAuth("cannot build the JSON body".to_owned()),
            },
            _ => Vec::new(),
        };
        let method = match c.method {
            HttpMethod::Post => Method::POST,
            HttpMethod::Get => Method::GET,
        };
        let build = || {
            let mut rb = client.request(method.clone(), url.clone());
            if let (Some((user, _)), Some(password)) = (&c.basic_auth, &self.password) {
                rb = rb.basic_auth(user, Some(password.expose()));
            }
            match c.body {
                HttpBody::Form => rb.form(&pairs),
                HttpBody::Json => rb
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .body(json_bytes.clone()),
                HttpBody::Query => rb,
            }
        };
        match transport::exchange(build, timeout).await {
            Ok(reply) => self.classify(&reply),
            Err(outcome) => outcome,
        }
    }

    /// Status in `success_status`, no `failure_pattern` match and a `success_pattern` match (if
    /// set): sent. A `failure_pattern` match (on any answer but 429 and 5xx): the number was
    /// refused.
    fn classify(&self, reply: &Reply) -> Outcome {
        let status = reply.status.as_u16();
        let body = String::from_utf8_lossy(&reply.body);
        let passing = reply.status.is_server_error() || status == 429;
        if !passing
            && let Some(failure) = &self.failure
            && failure.is_match(&body)
        {
            return Outcome::RecipientPermanent(format!(
                "HTTP {status}: the answer matched failure_pattern"
            ));
        }
        if !self.config.success_status.contains(&status) {
            return transport::status_outcome(reply.status);
        }
        if let Some(success) = &self.success
            && !success.is_match(&body)
        {
            return Outcome::Transient(format!(
                "HTTP {status}: the answer did not match success_pattern"
            ));
        }
        Outcome::Accepted { id: String::new() }
    }
}
