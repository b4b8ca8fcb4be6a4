//! xscreensaver 6.06 on Xvfb: the dialog's field takes each prompt as its label; messages come in
//! a modal box with OK. PAM runs as the user from a test-written `/etc/pam.d/xscreensaver`.

use crate::flows;
use mfa_tests::desktop::{SignInWorld, Xscreensaver};

#[test]
fn password_and_code_unlock() {
    let world = SignInWorld::start("mfa-d-xscree-a");
    let mut program = Xscreensaver::start(&world, flows::LINES.args, "code");
    flows::password_and_code_unlock(&mut program, &world, &flows::LINES);
}

#[test]
fn a_wrong_code_stays_locked_and_is_audited() {
    let world = SignInWorld::start("mfa-d-xscree-b");
    let mut program = Xscreensaver::start(&world, flows::LINES.args, "wrong-code");
    flows::wrong_code_stays_locked(&mut program, &world, &flows::LINES);
}

#[test]
fn the_menu_and_a_phone_call_unlock() {
    let world = SignInWorld::start("mfa-d-xscree-c");
    let mut program = Xscreensaver::start(&world, flows::LINES.args, "menu-call");
    flows::menu_and_call_unlock(&mut program, &world, &flows::LINES);
}

#[test]
fn an_empty_enter_at_the_code_prompt_asks_again_then_shows_the_menu() {
    let world = SignInWorld::start("mfa-d-xscree-d");
    let r = &flows::LINES_BY_EMPTY_ENTER;
    let mut program = Xscreensaver::start(&world, r.args, "empty-enter");
    flows::menu_and_call_unlock(&mut program, &world, r);
}

#[test]
fn oneline_the_menu_one_choice_per_prompt_and_a_phone_call_unlock() {
    let world = SignInWorld::start("mfa-d-xscree-f");
    let r = &flows::ONE_LINE;
    let mut program = Xscreensaver::start(&world, r.args, "oneline-menu-call");
    flows::menu_and_call_unlock(&mut program, &world, r);
}
