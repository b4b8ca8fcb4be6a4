//! The module's whole job, free of libpam and D-Bus so it can be tested with fakes: start a
//! session, render each step the daemon returns, send answers back, and say how it ended.

use mfa_proto::{Step, normalize_answer};
use std::time::Duration;
use zeroize::Zeroizing;

/// At most this many steps in one login; a daemon that never finishes cannot hold sshd forever.
const MAX_STEPS: usize = 64;
/// Upper bound on all `Wait` sleeps in one login (the daemon's own deadline is shorter).
const MAX_TOTAL_WAIT: Duration = Duration::from_secs(600);

/// Who is logging in, as libpam told the module.
#[derive(Debug, Clone, Default)]
pub struct LoginContext {
    pub user: String,
    pub service: String,
    pub rhost: String,
    pub tty: String,
}

/// The user's side of the conversation.
pub trait Conversation {
    /// Ask and return the typed answer; `None` when the conversation failed.
    fn ask(&mut self, text: &str, echo: bool) -> Option<Zeroizing<Vec<u8>>>;
    /// Show an error line (shown with the next prompt or at the end of the login).
    fn show_error(&mut self, text: &str);
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientError {
    /// No bus socket, no bus handshake, or nobody owning the name: the daemon is down.
    Unreachable(String),
    /// The daemon owns the name but did not answer a call in time (or went away during it).
    /// A slow daemon is not a down one: this never fails open (an attacker can slow it).
    NoAnswer(String),
    /// The bus name is owned by a process of an unexpected uid.
    WrongOwner(u32),
    /// The daemon answered something that is not a valid step.
    Malformed(String),
    /// The daemon refused the call.
    Refused(String),
}

impl std::fmt::Display for ClientError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ClientError::Unreachable(e) => write!(f, "mfad unreachable: {e}"),
            ClientError::NoAnswer(e) => write!(f, "mfad did not answer: {e}"),
            ClientError::WrongOwner(uid) => {
                write!(f, "org.mfa.Mfad1 is owned by unexpected uid {uid}")
            }
            ClientError::Malformed(e) => write!(f, "malformed reply from mfad: {e}"),
            ClientError::Refused(e) => write!(f, "mfad refused the call: {e}"),
        }
    }
}

/// The daemon, as the flow needs it.
#[allow(async_fn_in_trait)]
pub trait Daemon {
    async fn start(&mut self, ctx: &LoginContext) -> Result<(String, Step), ClientError>;
    async fn answer(&mut self, session: &str, answer: &str) -> Result<Step, ClientError>;
    async fn poll(&mut self, session: &str) -> Result<Step, ClientError>;
    async fn cancel(&mut self, session: &str);
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Granted,
    Denied,
    Locked,
    NotEnrolled,
    /// The daemon was never reached and nothing was asked: no bus socket, no bus handshake, or
    /// nobody owning the name. The only outcome `failmode=open` may let through.
    Unreachable {
        reason: String,
    },
    /// The daemon could not be believed (wrong owner, malformed or refused reply) or was lost
    /// after the challenge started.
    Unavailable {
        reason: String,
    },
    /// The daemon itself said it cannot decide now.
    DaemonUnavailable,
    ConversationFailed,
    /// The user typed something that is not a code; refused before it crossed the bus.
    BadInput,
}

/// Run one login. `sleep` is how a `Wait` step waits (real sleep in the module, none in tests).
pub async fn run(
    ctx: &LoginContext,
    conv: &mut dyn Conversation,
    daemon: &mut impl Daemon,
    sleep: &dyn Fn(Duration),
) -> Outcome {
    let (session, mut step) = match daemon.start(ctx).await {
        Ok(started) => started,
        Err(e @ ClientError::Unreachable(_)) => {
            return Outcome::Unreachable {
                reason: e.to_string(),
            };
        }
        Err(e) => {
            return Outcome::Unavailable {
                reason: e.to_string(),
            };
        }
    };
    let mut waited = Duration::ZERO;
    for _ in 0..MAX_STEPS {
        let next = match step {
            Step::Granted => return Outcome::Granted,
            Step::NotEnrolled => return Outcome::NotEnrolled,
            Step::Denied { text } => return finish(conv, &text, Outcome::Denied),
            Step::Locked { text } => return finish(conv, &text, Outcome::Locked),
            Step::Unavailable { text } => return finish(conv, &text, Outcome::DaemonUnavailable),
            Step::Prompt { text, echo, digits } => {
                let Some(typed) = conv.ask(&text, echo) else {
                    daemon.cancel(&session).await;
                    return Outcome::ConversationFailed;
                };
                let answer = if digits {
                    match normalize_answer(&typed) {
                        Ok(code) => Zeroizing::new(code),
                        Err(e) => {
                            daemon.cancel(&session).await;
                            return finish(conv, &capitalize(&e.to_string()), Outcome::BadInput);
                        }
                    }
                } else {
                    match std::str::from_utf8(&typed) {
                        Ok(s) if s.len() <= mfa_proto::MAX_ANSWER_LEN => {
                            Zeroizing::new(s.to_string())
                        }
                        _ => {
                            daemon.cancel(&session).await;
                            return Outcome::BadInput;
                        }
                    }
                };
                daemon.answer(&session, &answer).await
            }
            Step::Wait {
                text,
                poll_after_ms,
            } => {
                let pause = Duration::from_millis(u64::from(poll_after_ms));
                waited += pause;
                if waited > MAX_TOTAL_WAIT {
                    daemon.cancel(&session).await;
                    return Outcome::Unavailable {
                        reason: "waited too long".into(),
                    };
                }
                if !text.is_empty() {
                    conv.show_error(&text);
                }
                sleep(pause);
                daemon.poll(&session).await
            }
        };
        step = match next {
            Ok(step) => step,
            Err(e) => {
                return Outcome::Unavailable {
                    reason: e.to_string(),
                };
            }
        };
    }
    daemon.cancel(&session).await;
    Outcome::Unavailable {
        reason: "too many steps".into(),
    }
}

fn finish(conv: &mut dyn Conversation, text: &str, outcome: Outcome) -> Outcome {
    if !text.is_empty() {
        conv.show_error(text);
    }
    outcome
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect::<String>() + ".",
        None => String::new(),
    }
}

#[cfg(test)]
mod tests;
