//! xsecurelock 1.5.1 on Xvfb, PAM as the user (pam_wrapper): each prompt on one line as
//! "user@host - <prompt>". Lines rendering here; the one-line rendering is in `oneline_*`.

use crate::flows;
use mfa_tests::desktop::{SignInWorld, Xsecurelock};

#[test]
fn password_and_code_unlock() {
    let world = SignInWorld::start("mfa-d-xsecur-a");
    let mut program = Xsecurelock::start(&world, &[], "code");
    flows::password_and_code_unlock(&mut program, &world);
}

#[test]
fn a_wrong_code_stays_locked_and_is_audited() {
    let world = SignInWorld::start("mfa-d-xsecur-b");
    let mut program = Xsecurelock::start(&world, &[], "wrong-code");
    flows::wrong_code_stays_locked(&mut program, &world);
}

#[test]
fn the_menu_and_a_phone_call_unlock() {
    let world = SignInWorld::start("mfa-d-xsecur-c");
    let mut program = Xsecurelock::start(&world, &[], "menu-call");
    flows::menu_and_call_unlock(&mut program, &world, flows::CALL_FROM_LINES_MENU);
}
