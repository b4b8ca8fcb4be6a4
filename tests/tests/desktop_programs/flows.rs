//! The sign-ins every program goes through, written once against [`LockScreen`]: the same
//! keys a user presses, the same checks of what they get.

use mfa_tests::desktop::{DESKTOP_PASSWORD, LockScreen, SignInWorld};
use std::time::Duration;

const UNLOCK_TIMEOUT: Duration = Duration::from_secs(20);

/// How the daemon words its prompts for a program (`render=`), and the way from the code
/// prompt to the phone call: each step the prompt waited for (a piece of its text) and the
/// answer typed.
pub struct Rendering {
    pub args: &'static [&'static str],
    pub code_prompt: &'static str,
    pub call_prompt: &'static str,
    pub to_the_call: &'static [(&'static str, &'static str)],
}

/// Several lines per prompt (the default): `?`, then the call's number in the menu.
pub const LINES: Rendering = Rendering {
    args: &[],
    code_prompt: "Verification code",
    call_prompt: "Calling",
    to_the_call: &[("Verification code", "?"), ("Number", "3")],
};

/// As [`LINES`], reaching the menu with Enter alone: the first empty answer shows the code
/// prompt again, the second the menu (never counted as a wrong code).
pub const LINES_BY_EMPTY_ENTER: Rendering = Rendering {
    to_the_call: &[
        ("Verification code", ""),
        ("Verification code", ""),
        ("Number", "3"),
    ],
    ..LINES
};

/// One line of at most 40 characters per prompt (`render=oneline`): `?`, then the menu one
/// choice per prompt, "n" for the next, Enter to take it (app, text, call).
pub const ONE_LINE: Rendering = Rendering {
    args: &["render=oneline"],
    code_prompt: "Code",
    call_prompt: "press #",
    to_the_call: &[("Code", "?"), ("1/3", "n"), ("2/3", "n"), ("3/3", "")],
};

/// [`ONE_LINE`] without `render=` on the line: the daemon picks one line by the service's name
/// (xscreensaver, xsecurelock, GDM…), as it does once the pam-auth-update profile is enabled.
pub const ONE_LINE_BY_SERVICE: Rendering = Rendering {
    args: &[],
    ..ONE_LINE
};

/// As [`ONE_LINE_BY_SERVICE`], reaching the one-choice menu with Enter alone.
pub const ONE_LINE_BY_EMPTY_ENTER: Rendering = Rendering {
    to_the_call: &[
        ("Code", ""),
        ("Code", ""),
        ("1/3", "n"),
        ("2/3", "n"),
        ("3/3", ""),
    ],
    ..ONE_LINE_BY_SERVICE
};

/// Fails the test with everything the screen and the daemon said.
fn explain(screen: &mut dyn LockScreen, world: &SignInWorld) -> String {
    format!(
        "{}\n--- daemon log ---\n{}\n--- audit ---\n{}",
        screen.describe(),
        world.daemon.log(),
        world.audit()
    )
}

/// The password, then each `(prompt, answer)`; a screenshot at each prompt.
fn password_then(screen: &mut dyn LockScreen, steps: &[(&str, &str)], moments: &[&str]) {
    screen.begin_attempt();
    screen.wait_prompt("Password");
    screen.shot("password-prompt");
    screen.answer(DESKTOP_PASSWORD);
    for (n, (prompt, answer)) in steps.iter().enumerate() {
        screen.wait_prompt(prompt);
        screen.shot(moments.get(n).copied().unwrap_or("prompt"));
        screen.answer(answer);
    }
}

/// The password and the app's code let the user in; the daemon granted it.
pub fn password_and_code_unlock(screen: &mut dyn LockScreen, world: &SignInWorld, r: &Rendering) {
    password_then(screen, &[(r.code_prompt, &world.code())], &["code-prompt"]);
    let unlocked = screen.wait_unlocked(UNLOCK_TIMEOUT);
    screen.shot("unlocked");
    assert!(unlocked, "not let in\n{}", explain(screen, world));
    assert_eq!(world.decisions("granted"), 1, "{}", explain(screen, world));
}

/// A wrong code keeps the user out and is audited as one; the right code afterwards lets them in.
pub fn wrong_code_stays_locked(screen: &mut dyn LockScreen, world: &SignInWorld, r: &Rendering) {
    password_then(
        screen,
        &[(r.code_prompt, &world.wrong_code())],
        &["code-prompt"],
    );
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

    password_then(screen, &[(r.code_prompt, &world.code())], &["code-prompt"]);
    let unlocked = screen.wait_unlocked(UNLOCK_TIMEOUT);
    screen.shot("then-unlocked");
    assert!(
        unlocked,
        "the right code after a wrong one\n{}",
        explain(screen, world)
    );
}

/// From the code prompt to the menu and the phone call ([`Rendering::to_the_call`]); Enter
/// waits while the phone rings, and the callee's # lets the user in. Nothing on the way is
/// counted as a wrong code.
pub fn menu_and_call_unlock(screen: &mut dyn LockScreen, world: &SignInWorld, r: &Rendering) {
    let moments: Vec<String> = (1..=r.to_the_call.len())
        .map(|n| match n {
            1 => "code-prompt".to_string(),
            n => format!("menu-{}", n - 1),
        })
        .collect();
    let moments: Vec<&str> = moments.iter().map(String::as_str).collect();
    password_then(screen, r.to_the_call, &moments);
    screen.wait_prompt(r.call_prompt);
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
    assert_eq!(
        world.decisions("denied-wrong-code"),
        0,
        "{}",
        explain(screen, world)
    );
}
