//! The flow for desktop programs: an empty answer, `single_buffer=` and a program that answers
//! the code prompt with the password it asked before.

use super::*;

fn single_buffer() -> FlowOptions {
    FlowOptions {
        single_buffer: Some('+'),
    }
}

fn push_offer() -> Step {
    Step::Prompt {
        text: "Press Enter to get a notification on your phone: ".into(),
        echo: false,
        digits: false,
    }
}

fn wrong_code_again() -> Step {
    Step::Prompt {
        text: "Wrong code.\nVerification code: ".into(),
        echo: false,
        digits: true,
    }
}

#[test]
fn enter_alone_at_a_code_prompt_is_sent_as_an_empty_answer() {
    let mut conv = script(&[
        ("Verification code: ", Some("")),
        ("Verification code: ", Some("  ")),
        ("Verification code: ", Some("123456")),
    ]);
    let mut daemon = FakeDaemon::new(
        Ok(code_prompt()),
        vec![
            (Call::Answer(String::new()), Ok(code_prompt())),
            (Call::Answer(String::new()), Ok(code_prompt())),
            (Call::Answer("123456".into()), Ok(Step::Granted)),
        ],
    );
    assert_eq!(run_sync(&mut conv, &mut daemon), Outcome::Granted);
    assert!(conv.errors.is_empty(), "{:?}", conv.errors);
}

#[test]
fn single_buffer_asks_once_hands_the_password_on_and_answers_the_code() {
    let mut conv = script(&[("Password+code: ", Some("s3cret+123 456"))]);
    let mut daemon = FakeDaemon::new(
        Ok(code_prompt()),
        vec![(Call::Answer("123456".into()), Ok(Step::Granted))],
    );
    assert_eq!(
        run_with(single_buffer(), &mut conv, &mut daemon),
        Outcome::Granted
    );
    assert_eq!(conv.handed_on.as_deref(), Some(&b"s3cret"[..]));
}

#[test]
fn single_buffer_splits_at_the_last_separator() {
    let mut conv = script(&[("Password+code: ", Some("a+b+654321"))]);
    let mut daemon = FakeDaemon::new(
        Ok(code_prompt()),
        vec![(Call::Answer("654321".into()), Ok(Step::Granted))],
    );
    assert_eq!(
        run_with(single_buffer(), &mut conv, &mut daemon),
        Outcome::Granted
    );
    assert_eq!(conv.handed_on.as_deref(), Some(&b"a+b"[..]));
}

#[test]
fn single_buffer_uses_an_authtok_set_before_it_instead_of_asking() {
    let mut conv = script_after_password("s3cret+123456", &[]);
    let mut daemon = FakeDaemon::new(
        Ok(code_prompt()),
        vec![(Call::Answer("123456".into()), Ok(Step::Granted))],
    );
    assert_eq!(
        run_with(single_buffer(), &mut conv, &mut daemon),
        Outcome::Granted
    );
    assert_eq!(conv.handed_on.as_deref(), Some(&b"s3cret"[..]));
}

#[test]
fn single_buffer_without_separator_fails_fast_and_sends_nothing() {
    let mut conv = script(&[("Password+code: ", Some("s3cret"))]);
    let mut daemon = FakeDaemon::new(Ok(code_prompt()), vec![]);
    assert_eq!(
        run_with(single_buffer(), &mut conv, &mut daemon),
        Outcome::CannotAsk {
            reason: "no code in the buffer"
        }
    );
    assert_eq!(
        daemon.calls,
        vec![Call::Start("alice".into()), Call::Cancel]
    );
    assert_eq!(
        conv.errors,
        vec!["Type your password, then + and the code."]
    );
    // The password still goes on: pam_unix decides about it on its own.
    assert_eq!(conv.handed_on.as_deref(), Some(&b"s3cret"[..]));
}

#[test]
fn single_buffer_with_an_empty_code_fails_fast_and_sends_nothing() {
    let mut conv = script(&[("Password+code: ", Some("s3cret+"))]);
    let mut daemon = FakeDaemon::new(Ok(code_prompt()), vec![]);
    assert!(matches!(
        run_with(single_buffer(), &mut conv, &mut daemon),
        Outcome::CannotAsk { .. }
    ));
    assert_eq!(
        daemon.calls,
        vec![Call::Start("alice".into()), Call::Cancel]
    );
}

#[test]
fn single_buffer_cancels_and_denies_when_the_daemon_asks_again() {
    let mut conv = script(&[("Password+code: ", Some("s3cret+000000"))]);
    let mut daemon = FakeDaemon::new(
        Ok(code_prompt()),
        vec![(Call::Answer("000000".into()), Ok(wrong_code_again()))],
    );
    assert_eq!(
        run_with(single_buffer(), &mut conv, &mut daemon),
        Outcome::CannotAsk {
            reason: "a second prompt"
        }
    );
    assert_eq!(daemon.calls.last(), Some(&Call::Cancel));
    assert_eq!(conv.errors, vec![single_buffer::ONLY_ONE_CODE]);
}

