//! The flow against a scripted conversation and a scripted daemon: each fails the test on
//! anything it did not expect.

use super::*;
use std::collections::VecDeque;

#[derive(Debug, Clone, PartialEq)]
enum Call {
    Start(String),
    Answer(String),
    Poll,
    Cancel,
}

struct FakeDaemon {
    start: Option<Result<(String, Step), ClientError>>,
    replies: VecDeque<(Call, Result<Step, ClientError>)>,
    calls: Vec<Call>,
}

impl FakeDaemon {
    fn new(
        first: Result<Step, ClientError>,
        replies: Vec<(Call, Result<Step, ClientError>)>,
    ) -> Self {
        FakeDaemon {
            start: Some(first.map(|s| ("a".repeat(32), s))),
            replies: replies.into(),
            calls: vec![],
        }
    }
    fn next(&mut self, call: Call) -> Result<Step, ClientError> {
        self.calls.push(call.clone());
        let (expected, reply) = self
            .replies
            .pop_front()
            .unwrap_or_else(|| panic!("unexpected call {call:?}"));
        assert_eq!(expected, call);
        reply
    }
}

/// A flow that ends early leaves scripted replies unused: that fails the test (unless it is
/// already failing, so the first panic is the one reported).
impl Drop for FakeDaemon {
    fn drop(&mut self) {
        if std::thread::panicking() {
            return;
        }
        assert!(
            self.start.is_none(),
            "the flow never started a login (calls: {:?})",
            self.calls
        );
        assert!(
            self.replies.is_empty(),
            "scripted daemon calls never made: {:?} (calls made: {:?})",
            self.replies
                .iter()
                .map(|(call, _)| call)
                .collect::<Vec<_>>(),
            self.calls
        );
    }
}

impl Daemon for FakeDaemon {
    async fn start(&mut self, ctx: &LoginContext) -> Result<(String, Step), ClientError> {
        self.calls.push(Call::Start(ctx.user.clone()));
        self.start.take().expect("start called twice")
    }
    async fn answer(&mut self, _s: &str, answer: &str) -> Result<Step, ClientError> {
        self.next(Call::Answer(answer.into()))
    }
    async fn poll(&mut self, _s: &str) -> Result<Step, ClientError> {
        self.next(Call::Poll)
    }
    async fn cancel(&mut self, _s: &str) {
        self.calls.push(Call::Cancel);
    }
}

