//! A step: what the daemon tells the module to do next.

/// On the bus a step is the D-Bus struct `(u kind, s text, u arg)`.
pub type WireStep = (u32, String, u32);

/// Longest text a step may carry; a longer one is refused as malformed.
pub const MAX_TEXT_LEN: usize = 4096;
/// Bounds of the interval the daemon may ask the module to wait before `Poll`.
pub const MIN_POLL_MS: u32 = 100;
pub const MAX_POLL_MS: u32 = 10_000;

const KIND_PROMPT: u32 = 1;
const KIND_WAIT: u32 = 2;
const KIND_GRANTED: u32 = 3;
const KIND_DENIED: u32 = 4;
const KIND_LOCKED: u32 = 5;
const KIND_UNAVAILABLE: u32 = 6;
const KIND_NOT_ENROLLED: u32 = 7;

const PROMPT_ECHO: u32 = 1;
const PROMPT_DIGITS: u32 = 2;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Ask the user; `digits` means the module accepts only a numeric code and refuses anything
    /// else before it crosses the bus.
    Prompt {
        text: String,
        echo: bool,
        digits: bool,
    },
    /// Nothing to ask: call `Poll` after `poll_after_ms`.
    Wait { text: String, poll_after_ms: u32 },
    /// The second factor is confirmed.
    Granted,
    /// Wrong or refused answer.
    Denied { text: String },
    /// Too many failures: locked until an admin unlocks.
    Locked { text: String },
    /// The daemon cannot decide (e.g. a method is misconfigured).
    Unavailable { text: String },
    /// The user has nothing enrolled and the policy lets such users through.
    NotEnrolled,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepError {
    UnknownKind(u32),
    TextTooLong(usize),
    BadPromptFlags(u32),
    BadPollInterval(u32),
    UnexpectedArgument { kind: u32, arg: u32 },
}

impl std::fmt::Display for StepError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StepError::UnknownKind(k) => write!(f, "unknown step kind {k}"),
            StepError::TextTooLong(n) => write!(f, "step text of {n} bytes exceeds {MAX_TEXT_LEN}"),
            StepError::BadPromptFlags(a) => write!(f, "unknown prompt flags {a:#x}"),
            StepError::BadPollInterval(ms) => {
                write!(
                    f,
                    "poll interval {ms} ms outside {MIN_POLL_MS}..={MAX_POLL_MS}"
                )
            }
            StepError::UnexpectedArgument { kind, arg } => {
                write!(f, "step kind {kind} carries unexpected argument {arg}")
            }
        }
    }
}

impl std::error::Error for StepError {}

impl Step {
    pub fn to_wire(&self) -> WireStep {
        match self {
            Step::Prompt { text, echo, digits } => {
                let flags =
                    if *echo { PROMPT_ECHO } else { 0 } | if *digits { PROMPT_DIGITS } else { 0 };
                (KIND_PROMPT, text.clone(), flags)
            }
            Step::Wait {
                text,
                poll_after_ms,
            } => (KIND_WAIT, text.clone(), *poll_after_ms),
            Step::Granted => (KIND_GRANTED, String::new(), 0),
            Step::Denied { text } => (KIND_DENIED, text.clone(), 0),
            Step::Locked { text } => (KIND_LOCKED, text.clone(), 0),
            Step::Unavailable { text } => (KIND_UNAVAILABLE, text.clone(), 0),
            Step::NotEnrolled => (KIND_NOT_ENROLLED, String::new(), 0),
        }
    }

    /// Parse a step received from the bus; anything out of shape is an error (the module then
    /// fails closed).
    pub fn from_wire(wire: WireStep) -> Result<Step, StepError> {
        let (kind, text, arg) = wire;
        if text.len() > MAX_TEXT_LEN {
            return Err(StepError::TextTooLong(text.len()));
        }
        let no_arg = |step: Step| {
            if arg == 0 {
                Ok(step)
            } else {
                Err(StepError::UnexpectedArgument { kind, arg })
            }
        };
        match kind {
            KIND_PROMPT => {
                if arg & !(PROMPT_ECHO | PROMPT_DIGITS) != 0 {
                    return Err(StepError::BadPromptFlags(arg));
                }
                Ok(Step::Prompt {
                    text,
                    echo: arg & PROMPT_ECHO != 0,
                    digits: arg & PROMPT_DIGITS != 0,
                })
            }
            KIND_WAIT if (MIN_POLL_MS..=MAX_POLL_MS).contains(&arg) => Ok(Step::Wait {
                text,
                poll_after_ms: arg,
            }),
            KIND_WAIT => Err(StepError::BadPollInterval(arg)),
            KIND_GRANTED => no_arg(Step::Granted),
            KIND_DENIED => no_arg(Step::Denied { text }),
            KIND_LOCKED => no_arg(Step::Locked { text }),
            KIND_UNAVAILABLE => no_arg(Step::Unavailable { text }),
            KIND_NOT_ENROLLED => no_arg(Step::NotEnrolled),
            other => Err(StepError::UnknownKind(other)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_survives_the_wire() {
        let steps = [
            Step::Prompt {
                text: "Verification code: ".into(),
                echo: false,
                digits: true,
            },
            Step::Prompt {
                text: "Press Enter".into(),
                echo: true,
                digits: false,
            },
            Step::Wait {
                text: "Calling…".into(),
                poll_after_ms: 1000,
            },
            Step::Granted,
            Step::Denied {
                text: "Wrong code".into(),
            },
            Step::Locked {
                text: "Locked".into(),
            },
            Step::Unavailable {
                text: "Try later".into(),
            },
            Step::NotEnrolled,
        ];
        for step in steps {
            assert_eq!(Step::from_wire(step.to_wire()), Ok(step));
        }
    }

    #[test]
    fn malformed_steps_are_refused() {
        assert_eq!(
            Step::from_wire((99, String::new(), 0)),
            Err(StepError::UnknownKind(99))
        );
        assert_eq!(
            Step::from_wire((0, String::new(), 0)),
            Err(StepError::UnknownKind(0))
        );
        assert_eq!(
            Step::from_wire((1, String::new(), 8)),
            Err(StepError::BadPromptFlags(8))
        );
        assert_eq!(
            Step::from_wire((2, String::new(), 0)),
            Err(StepError::BadPollInterval(0))
        );
        assert_eq!(
            Step::from_wire((2, String::new(), 600_000)),
            Err(StepError::BadPollInterval(600_000))
        );
        assert_eq!(
            Step::from_wire((3, String::new(), 1)),
            Err(StepError::UnexpectedArgument { kind: 3, arg: 1 })
        );
        let long = "x".repeat(MAX_TEXT_LEN + 1);
        assert_eq!(
            Step::from_wire((4, long, 0)),
            Err(StepError::TextTooLong(MAX_TEXT_LEN + 1))
        );
    }
}
