//! Linking a phone for push approvals: the daemon makes an unguessable ntfy topic, the user
//! subscribes to it in the ntfy app, and a test notification opens the approval page, where the
//! number shown in the terminal (and the PIN, if one was chosen) confirms it. Only then is the
//! method stored. The pending link is bound to the connection that asked.

use super::port::{PushPurpose, PushRequest, PushSender, PushSent};
use crate::login_context::{EnrollError, LoginContext, change_line};
use crate::methods::push::pin::{self, PinHash};
use crate::methods::random_code;
use crate::oob::Verdict;
use crate::sessions::Caller;
use crate::store::PushMethod;
use std::collections::HashMap;
use std::sync::Mutex;

#[derive(Clone)]
struct PendingLink {
    uid: u32,
    gateway: String,
    topic: String,
    pin: Option<PinHash>,
    token: String,
}

#[derive(Default)]
pub struct PendingLinks {
    map: Mutex<HashMap<String, PendingLink>>,
}

impl PendingLinks {
    pub fn forget(&self, sender: &str) {
        if let Ok(mut map) = self.map.lock() {
            map.remove(sender);
        }
    }
}

/// What `mfa enroll push` shows: where to subscribe, and the number to type on the page.
pub struct LinkStarted {
    pub subscribe_url: String,
    pub topic: String,
    pub number: String,
}

/// 160 random bits as a topic name: on an open ntfy server the topic is the password.
fn new_topic() -> Result<String, String> {
    let mut raw = [0u8; 20];
    getrandom::fill(&mut raw).map_err(|e| e.to_string())?;
    let hex = hex::encode(raw);
    Ok(format!("mfa_{hex}"))
}

/// Hash the PIN on the caller's heavy-work lane (Argon2id never runs on the bus workers).
async fn hash_pin(uid: u32, pin: &str) -> Result<PinHash, EnrollError> {
    let pin = pin.to_string();
    match crate::heavy::lanes()
        .run(uid, move || PinHash::new(&pin))
        .await
    {
        Ok(hashed) => hashed.map_err(EnrollError::Failed),
        Err(_) => Err(EnrollError::Failed(
            "the daemon is busy: try again in a moment".into(),
        )),
    }
}

/// Make a topic and send the test notification. `pin` is empty for none (refused when the
/// policy requires one).
pub async fn begin_push(
    cx: &LoginContext,
    links: &PendingLinks,
    caller: &Caller,
    user: &str,
    pin: &str,
) -> Result<LinkStarted, EnrollError> {
    let sender = cx.port::<dyn PushSender>().ok_or_else(|| {
        EnrollError::NotAllowed("push approvals are not set up on this system".into())
    })?;
    let pin = match pin.trim() {
        "" if cx.config().push.pin_required => {
            return Err(EnrollError::InvalidArgs(
                "a PIN is required here: choose 4 to 8 digits".into(),
            ));
        }
        "" => None,
        p if pin::valid(p) => Some(hash_pin(caller.uid, p).await?),
        _ => return Err(EnrollError::InvalidArgs("a PIN has 4 to 8 digits".into())),
    };
    let gateway = sender.default_gateway().to_owned();
    let topic = new_topic().map_err(EnrollError::Failed)?;
    let subscribe_url = sender
        .subscribe_url(&gateway, &topic)
        .ok_or_else(|| EnrollError::Failed("the push gateway is not an ntfy server".into()))?;
    let number = random_code(2).map_err(EnrollError::Failed)?;
    let lang = cx.lang_of(cx.own_record(user).await?.as_ref());
    let request = PushRequest {
        user,
        gateway: &gateway,
        topic: &topic,
        lang,
        number: &number,
        pin: pin.as_ref(),
        service: "mfa-enroll",
        rhost: "",
        purpose: PushPurpose::Enroll,
    };
    let PushSent::Sent { token } = sender.send(request).await else {
        return Err(EnrollError::Failed(
            "the test notification could not be sent".into(),
        ));
    };
    let pending = PendingLink {
        uid: caller.uid,
        gateway,
        topic: topic.clone(),
        pin,
        token,
    };
    if let Ok(mut map) = links.map.lock() {
        map.insert(caller.sender.clone(), pending);
    }
    Ok(LinkStarted {
        subscribe_url,
        topic,
        number,
    })
}

/// `"pending"` while the page is unanswered, `"linked"` once approved (the method is then
/// stored); an error when it was refused or expired.
pub async fn confirm_push(
    cx: &LoginContext,
    links: &PendingLinks,
    caller: &Caller,
    user: &str,
) -> Result<String, EnrollError> {
    let pending = links
        .map
        .lock()
        .ok()
        .and_then(|map| map.get(&caller.sender).cloned())
        .filter(|p| p.uid == caller.uid)
        .ok_or_else(|| EnrollError::InvalidArgs("no push link in progress: start again".into()))?;
    let sender = cx
        .port::<dyn PushSender>()
        .ok_or_else(|| EnrollError::Failed("push is off".into()))?;
    match sender.verdict(&pending.token) {
        Some(Verdict::Pending) => return Ok("pending".into()),
        Some(Verdict::Approved) => {}
        _ => {
            links.forget(&caller.sender);
            sender.close(&pending.token);
            return Err(EnrollError::InvalidArgs(
                "the phone was not linked: the page was denied, the number or PIN was \
                 wrong, or it expired. Start again."
                    .into(),
            ));
        }
    }
    links.forget(&caller.sender);
    sender.close(&pending.token);
    let method = PushMethod {
        gateway: pending.gateway,
        topic: pending.topic,
        pin: pending.pin,
        enrolled_at: cx.clock().unix_now(),
        ..PushMethod::default()
    };
    let line = change_line(caller, user, "enroll-push", "push");
    cx.change_record(
        user,
        crate::store::Missing::Create,
        Some(&line),
        move |record| {
            record.push = Some(method);
            Ok(())
        },
    )
    .await
    .map_err(EnrollError::Failed)?;
    cx.note_change(&line, user, "enroll-push", "push");
    Ok("linked".into())
}
