//! Enrolling a phone number: validated (E.164, allowed country and number type), then proven
//! by a texted code before it is stored. The pending number is bound to the connection that
//! asked, short-lived, and has a few checks only.

use super::port::{SmsRequest, SmsSender, SmsSent};
use crate::config::Config;
use crate::login_context::{EnrollError, LoginContext, change_line};
use crate::methods::random_code;
use crate::phone::{self, Channel, NumberKind, PhonePolicy};
use crate::sessions::Caller;
use crate::store::PhoneMethod;
use std::collections::HashMap;
use std::sync::Mutex;

#[derive(Clone)]
struct PendingPhone {
    uid: u32,
    e164: String,
    region: String,
    code: String,
    expires: u64,
    checks_left: u32,
}

#[derive(Default)]
pub struct PendingPhones {
    map: Mutex<HashMap<String, PendingPhone>>,
}

impl PendingPhones {
    pub fn forget(&self, sender: &str) {
        if let Ok(mut map) = self.map.lock() {
            map.remove(sender);
        }
    }
}

/// The `[phone]` table as the phone module's policy.
pub fn policy(config: &Config) -> PhonePolicy {
    let kinds = |types: &[crate::config::NumberType]| {
        types
            .iter()
            .filter_map(|t| t.as_str().parse::<NumberKind>().ok())
            .collect()
    };
    PhonePolicy {
        allowed_countries: config.phone.allowed_countries.clone(),
        sms_types: kinds(&config.phone.sms_types),
        voice_types: kinds(&config.phone.voice_types),
    }
}

/// Validate `number` and text it a code; returns the masked number.
pub async fn begin_phone(
    cx: &LoginContext,
    phones: &PendingPhones,
    caller: &Caller,
    user: &str,
    number: &str,
) -> Result<String, EnrollError> {
    let config = cx.config();
    let parsed = phone::parse(number, &policy(&config), Channel::Sms)
        .map_err(|e| EnrollError::InvalidArgs(e.to_string()))?;
    let sender = cx.port::<dyn SmsSender>().ok_or_else(|| {
        EnrollError::NotAllowed("text messages are not set up on this system".into())
    })?;
    let code = random_code(config.sms.code_length as usize).map_err(EnrollError::Failed)?;
    let lang = cx.lang_of(cx.own_record(user).await?.as_ref());
    let request = SmsRequest {
        user,
        e164: &parsed.e164,
        region: &parsed.region,
        code: &code,
        lang,
        // Enrolling one's own number is not a screen unlock: it counts against the user's,
        // number's, prefix's, country's and gateway's budgets, not the non-root unlock budget
        // (else enrolling spends the texts a screen locker needs this hour).
        nonroot: false,
    };
    match sender.send(request).await {
        SmsSent::Sent => {}
        SmsSent::Refused => {
            return Err(EnrollError::NotAllowed(
                "no more text messages can be sent right now; try again later".into(),
            ));
        }
        SmsSent::Unreachable => {
            return Err(EnrollError::InvalidArgs(
                "text messages cannot reach this number".into(),
            ));
        }
        SmsSent::Failed => {
            return Err(EnrollError::Failed(
                "the text message could not be sent".into(),
            ));
        }
    }
    let pending = PendingPhone {
        uid: caller.uid,
        e164: parsed.e164.clone(),
        region: parsed.region,
        code,
        expires: cx.clock().unix_now() + config.sms.code_lifetime.as_secs(),
        checks_left: config.sms.max_checks,
    };
    if let Ok(mut map) = phones.map.lock() {
        map.insert(caller.sender.clone(), pending);
    }
    Ok(phone::mask(&parsed.e164))
}

/// Store the pending number if `code` is the one texted to it.
pub async fn confirm_phone(
    cx: &LoginContext,
    phones: &PendingPhones,
    caller: &Caller,
    user: &str,
    code: &str,
) -> Result<bool, EnrollError> {
    let code = mfa_proto::normalize_code(code.as_bytes())
        .map_err(|e| EnrollError::InvalidArgs(e.to_string()))?;
    let no_pending = || {
        EnrollError::InvalidArgs(
            "no phone enrollment in progress (or too many wrong codes): start again".into(),
        )
    };
    let pending = {
        let mut map = phones.map.lock().map_err(|_| no_pending())?;
        let entry = map
            .get_mut(&caller.sender)
            .filter(|p| p.uid == caller.uid && p.expires > cx.clock().unix_now())
            .ok_or_else(no_pending)?;
        let right = bool::from(subtle::ConstantTimeEq::ct_eq(
            entry.code.as_bytes(),
            code.as_bytes(),
        ));
        entry.checks_left = entry.checks_left.saturating_sub(1);
        if !right {
            if entry.checks_left == 0 {
                map.remove(&caller.sender);
            }
            return Ok(false);
        }
        map.remove(&caller.sender).ok_or_else(no_pending)?
    };
    let method = PhoneMethod {
        e164: pending.e164,
        region: pending.region,
        verified_at: cx.clock().unix_now(),
    };
    let line = change_line(caller, user, "enroll-phone", "sms");
    cx.change_record(
        user,
        crate::store::Missing::Create,
        Some(&line),
        move |record| {
            record.phone = Some(method);
            Ok(())
        },
    )
    .await
    .map_err(EnrollError::Failed)?;
    cx.note_change(&line, user, "enroll-phone", "sms");
    Ok(true)
}
