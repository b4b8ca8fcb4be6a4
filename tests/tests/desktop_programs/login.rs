//! `/bin/login` on a pseudo-terminal (tmux), run as root under pam_wrapper: the password, then the
//! second factor, then a shell as the user.

use crate::flows;
use mfa_tests::desktop::{ConsoleLogin, SignInWorld};

#[test]
fn password_and_code_unlock() {
    let world = SignInWorld::start("mfa-d-login-a");
    let mut program = ConsoleLogin::start(&world, flows::LINES.args, "code");
    flows::password_and_code_unlock(&mut program.screen, &world, &flows::LINES);
}

#[test]
fn a_wrong_code_stays_locked_and_is_audited() {
    let world = SignInWorld::start("mfa-d-login-b");
    let mut program = ConsoleLogin::start(&world, flows::LINES.args, "wrong-code");
    flows::wrong_code_stays_locked(&mut program.screen, &world, &flows::LINES);
}

#[test]
fn the_menu_and_a_phone_call_unlock() {
    let world = SignInWorld::start("mfa-d-login-c");
    let mut program = ConsoleLogin::start(&world, flows::LINES.args, "menu-call");
    flows::menu_and_call_unlock(&mut program.screen, &world, &flows::LINES);
}

#[test]
fn an_empty_enter_at_the_code_prompt_asks_again_then_shows_the_menu() {
    let world = SignInWorld::start("mfa-d-login-d");
    let r = &flows::LINES_BY_EMPTY_ENTER;
    let mut program = ConsoleLogin::start(&world, r.args, "empty-enter");
    flows::menu_and_call_unlock(&mut program.screen, &world, r);
}

#[test]
fn oneline_password_and_code_unlock() {
    let world = SignInWorld::start("mfa-d-login-e");
    let r = &flows::ONE_LINE;
    let mut program = ConsoleLogin::start(&world, r.args, "oneline-code");
    flows::password_and_code_unlock(&mut program.screen, &world, r);
}

#[test]
fn oneline_the_menu_one_choice_per_prompt_and_a_phone_call_unlock() {
    let world = SignInWorld::start("mfa-d-login-f");
    let r = &flows::ONE_LINE;
    let mut program = ConsoleLogin::start(&world, r.args, "oneline-menu-call");
    flows::menu_and_call_unlock(&mut program.screen, &world, r);
}
