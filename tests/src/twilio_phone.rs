//! The callee of a call placed through the Twilio stub, acting as Twilio does: it reads the
//! call's TwiML, and posts the keypad answer and the call's status to the URLs the daemon gave,
//! signed with `X-Twilio-Signature` (computed here independently of the daemon, and checked
//! against Twilio's published example).

use crate::twilio_stub::{TwilioStub, base64};
use hmac::{KeyInit, Mac};

/// A call the stub accepted.
#[derive(Debug, Clone)]
pub struct PlacedCall {
    pub to: String,
    pub twiml: String,
    /// `<Gather action>`: where the keys pressed go.
    pub action: String,
    pub status_callback: String,
    pub call_sid: String,
    pub account_sid: String,
    pub auth_token: String,
}

impl TwilioStub {
    /// The calls accepted so far, oldest first.
    pub fn calls(&self) -> Vec<PlacedCall> {
        self.received()
            .into_iter()
            .filter(|r| !r.sid.is_empty() && r.path.ends_with("/Calls.json"))
            .map(|r| {
                let twiml = r.field("Twiml").unwrap_or_default().to_string();
                PlacedCall {
                    to: r.field("To").unwrap_or_default().to_string(),
                    action: attribute(&twiml, "action").unwrap_or_default(),
                    status_callback: r.field("StatusCallback").unwrap_or_default().to_string(),
                    twiml,
                    call_sid: r.sid.clone(),
                    account_sid: self.account_sid.clone(),
                    auth_token: self.auth_token.clone(),
                }
            })
            .collect()
    }
}

impl PlacedCall {
    /// The callee presses `keys` (what Twilio then posts as `Digits`). Returns the HTTP status
    /// and the TwiML the daemon answered.
    pub fn press(&self, keys: &str) -> (u16, String) {
        let params = self.params(&[("Digits", keys), ("CallStatus", "in-progress")]);
        twilio_post(
            &self.action,
            &params,
            Some(&self.sign(&self.action, &params)),
        )
    }

    /// The call reaches `status` ("no-answer", "busy", "completed", …).
    pub fn report(&self, status: &str) -> u16 {
        let params = self.params(&[("CallStatus", status)]);
        let signature = self.sign(&self.status_callback, &params);
        twilio_post(&self.status_callback, &params, Some(&signature)).0
    }

    /// The fields Twilio sends with every call callback.
    pub fn params(&self, extra: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut params = vec![
            ("AccountSid".to_string(), self.account_sid.clone()),
            ("CallSid".to_string(), self.call_sid.clone()),
            ("From".to_string(), "+15005550006".to_string()),
            ("To".to_string(), self.to.clone()),
            ("Direction".to_string(), "outbound-api".to_string()),
            ("ApiVersion".to_string(), "2010-04-01".to_string()),
        ];
        params.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        params
    }

    pub fn sign(&self, url: &str, params: &[(String, String)]) -> String {
        twilio_signature(&self.auth_token, url, params)
    }
}

/// `X-Twilio-Signature`: base64(HMAC-SHA1(auth token, URL + sorted name/value pairs)).
pub fn twilio_signature(auth_token: &str, url: &str, params: &[(String, String)]) -> String {
    let mut sorted = params.to_vec();
    sorted.sort();
    let mut mac =
        hmac::Hmac::<sha1::Sha1>::new_from_slice(auth_token.as_bytes()).expect("any key length");
    mac.update(url.as_bytes());
    for (k, v) in &sorted {
        mac.update(k.as_bytes());
        mac.update(v.as_bytes());
    }
    base64(&mac.finalize().into_bytes())
}

/// POST a form to a loopback `http://` URL as Twilio does; returns the status and the body.
pub fn twilio_post(
    url: &str,
    params: &[(String, String)],
    signature: Option<&str>,
) -> (u16, String) {
    let mut headers = vec![("User-Agent", "TwilioProxy/1.1")];
    if let Some(s) = signature {
        headers.push(("X-Twilio-Signature", s));
    }
    let r = crate::web_client::web_post_form(url, params, &headers);
    (r.status, r.body)
}

/// The value of `name="…"` in the first tag that has it, with `&amp;` undone.
pub fn attribute(xml: &str, name: &str) -> Option<String> {
    let start = xml.find(&format!(" {name}=\""))? + name.len() + 3;
    let end = start + xml[start..].find('"')?;
    Some(xml[start..end].replace("&amp;", "&"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_matches_twilios_published_example() {
        let params: Vec<(String, String)> = [
            ("CallSid", "CA1234567890ABCDE"),
            ("Caller", "+14158675309"),
            ("Digits", "1234"),
            ("From", "+14158675309"),
            ("To", "+18005551212"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let url = "https://mycompany.com/myapp.php?foo=1&bar=2";
        assert_eq!(
            twilio_signature("12345", url, &params),
            "RSOYDt4T1cUTdK1PDd93/VVr8B8="
        );
    }
}
