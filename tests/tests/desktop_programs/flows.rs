//! The sign-ins every program goes through, written once against [`LockScreen`]: the same
//! keys a user presses, the same checks of what they get.

use mfa_tests::desktop::{DESKTOP_PASSWORD, LockScreen, SignInWorld};
use std::time::Duration;

const UNLOCK_TIMEOUT: Duration = Duration::from_secs(20);

/// Fails the test with everything the screen and the daemon said.
fn explain(screen: &mut dyn LockScreen, world: &SignInWorld) -> String {
    format!(
        "{}\n--- daemon log ---\n{}\n--- audit ---\n{}",
        screen.describe(),
        world.daemon.log(),
        world.audit()
    )
}

/// The password, then `code` at the code prompt.
fn password_then(screen: &mut dyn LockScreen, code: &str) {
    screen.begin_attempt();
    screen.wait_prompt("Password");
    screen.shot("password-prompt");
    screen.answer(DESKTOP_PASSWORD);
    screen.wait_prompt("Verification code");
    screen.shot("code-prompt");
    screen.answer(code);
}

/// The password and the app's code let the user in; the daemon granted it.
pub fn password_and_code_unlock(screen: &mut dyn LockScreen, world: &SignInWorld) {
    password_then(screen, &world.code());
    let unlocked = screen.wait_unlocked(UNLOCK_TIMEOUT);
    screen.shot("unlocked");
    assert!(unlocked, "not let in\n{}", explain(screen, world));
    assert_eq!(world.decisions("granted"), 1, "{}", explain(screen, world));
}

/// A wrong code keeps the user out and is audited as one; the right code afterwards lets them in.
pub fn wrong_code_stays_locked(screen: &mut dyn LockScreen, world: &SignInWorld) {
    password_then(screen, &world.wrong_code());
    std::thread::sleep(Duration::from_secs(2));
    screen.shot("wrong-code-refused");
    assert!(
        screen.still_locked(),
        "let in with a wrong code\n{}",
        explain(screen, world)
    );
    assert_eq!(
        world.decisions("denied-wrong-code"),
        1,
        "{}",
        explain(screen, world)
    );
    assert_eq!(world.decisions("granted"), 0, "{}", explain(screen, world));

    password_then(screen, &world.code());
    let unlocked = screen.wait_unlocked(UNLOCK_TIMEOUT);
    screen.shot("then-unlocked");
    assert!(
        unlocked,
        "the right code after a wrong one\n{}",
        explain(screen, world)
    );
}

/// The menu of the lines rendering: pick the call by its number.
pub const CALL_FROM_LINES_MENU: &[(&str, &str)] = &[("Number", "3")];

/// `?` at the code prompt shows the menu; the phone call is chosen with `choice` (the prompt
/// waited for, the answer typed), Enter waits while the phone rings, and the callee's # lets
/// the user in.
pub fn menu_and_call_unlock(
    screen: &mut dyn LockScreen,
    world: &SignInWorld,
    choice: &[(&str, &str)],
) {
    password_then(screen, "?");
    for (n, (prompt, key)) in choice.iter().enumerate() {
        screen.wait_prompt(prompt);
        screen.shot(&format!("menu-{}", n + 1));
        screen.answer(key);
    }
    screen.wait_prompt("Calling");
    screen.shot("call-prompt");
    let callee = world.answer_call_later(Duration::from_secs(3));
    screen.answer("");
    std::thread::sleep(Duration::from_millis(1000));
    screen.shot("waiting-for-the-call");
    let unlocked = screen.wait_unlocked(UNLOCK_TIMEOUT);
    screen.shot("unlocked");
    assert_eq!(callee.join().expect("the callee"), 200);
    assert!(
        unlocked,
        "not let in after the call\n{}",
        explain(screen, world)
    );
    let log = world.daemon.log();
    assert!(
        log.contains("method=voice outcome=call-placed"),
        "{}",
        explain(screen, world)
    );
    assert_eq!(world.decisions("granted"), 1, "{}", explain(screen, world));
}
