//! xsecurelock 1.5.1 on Xvfb, PAM as the user (pam_wrapper): each prompt on one line as
//! "user@host - <prompt>", cut at the screen's edge. Its own service `xsecurelock`
//! (`XSECURELOCK_PAM_SERVICE`, as docs/desktop.md says) gets one-line prompts from the daemon
//! without `render=` on the line.

use crate::flows;
use mfa_tests::desktop::{SignInWorld, Xsecurelock};

#[test]
fn password_and_code_unlock() {
    let world = SignInWorld::start("mfa-d-xsecur-a");
    let r = &flows::ONE_LINE_BY_SERVICE;
    let mut program = Xsecurelock::start(&world, r.args, "code");
    flows::password_and_code_unlock(&mut program, &world, r);
}

#[test]
fn a_wrong_code_stays_locked_and_is_audited() {
    let world = SignInWorld::start("mfa-d-xsecur-b");
    let r = &flows::ONE_LINE_BY_SERVICE;
    let mut program = Xsecurelock::start(&world, r.args, "wrong-code");
    flows::wrong_code_stays_locked(&mut program, &world, r);
}

#[test]
fn the_one_choice_menu_and_a_phone_call_unlock() {
    let world = SignInWorld::start("mfa-d-xsecur-c");
    let r = &flows::ONE_LINE_BY_SERVICE;
    let mut program = Xsecurelock::start(&world, r.args, "menu-call");
    flows::menu_and_call_unlock(&mut program, &world, r);
}

#[test]
fn render_oneline_on_the_line_gives_the_same_one_choice_menu() {
    let world = SignInWorld::start("mfa-d-xsecur-f");
    let r = &flows::ONE_LINE;
    let mut program = Xsecurelock::start(&world, r.args, "oneline-menu-call");
    flows::menu_and_call_unlock(&mut program, &world, r);
}