#[test]
fn single_buffer_denies_a_first_step_that_is_not_a_code_prompt() {
    let mut conv = script(&[("Password+code: ", Some("s3cret+123456"))]);
    let mut daemon = FakeDaemon::new(Ok(push_offer()), vec![]);
    assert!(matches!(
        run_with(single_buffer(), &mut conv, &mut daemon),
        Outcome::CannotAsk { .. }
    ));
    assert_eq!(
        daemon.calls,
        vec![Call::Start("alice".into()), Call::Cancel]
    );
    assert_eq!(
        conv.errors,
        vec![
            "This screen can only take a code: choose the authenticator app as your first method."
        ]
    );
}

#[test]
fn single_buffer_refuses_a_code_part_that_is_not_digits() {
    let mut conv = script(&[("Password+code: ", Some("s3cret+12ab56"))]);
    let mut daemon = FakeDaemon::new(Ok(code_prompt()), vec![]);
    assert_eq!(
        run_with(single_buffer(), &mut conv, &mut daemon),
        Outcome::BadInput
    );
    assert_eq!(
        daemon.calls,
        vec![Call::Start("alice".into()), Call::Cancel]
    );
}

#[test]
fn single_buffer_hands_the_password_on_even_when_the_daemon_is_down() {
    let mut conv = script(&[("Password+code: ", Some("s3cret+123456"))]);
    let mut daemon = FakeDaemon::new(Err(ClientError::Unreachable("no socket".into())), vec![]);
    assert!(matches!(
        run_with(single_buffer(), &mut conv, &mut daemon),
        Outcome::Unreachable { .. }
    ));
    assert_eq!(conv.handed_on.as_deref(), Some(&b"s3cret"[..]));
}

#[test]
fn single_buffer_lets_a_push_wait_run_without_asking() {
    let wait = Step::Wait {
        text: String::new(),
        poll_after_ms: 500,
    };
    let mut conv = script(&[("Password+code: ", Some("s3cret"))]);
    let mut daemon = FakeDaemon::new(Ok(wait), vec![(Call::Poll, Ok(Step::Granted))]);
    assert_eq!(
        run_with(single_buffer(), &mut conv, &mut daemon),
        Outcome::Granted
    );
}

#[test]
fn a_failed_single_buffer_prompt_never_starts_a_login() {
    let mut conv = script(&[("Password+code: ", None)]);
    let mut daemon = FakeDaemon::new(Ok(code_prompt()), vec![]);
    assert_eq!(
        run_with(single_buffer(), &mut conv, &mut daemon),
        Outcome::ConversationFailed
    );
    assert!(daemon.calls.is_empty());
    assert!(conv.handed_on.is_none());
    daemon.start = None;
}

#[test]
fn the_password_typed_again_at_the_code_prompt_fails_fast_and_sends_nothing() {
    let mut conv = script_after_password("hunter2", &[("Verification code: ", Some("hunter2"))]);
    let mut daemon = FakeDaemon::new(Ok(code_prompt()), vec![]);
    assert_eq!(run_sync(&mut conv, &mut daemon), Outcome::SameAnswer);
    assert_eq!(
        daemon.calls,
        vec![Call::Start("alice".into()), Call::Cancel]
    );
    assert_eq!(conv.errors, vec![SAME_ANSWER]);
    assert!(SAME_ANSWER.contains("single_buffer=+"));
    assert!(conv.handed_on.is_none());
}

#[test]
fn an_all_digit_password_typed_again_is_caught_before_it_looks_like_a_code() {
    let mut conv = script_after_password("246810", &[("Verification code: ", Some("246810"))]);
    let mut daemon = FakeDaemon::new(Ok(code_prompt()), vec![]);
    assert_eq!(run_sync(&mut conv, &mut daemon), Outcome::SameAnswer);
    assert_eq!(
        daemon.calls,
        vec![Call::Start("alice".into()), Call::Cancel]
    );
}

#[test]
fn a_code_that_differs_from_the_password_is_sent_as_usual() {
    let mut conv = script_after_password("hunter2", &[("Verification code: ", Some("123456"))]);
    let mut daemon = FakeDaemon::new(
        Ok(code_prompt()),
        vec![(Call::Answer("123456".into()), Ok(Step::Granted))],
    );
    assert_eq!(run_sync(&mut conv, &mut daemon), Outcome::Granted);
}

#[test]
fn an_empty_password_never_makes_enter_alone_look_like_the_same_answer() {
    let mut conv = script_after_password(
        "",
        &[
            ("Verification code: ", Some("")),
            ("Verification code: ", Some("123456")),
        ],
    );
    let mut daemon = FakeDaemon::new(
        Ok(code_prompt()),
        vec![
            (Call::Answer(String::new()), Ok(code_prompt())),
            (Call::Answer("123456".into()), Ok(Step::Granted)),
        ],
    );
    assert_eq!(run_sync(&mut conv, &mut daemon), Outcome::Granted);
}
