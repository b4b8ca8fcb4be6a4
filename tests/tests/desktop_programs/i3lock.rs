//! i3lock 2.14.1 on Xvfb, PAM as the user (pam_wrapper, service `i3lock`). i3lock has one
//! field and answers EVERY prompt with the same typed buffer, drops info text, and runs
//! pam_authenticate inside its X event loop. So it signs in only in the module's
//! `single_buffer=+` mode: the password, `+`, the code, typed in one go; the module splits the
//! buffer, checks the code with the daemon and hands the password to `pam_unix.so
//! use_first_pass`. There is no `?` menu and no push or call wait here: i3lock cannot ask a
//! second question nor show the prompt that says what to do on the phone.
//!
//! Without `single_buffer=` the code prompt gets the password again; the module sees the
//! same answer, fails at once and sends nothing to the daemon, instead of "Wrong!" forever.

use mfa_tests::desktop::{DESKTOP_PASSWORD, I3lock, LockScreen, SignInWorld};
use std::time::{Duration, Instant};

/// What docs/desktop.md tells i3lock users to put in /etc/pam.d/i3lock.
fn single_buffer_stack(world: &SignInWorld) -> String {
    format!(
        "{}\nauth required pam_unix.so use_first_pass\naccount required pam_permit.so\n",
        world.pam_line(&["single_buffer=+"])
    )
}

fn explain(screen: &mut I3lock, world: &SignInWorld) -> String {
    format!(
        "{}\n--- daemon log ---\n{}\n--- audit ---\n{}",
        screen.describe(),
        world.daemon.log(),
        world.audit()
    )
}

#[test]
fn the_password_plus_the_code_in_its_one_field_unlocks() {
    let world = SignInWorld::start("mfa-d-i3lock-a");
    let mut screen = I3lock::start(&world, &single_buffer_stack(&world), "password-plus-code");
    screen.shot("locked");
    screen.answer(&format!("{DESKTOP_PASSWORD}+{}", world.code()));
    let unlocked = screen.wait_unlocked(Duration::from_secs(20));
    screen.shot("unlocked");
    assert!(unlocked, "not let in\n{}", explain(&mut screen, &world));
    assert_eq!(
        world.decisions("granted"),
        1,
        "{}",
        explain(&mut screen, &world)
    );
}

#[test]
fn a_wrong_code_after_the_plus_stays_locked_and_is_audited() {
    let world = SignInWorld::start("mfa-d-i3lock-b");
    let mut screen = I3lock::start(&world, &single_buffer_stack(&world), "wrong-code");
    screen.answer(&format!("{DESKTOP_PASSWORD}+{}", world.wrong_code()));
    std::thread::sleep(Duration::from_millis(300));
    screen.shot("verifying");
    std::thread::sleep(Duration::from_millis(1200));
    screen.shot("wrong-code-refused");
    std::thread::sleep(Duration::from_secs(1));
    assert!(
        screen.still_locked(),
        "let in\n{}",
        explain(&mut screen, &world)
    );
    assert_eq!(
        world.decisions("denied-wrong-code"),
        1,
        "{}",
        explain(&mut screen, &world)
    );

    // The field is cleared and takes the next try.
    screen.answer(&format!("{DESKTOP_PASSWORD}+{}", world.code()));
    let unlocked = screen.wait_unlocked(Duration::from_secs(20));
    screen.shot("then-unlocked");
    assert!(
        unlocked,
        "the right code after a wrong one\n{}",
        explain(&mut screen, &world)
    );
}

#[test]
fn without_single_buffer_the_password_fed_to_the_code_prompt_fails_fast_and_reaches_no_daemon() {
    let world = SignInWorld::start("mfa-d-i3lock-c");
    // Six digits: were it sent on as the code, the daemon would take it for a wrong one.
    let password = "246813";
    world.user.set_password(password);
    // The stack a new user writes first: password, then the second factor.
    let stack = format!(
        "auth requisite pam_unix.so nodelay\n{}\naccount required pam_permit.so\n",
        world.pam_line(&[])
    );
    let mut screen = I3lock::start(&world, &stack, "no-single-buffer");
    for attempt in 1..=2 {
        let started = Instant::now();
        screen.answer(password);
        std::thread::sleep(Duration::from_millis(700));
        screen.shot(&format!("attempt-{attempt}"));
        // A blocked or looping pam_authenticate would hold i3lock's event loop; a failed one
        // is over long before the next try.
        std::thread::sleep(Duration::from_secs(2));
        assert!(
            screen.still_locked(),
            "let in\n{}",
            explain(&mut screen, &world)
        );
        assert!(started.elapsed() < Duration::from_secs(10));
    }
    // Nothing the user typed went to the daemon as a code: no wrong code counted, no lockout
    // creeping up, and nobody let in.
    assert_eq!(
        world.decisions("denied-wrong-code"),
        0,
        "{}",
        explain(&mut screen, &world)
    );
    assert_eq!(
        world.decisions("granted"),
        0,
        "{}",
        explain(&mut screen, &world)
    );
}
