//! The provider's callbacks for a challenge call, free of HTTP so they can be tested directly.
//! Each is authenticated (`X-Twilio-Signature` with the auth token of the gateway that placed
//! the call, over the exact URL it was given) and bound to its one call: the token in the URL,
//! the account and the call's SID must all match. The keypad answer decides the call once.

use super::{GatewayVoice, PendingCall, twiml};
use crate::audit::Level;
use crate::gateways::twilio_signature;
use crate::oob::{Undecided, Verdict};

/// Which callback.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hook {
    /// `<Gather action=…>`: the keys pressed.
    Keypad,
    /// `StatusCallback`: ringing, answered, busy, no-answer, completed…
    Status,
}

impl Hook {
    /// The path of the callback before its token, as the web listener routes it.
    pub fn path_prefix(self) -> &'static str {
        match self {
            Hook::Keypad => "/twilio/voice/",
            Hook::Status => "/twilio/call-status/",
        }
    }
}

/// The HTTP answer to a callback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    /// TwiML for the call, or empty.
    pub twiml: String,
}

impl Reply {
    fn empty(status: u16) -> Reply {
        Reply {
            status,
            twiml: String::new(),
        }
    }
}

impl GatewayVoice {
    /// Handle one callback: `params` is the form body, `signature` the header (if any).
    pub fn callback(
        &self,
        hook: Hook,
        token: &str,
        params: &[(String, String)],
        signature: Option<&str>,
    ) -> Reply {
        let well_formed = token.len() == 32 && token.bytes().all(|b| b.is_ascii_hexdigit());
        let Some(call) = well_formed.then(|| self.calls.detail(token)).flatten() else {
            return Reply::empty(404);
        };
        if let Err(why) = self.authenticate(hook, token, &call, params, signature) {
            let note = format!("refused a call callback for {}: {why}", call.user);
            self.audit.log(Level::Warning, &note);
            return Reply::empty(403);
        }
        match hook {
            Hook::Keypad => self.keypad(token, &call, param(params, "Digits")),
            Hook::Status => self.status(token, &call, param(params, "CallStatus")),
        }
    }

    fn authenticate(
        &self,
        hook: Hook,
        token: &str,
        call: &PendingCall,
        params: &[(String, String)],
        signature: Option<&str>,
    ) -> Result<(), &'static str> {
        let (Some(gateway), Some(call_sid)) = (&call.gateway, &call.call_sid) else {
            return Err("the call is not placed yet");
        };
        let Some((account_sid, auth_token)) = self.gateways.twilio_account(gateway) else {
            return Err("its gateway cannot sign callbacks");
        };
        let signature = signature.ok_or("no X-Twilio-Signature")?;
        let url = self.callback_url(hook, token);
        let key = auth_token.expose().as_bytes();
        if !twilio_signature::verify(key, &url, params, signature) {
            return Err("bad X-Twilio-Signature");
        }
        if param(params, "AccountSid") != Some(account_sid) {
            return Err("another account");
        }
        if param(params, "CallSid") != Some(call_sid.as_str()) {
            return Err("another call");
        }
        Ok(())
    }

    fn keypad(&self, token: &str, call: &PendingCall, digits: Option<&str>) -> Reply {
        let expected = call.digits.as_deref().unwrap_or("#");
        let typed = digits.unwrap_or("");
        let right = bool::from(subtle::ConstantTimeEq::ct_eq(
            typed.as_bytes(),
            expected.as_bytes(),
        ));
        let verdict = if right {
            Verdict::Approved
        } else {
            Verdict::Rejected
        };
        match self.calls.decide(token, verdict) {
            Ok(()) => {
                let outcome = if right { "confirmed" } else { "wrong keys" };
                let note = format!("call for {}: {outcome}", call.user);
                self.audit.log(Level::Info, &note);
                Reply {
                    status: 200,
                    twiml: twiml::result(call.lang, right),
                }
            }
            // A second answer on the same call changes nothing.
            Err(Undecided::AlreadyDecided) | Err(Undecided::Unknown) => Reply {
                status: 409,
                twiml: twiml::hang_up().to_owned(),
            },
        }
    }

    fn status(&self, token: &str, call: &PendingCall, status: Option<&str>) -> Reply {
        // "completed" after a keypad answer finds it decided already: nothing changes.
        if matches!(
            status,
            Some("busy" | "failed" | "no-answer" | "canceled" | "completed")
        ) && self.calls.decide(token, Verdict::Unanswered).is_ok()
        {
            let note = format!(
                "call for {} ended unanswered ({})",
                call.user,
                status.unwrap_or("")
            );
            self.audit.log(Level::Info, &note);
        }
        Reply::empty(204)
    }
}

fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}
