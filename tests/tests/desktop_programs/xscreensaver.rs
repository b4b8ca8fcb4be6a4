//! xscreensaver 6.06 on Xvfb: the dialog's field takes each prompt as its label; messages come in
//! a modal box with OK. PAM runs as the user from a test-written `/etc/pam.d/xscreensaver`.
//! Its line has no `render=`: the daemon gives the `xscreensaver` service one-line prompts (the
//! numbered menu would be squeezed into the label column, numbers cut).

use crate::flows;
use mfa_tests::desktop::{SignInWorld, Xscreensaver};

#[test]
fn password_and_code_unlock() {
    let world = SignInWorld::start("mfa-d-xscree-a");
    let r = &flows::ONE_LINE_BY_SERVICE;
    let mut program = Xscreensaver::start(&world, r.args, "code");
    flows::password_and_code_unlock(&mut program, &world, r);
}

#[test]
fn a_wrong_code_stays_locked_and_is_audited() {
    let world = SignInWorld::start("mfa-d-xscree-b");
    let r = &flows::ONE_LINE_BY_SERVICE;
    let mut program = Xscreensaver::start(&world, r.args, "wrong-code");
    flows::wrong_code_stays_locked(&mut program, &world, r);
}

#[test]
fn the_one_choice_menu_and_a_phone_call_unlock() {
    let world = SignInWorld::start("mfa-d-xscree-c");
    let r = &flows::ONE_LINE_BY_SERVICE;
    let mut program = Xscreensaver::start(&world, r.args, "menu-call");
    flows::menu_and_call_unlock(&mut program, &world, r);
}

#[test]
fn an_empty_enter_at_the_code_prompt_asks_again_then_shows_the_menu() {
    let world = SignInWorld::start("mfa-d-xscree-d");
    let r = &flows::ONE_LINE_BY_EMPTY_ENTER;
    let mut program = Xscreensaver::start(&world, r.args, "empty-enter");
    flows::menu_and_call_unlock(&mut program, &world, r);
}

#[test]
fn render_oneline_on_the_line_gives_the_same_one_choice_menu() {
    let world = SignInWorld::start("mfa-d-xscree-f");
    let r = &flows::ONE_LINE;
    let mut program = Xscreensaver::start(&world, r.args, "oneline-menu-call");
    flows::menu_and_call_unlock(&mut program, &world, r);
}
