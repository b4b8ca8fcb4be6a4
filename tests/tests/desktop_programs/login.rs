//! `/bin/login` on a pseudo-terminal (tmux), run as root under pam_wrapper: the password, then the
//! second factor, then a shell as the user.

use crate::flows;
use mfa_tests::desktop::{ConsoleLogin, SignInWorld};

#[test]
fn password_and_code_unlock() {
    let world = SignInWorld::start("mfa-d-login-a");
    let mut program = ConsoleLogin::start(&world, &[], "code");
    flows::password_and_code_unlock(&mut program.screen, &world);
}

#[test]
fn a_wrong_code_stays_locked_and_is_audited() {
    let world = SignInWorld::start("mfa-d-login-b");
    let mut program = ConsoleLogin::start(&world, &[], "wrong-code");
    flows::wrong_code_stays_locked(&mut program.screen, &world);
}

#[test]
fn the_menu_and_a_phone_call_unlock() {
    let world = SignInWorld::start("mfa-d-login-c");
    let mut program = ConsoleLogin::start(&world, &[], "menu-call");
    flows::menu_and_call_unlock(&mut program.screen, &world, flows::CALL_FROM_LINES_MENU);
}
