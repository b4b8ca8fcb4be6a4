//! xsecurelock 1.5.1 on Xvfb, PAM as the user (pam_wrapper): each prompt on one line as
//! "user@host - <prompt>". Lines rendering here; the one-line rendering is in `oneline_*`.

use crate::flows;
use mfa_tests::desktop::{SignInWorld, Xsecurelock};

#[test]
fn password_and_code_unlock() {
    let world = SignInWorld::start("mfa-d-xsecur-a");
    let mut program = Xsecurelock::start(&world, flows::LINES.args, "code");
    flows::password_and_code_unlock(&mut program, &world, &flows::LINES);
}

#[test]
fn a_wrong_code_stays_locked_and_is_audited() {
    let world = SignInWorld::start("mfa-d-xsecur-b");
    let mut program = Xsecurelock::start(&world, flows::LINES.args, "wrong-code");
    flows::wrong_code_stays_locked(&mut program, &world, &flows::LINES);
}

#[test]
fn the_menu_and_a_phone_call_unlock() {
    let world = SignInWorld::start("mfa-d-xsecur-c");
    let mut program = Xsecurelock::start(&world, flows::LINES.args, "menu-call");
    flows::menu_and_call_unlock(&mut program, &world, &flows::LINES);
}

#[test]
fn oneline_password_and_code_unlock() {
    let world = SignInWorld::start("mfa-d-xsecur-e");
    let r = &flows::ONE_LINE;
    let mut program = Xsecurelock::start(&world, r.args, "oneline-code");
    flows::password_and_code_unlock(&mut program, &world, r);
}

#[test]
fn oneline_the_menu_one_choice_per_prompt_and_a_phone_call_unlock() {
    let world = SignInWorld::start("mfa-d-xsecur-f");
    let r = &flows::ONE_LINE;
    let mut program = Xsecurelock::start(&world, r.args, "oneline-menu-call");
    flows::menu_and_call_unlock(&mut program, &world, r);
}
