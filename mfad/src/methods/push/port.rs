//! How a login has a sign-in approval pushed to the user's phone and learns the answer,
//! without knowing ntfy or the approval page (the daemon plugs in the real sender).

use crate::config::Language;
use crate::methods::push::pin::PinHash;
use crate::oob::Verdict;
use std::future::Future;
use std::pin::Pin;

/// What the approval is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PushPurpose {
    Login,
    /// The test notification that links a phone (`mfa enroll push`).
    Enroll,
}

pub struct PushRequest<'a> {
    pub user: &'a str,
    pub gateway: &'a str,
    pub topic: &'a str,
    pub lang: Language,
    /// The number the page asks for (shown at the prompt or in the terminal).
    pub number: &'a str,
    /// Asked for on the page when set.
    pub pin: Option<&'a PinHash>,
    pub service: &'a str,
    pub rhost: &'a str,
    pub purpose: PushPurpose,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PushSent {
    /// Published; the answer is found under this token.
    Sent {
        token: String,
    },
    Failed,
}

pub trait PushSender: Send + Sync {
    fn send<'a>(
        &'a self,
        request: PushRequest<'a>,
    ) -> Pin<Box<dyn Future<Output = PushSent> + Send + 'a>>;
    /// The answer so far; `None` once it is gone (expired or closed).
    fn verdict(&self, token: &str) -> Option<Verdict>;
    fn close(&self, token: &str);
    /// Where a user subscribes to `topic` of `gateway` (the ntfy server's topic URL).
    fn subscribe_url(&self, gateway: &str, topic: &str) -> Option<String>;
    /// The gateway new enrollments use.
    fn default_gateway(&self) -> &str;
}
