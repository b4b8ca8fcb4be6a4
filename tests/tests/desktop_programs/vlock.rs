//! `vlock -c` locking the user's terminal (tmux); PAM runs as root in the setuid `vlock-main`
//! with a test-written `/etc/pam.d/vlock`.

use crate::flows;
use mfa_tests::desktop::{SignInWorld, Vlock};

#[test]
fn password_and_code_unlock() {
    let world = SignInWorld::start("mfa-d-vlock-a");
    let mut program = Vlock::start(&world, flows::LINES.args, "code");
    flows::password_and_code_unlock(&mut program.screen, &world, &flows::LINES);
}

#[test]
fn a_wrong_code_stays_locked_and_is_audited() {
    let world = SignInWorld::start("mfa-d-vlock-b");
    let mut program = Vlock::start(&world, flows::LINES.args, "wrong-code");
    flows::wrong_code_stays_locked(&mut program.screen, &world, &flows::LINES);
}

#[test]
fn the_menu_and_a_phone_call_unlock() {
    let world = SignInWorld::start("mfa-d-vlock-c");
    let mut program = Vlock::start(&world, flows::LINES.args, "menu-call");
    flows::menu_and_call_unlock(&mut program.screen, &world, &flows::LINES);
}
