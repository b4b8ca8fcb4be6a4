//! Enter with nothing typed at a code prompt (xscreensaver's OK, a user who wants the other
//! options) is "show me again", then "show me the menu": the real daemon shows the same prompt
//! for the first, the menu for the second in a row, and never counts or audits either as a
//! wrong code, so a right code after many of them logs in without a cooldown.

use super::oneline_render::{BusLogin, KIND_GRANTED, SECRET, prompt_text};
use mfa_tests::*;

const LINES: u32 = 0;
const ONE_LINE: u32 = 1;

#[test]
fn an_empty_answer_shows_the_code_prompt_again_and_a_second_one_the_menu() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    enroll_totp(&bus, "alice", SECRET, 6, "SHA1", 30);
    let log = || daemon.log();
    let (login, first) = BusLogin::start(&bus, "alice", LINES).expect("start");
    let prompt = prompt_text(&first, &log());
    assert_eq!(prompt_text(&login.answer(""), &log()), prompt);
    let menu = prompt_text(&login.answer(""), &log());
    assert!(
        menu.starts_with(
            "Choose how to confirm this sign-in:\n  1) Code from the authenticator app"
        ),
        "{menu:?}"
    );
    assert_eq!(prompt_text(&login.answer("1"), &log()), prompt);
    let code = oathtool_code(SECRET, "SHA1", 6, 30, None);
    assert_eq!(login.answer(&code).0, KIND_GRANTED, "{}", log());
}

#[test]
fn empty_answers_are_never_failures_and_a_right_code_after_five_logs_in_without_cooldown() {
    let bus = Bus::start();
    // One free failure: had any empty answer counted, the right code would meet a cooldown.
    let daemon = Daemon::start(&bus, "[limits]\nfree_failures = 1\n");
    enroll_totp(&bus, "alice", SECRET, 6, "SHA1", 30);
    let log = || daemon.log();
    let (login, first) = BusLogin::start(&bus, "alice", ONE_LINE).expect("start");
    let prompt = prompt_text(&first, &log());
    assert_eq!(prompt, "Code: ");
    let one_choice = "1/1 App or backup code: Enter=yes n=next";
    // Empty, empty (the one-line menu), Enter takes its only choice; twice; then one more.
    for round in 0..2 {
        assert_eq!(prompt_text(&login.answer(""), &log()), prompt, "{round}");
        assert_eq!(
            prompt_text(&login.answer(""), &log()),
            one_choice,
            "{round}"
        );
        assert_eq!(prompt_text(&login.answer(""), &log()), prompt, "{round}");
    }
    assert_eq!(prompt_text(&login.answer(""), &log()), prompt);
    let code = oathtool_code(SECRET, "SHA1", 6, 30, None);
    assert_eq!(login.answer(&code).0, KIND_GRANTED, "{}", log());
    assert!(!log().contains("denied-wrong-code"), "{}", log());
    assert!(!log().contains("refused-cooldown"), "{}", log());
}

#[test]
fn another_answer_between_empty_ones_starts_the_count_again() {
    let bus = Bus::start();
    let daemon = Daemon::start(&bus, "");
    enroll_totp(&bus, "alice", SECRET, 6, "SHA1", 30);
    let log = || daemon.log();
    let (login, first) = BusLogin::start(&bus, "alice", LINES).expect("start");
    let prompt = prompt_text(&first, &log());
    assert_eq!(prompt_text(&login.answer(""), &log()), prompt);
    // "?" is an answer too: the menu, then the code prompt again.
    assert!(prompt_text(&login.answer("?"), &log()).starts_with("Choose how"));
    assert_eq!(prompt_text(&login.answer("1"), &log()), prompt);
    assert_eq!(
        prompt_text(&login.answer(""), &log()),
        prompt,
        "the count started again: one empty answer shows the prompt"
    );
}