/// Expected prompts with their answers; errors shown are recorded, and so is PAM_AUTHTOK.
struct Script {
    expect: VecDeque<(String, Option<&'static str>)>,
    errors: Vec<String>,
    /// PAM_AUTHTOK as an earlier module left it.
    authtok: Option<Vec<u8>>,
    /// What the flow handed on as PAM_AUTHTOK.
    handed_on: Option<Vec<u8>>,
}

/// Prompts left unasked when the script is dropped fail the test (unless it is already failing).
impl Drop for Script {
    fn drop(&mut self) {
        if std::thread::panicking() {
            return;
        }
        assert!(
            self.expect.is_empty(),
            "scripted prompts never asked: {:?} (errors shown: {:?})",
            self.expect,
            self.errors
        );
    }
}

impl Conversation for Script {
    fn ask(&mut self, text: &str, _echo: bool) -> Option<Zeroizing<Vec<u8>>> {
        let (prompt, answer) = self
            .expect
            .pop_front()
            .unwrap_or_else(|| panic!("unexpected prompt {text:?}"));
        assert_eq!(prompt, text);
        answer.map(|a| Zeroizing::new(a.as_bytes().to_vec()))
    }
    fn show_error(&mut self, text: &str) {
        self.errors.push(text.into());
    }
    fn show_instruction(&mut self, text: &str) {
        self.errors.push(text.into());
    }
    fn authtok(&self) -> Option<&[u8]> {
        self.authtok.as_deref()
    }
    fn set_authtok(&mut self, password: Zeroizing<Vec<u8>>) {
        assert!(self.handed_on.is_none(), "PAM_AUTHTOK handed on twice");
        self.handed_on = Some(password.to_vec());
    }
}

fn script(expect: &[(&str, Option<&'static str>)]) -> Script {
    Script {
        expect: expect.iter().map(|(p, a)| (p.to_string(), *a)).collect(),
        errors: vec![],
        authtok: None,
        handed_on: None,
    }
}

/// As [`script`], after an earlier module set PAM_AUTHTOK to `password`.
fn script_after_password(password: &str, expect: &[(&str, Option<&'static str>)]) -> Script {
    let mut conv = script(expect);
    conv.authtok = Some(password.as_bytes().to_vec());
    conv
}

fn code_prompt() -> Step {
    Step::Prompt {
        text: "Verification code: ".into(),
        echo: false,
        digits: true,
    }
}

fn run_sync(conv: &mut Script, daemon: &mut FakeDaemon) -> Outcome {
    run_with(FlowOptions::default(), conv, daemon)
}

fn run_with(opts: FlowOptions, conv: &mut Script, daemon: &mut FakeDaemon) -> Outcome {
    let ctx = LoginContext {
        user: "alice".into(),
        ..Default::default()
    };
    zruntime::block_on(run(&ctx, opts, conv, daemon, &|_| {}))
}

mod desktop;

#[test]
fn right_code_is_granted_with_spaces_removed() {
    let mut conv = script(&[("Verification code: ", Some("123 456"))]);
    let mut daemon = FakeDaemon::new(
        Ok(code_prompt()),
        vec![(Call::Answer("123456".into()), Ok(Step::Granted))],
    );
    assert_eq!(run_sync(&mut conv, &mut daemon), Outcome::Granted);
    assert!(conv.expect.is_empty());
}

#[test]
fn denied_answer_shows_the_daemons_text() {
    let mut conv = script(&[("Verification code: ", Some("000000"))]);
    let denied = Step::Denied {
        text: "Wrong code.".into(),
    };
    let mut daemon = FakeDaemon::new(
        Ok(code_prompt()),
        vec![(Call::Answer("000000".into()), Ok(denied))],
    );
    assert_eq!(run_sync(&mut conv, &mut daemon), Outcome::Denied);
    assert_eq!(conv.errors, vec!["Wrong code.".to_string()]);
}

#[test]
fn non_digit_answer_never_reaches_the_daemon() {
    let mut conv = script(&[("Verification code: ", Some("hunter2"))]);
    let mut daemon = FakeDaemon::new(Ok(code_prompt()), vec![]);
    assert_eq!(run_sync(&mut conv, &mut daemon), Outcome::BadInput);
    assert_eq!(
        daemon.calls,
        vec![Call::Start("alice".into()), Call::Cancel]
    );
}

#[test]
fn locked_and_not_enrolled_and_unavailable_steps_end_the_login() {
    let mut conv = script(&[]);
    let mut daemon = FakeDaemon::new(
        Ok(Step::Locked {
            text: "Locked.".into(),
        }),
        vec![],
    );
    assert_eq!(run_sync(&mut conv, &mut daemon), Outcome::Locked);
    let mut daemon = FakeDaemon::new(Ok(Step::NotEnrolled), vec![]);
    assert_eq!(run_sync(&mut conv, &mut daemon), Outcome::NotEnrolled);
    let mut daemon = FakeDaemon::new(
        Ok(Step::Unavailable {
            text: String::new(),
        }),
        vec![],
    );
    assert_eq!(run_sync(&mut conv, &mut daemon), Outcome::DaemonUnavailable);
}

#[test]
fn unreachable_daemon_before_start_is_unreachable() {
    let mut conv = script(&[]);
    let mut daemon = FakeDaemon::new(Err(ClientError::Unreachable("no socket".into())), vec![]);
    assert!(matches!(
        run_sync(&mut conv, &mut daemon),
        Outcome::Unreachable { .. }
    ));
}

#[test]
fn a_reached_but_unbelievable_daemon_is_not_unreachable() {
    // Only "nobody answered" may ever fail open; an answer we cannot believe never does.
    for e in [
        ClientError::WrongOwner(1000),
        ClientError::Malformed("bad step".into()),
        ClientError::Refused("LimitsExceeded".into()),
        ClientError::NoAnswer("Start timed out".into()),
    ] {
        let mut conv = script(&[]);
        let mut daemon = FakeDaemon::new(Err(e.clone()), vec![]);
        assert!(
            matches!(
                run_sync(&mut conv, &mut daemon),
                Outcome::Unavailable { .. }
            ),
            "{e:?}"
        );
    }
}

#[test]
fn failure_after_the_challenge_started_is_not_unreachable() {
    let mut conv = script(&[("Verification code: ", Some("123456"))]);
    let lost = Err(ClientError::Unreachable("timed out".into()));
    let mut daemon = FakeDaemon::new(
        Ok(code_prompt()),
        vec![(Call::Answer("123456".into()), lost)],
    );
    assert!(matches!(
        run_sync(&mut conv, &mut daemon),
        Outcome::Unavailable { .. }
    ));
}

#[test]
fn conversation_failure_cancels_the_session() {
    let mut conv = script(&[("Verification code: ", None)]);
    let mut daemon = FakeDaemon::new(Ok(code_prompt()), vec![]);
    assert_eq!(
        run_sync(&mut conv, &mut daemon),
        Outcome::ConversationFailed
    );
    assert_eq!(daemon.calls.last(), Some(&Call::Cancel));
}

#[test]
fn wait_step_polls_until_a_decision() {
    let mut conv = script(&[]);
    let wait = || {
        Ok(Step::Wait {
            text: String::new(),
            poll_after_ms: 500,
        })
    };
    let mut daemon = FakeDaemon::new(
        wait(),
        vec![(Call::Poll, wait()), (Call::Poll, Ok(Step::Granted))],
    );
    assert_eq!(run_sync(&mut conv, &mut daemon), Outcome::Granted);
}

#[test]
fn a_daemon_that_never_decides_is_cut_off() {
    let mut conv = script(&[]);
    let wait = || {
        Ok(Step::Wait {
            text: String::new(),
            poll_after_ms: 100,
        })
    };
    let replies = (0..MAX_STEPS).map(|_| (Call::Poll, wait())).collect();
    let mut daemon = FakeDaemon::new(wait(), replies);
    assert!(matches!(
        run_sync(&mut conv, &mut daemon),
        Outcome::Unavailable { .. }
    ));
    assert_eq!(daemon.calls.last(), Some(&Call::Cancel));
}

#[test]
fn a_question_mark_reaches_the_daemon_and_the_menu_is_rendered() {
    let menu = Step::Prompt {
        text: "1) App\n2) Text message\nChoose: ".into(),
        echo: true,
        digits: true,
    };
    let mut conv = script(&[
        ("Verification code: ", Some(" ? ")),
        ("1) App\n2) Text message\nChoose: ", Some("2")),
    ]);
    let mut daemon = FakeDaemon::new(
        Ok(code_prompt()),
        vec![
            (Call::Answer("?".into()), Ok(menu)),
            (Call::Answer("2".into()), Ok(Step::Granted)),
        ],
    );
    assert_eq!(run_sync(&mut conv, &mut daemon), Outcome::Granted);
}

#[test]
#[should_panic(expected = "scripted prompts never asked")]
fn a_conversation_script_with_prompts_left_unasked_fails_the_test() {
    let _conv = script(&[("Verification code: ", Some("123456"))]);
}

#[test]
#[should_panic(expected = "scripted daemon calls never made")]
fn a_daemon_script_with_replies_left_unused_fails_the_test() {
    let mut conv = script(&[("Verification code: ", Some("123456"))]);
    let mut daemon = FakeDaemon::new(
        Ok(code_prompt()),
        vec![
            (Call::Answer("123456".into()), Ok(Step::Granted)),
            (Call::Poll, Ok(Step::Granted)),
        ],
    );
    assert_eq!(run_sync(&mut conv, &mut daemon), Outcome::Granted);
}
