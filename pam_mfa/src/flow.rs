//! The module's whole job, free of libpam and D-Bus so it can be tested with fakes: start a
//! session, render each step the daemon returns, send answers back, and say how it ended.

use crate::single_buffer;
use mfa_proto::{AnswerError, Step, normalize_answer};
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
    /// Show what the user must do now for the login to go on (a `Wait` step's text: answer the
    /// call and press #), which no prompt will carry.
    fn show_instruction(&mut self, text: &str);
    /// PAM_AUTHTOK as an earlier module of the stack left it (`None` when unset).
    fn authtok(&self) -> Option<&[u8]>;
    /// Hand the password on to the modules after this one (PAM_AUTHTOK).
    fn set_authtok(&mut self, password: Zeroizing<Vec<u8>>);
}

/// What the pam.d line asks of the flow itself.
#[derive(Debug, Clone, Copy, Default)]
pub struct FlowOptions {
    /// `single_buffer=SEP` (see `single_buffer.rs`).
    pub single_buffer: Option<char>,
}

/// Shown when the program answered a daemon prompt with the password it asked before: such a
/// program answers every prompt with one buffer and needs `single_buffer=`.
pub const SAME_ANSWER: &str = "This screen sent your password as the code: it cannot ask a \
second question. Ask your administrator to add single_buffer=+ for it.";

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
    /// The program answered the daemon's prompt with the password already in PAM_AUTHTOK: it
    /// answers every prompt with one buffer. Nothing was sent, nothing counted.
    SameAnswer,
    /// `single_buffer`: the daemon needed something the one typed buffer cannot give (`reason`
    /// says what, for the log). Nothing more was sent.
    CannotAsk {
        reason: &'static str,
    },
}

/// Run one login. `sleep` is how a `Wait` step waits (real sleep in the module, none in tests).
pub async fn run(
    ctx: &LoginContext,
    opts: FlowOptions,
    conv: &mut dyn Conversation,
    daemon: &mut impl Daemon,
    sleep: &dyn Fn(Duration),
) -> Outcome {
    // single_buffer: the one buffer is read before the daemon is asked anything, so the
    // password reaches PAM_AUTHTOK whatever the daemon says (pam_unix after us checks it).
    let mut buffered = match opts.single_buffer {
        Some(separator) => match single_buffer::Buffered::read(conv, separator) {
            Some(buffered) => Some(buffered),
            None => return Outcome::ConversationFailed,
        },
        None => None,
    };
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
                let answer = match buffered.as_mut() {
                    Some(buffered) => buffered.answer(digits),
                    None => ask(conv, &text, echo, digits),
                };
                match answer {
                    Ok(answer) => daemon.answer(&session, &answer).await,
                    Err(Refusal { message, outcome }) => {
                        daemon.cancel(&session).await;
                        return finish(conv, &message, outcome);
                    }
                }
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
                    conv.show_instruction(&text);
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

/// Why an answer is not sent: what the user is told and how the login ends.
pub(crate) struct Refusal {
    message: String,
    outcome: Outcome,
}

impl Refusal {
    pub(crate) fn new(message: impl Into<String>, outcome: Outcome) -> Self {
        Refusal {
            message: message.into(),
            outcome,
        }
    }
}

/// Ask the user `text` and shape the typed answer for the daemon.
fn ask(
    conv: &mut dyn Conversation,
    text: &str,
    echo: bool,
    digits: bool,
) -> Result<Zeroizing<String>, Refusal> {
    let Some(typed) = conv.ask(text, echo) else {
        return Err(Refusal::new("", Outcome::ConversationFailed));
    };
    // The program answered with the password an earlier module asked: it cannot show a second
    // question, and sending the password on to the daemon would only count a wrong code.
    if conv
        .authtok()
        .is_some_and(|password| !password.is_empty() && password == typed.as_slice())
    {
        return Err(Refusal::new(SAME_ANSWER, Outcome::SameAnswer));
    }
    if digits {
        return match normalize_answer(&typed) {
            Ok(code) => Ok(Zeroizing::new(code)),
            // Enter alone: the daemon shows the prompt again, then the other ways.
            Err(AnswerError::Empty) => Ok(Zeroizing::new(String::new())),
            Err(e) => Err(Refusal::new(capitalize(&e.to_string()), Outcome::BadInput)),
        };
    }
    match std::str::from_utf8(&typed) {
        Ok(s) if s.len() <= mfa_proto::MAX_ANSWER_LEN => Ok(Zeroizing::new(s.to_string())),
        _ => Err(Refusal::new("", Outcome::BadInput)),
    }
}

fn finish(conv: &mut dyn Conversation, text: &str, outcome: Outcome) -> Outcome {
    if !text.is_empty() {
        conv.show_error(text);
    }
    outcome
}

pub(crate) fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect::<String>() + ".",
        None => String::new(),
    }
}

#[cfg(test)]
mod tests;
