//! i3lock 2.14.1, run by the user with PAM as the user (pam_wrapper, private service `i3lock`).
//! It has one input field: every PAM prompt gets the same typed buffer, and info text is
//! dropped, so it can only sign in with the module's `single_buffer=` mode (password, the
//! separator, the code, in one go). `-n`: it stays in the foreground and exits 0 once unlocked.

use std::path::PathBuf;
use std::thread::sleep;
use std::time::Duration;

use crate::desktop::locker::Locker;
use crate::desktop::screen::{LockScreen, SETTLE};
use crate::desktop::world::SignInWorld;
use crate::desktop::x_session::{XSession, as_pairs, pam_wrapper_env};
use crate::pam::PamStack;

pub struct I3lock {
    pub x: XSession,
    locker: Locker,
    _pam: PamStack,
}

impl I3lock {
    /// The user's screen locked with `stack` as service `i3lock`.
    pub fn start(world: &SignInWorld, stack: &str, case: &str) -> I3lock {
        let x = XSession::start(&world.user, "i3lock", case);
        let pam = world.private_stack("i3lock", stack);
        let mut env = x.user_env();
        env.extend(pam_wrapper_env(pam.dir()));
        let mut command = world.user.command("i3lock", &as_pairs(&env));
        command.args(["-n", "-c", "204060"]);
        let locker = Locker::spawn_as("i3lock", command, world.user.uid);
        sleep(SETTLE);
        I3lock {
            x,
            locker,
            _pam: pam,
        }
    }
}

impl LockScreen for I3lock {
    fn wait_prompt(&mut self, _hint: &str) {
        sleep(SETTLE);
    }

    fn answer(&mut self, text: &str) {
        self.x.xvfb.type_line(text);
    }

    fn shot(&mut self, moment: &str) -> PathBuf {
        self.x.shot(moment)
    }

    fn wait_unlocked(&mut self, timeout: Duration) -> bool {
        self.locker
            .wait_exit(timeout)
            .is_some_and(|status| status.success())
    }

    fn still_locked(&mut self) -> bool {
        self.locker.exited().is_none()
    }

    /// i3lock takes typing at any time; after "Wrong!" it clears the field by itself.
    fn begin_attempt(&mut self) {}

    fn describe(&mut self) -> String {
        format!(
            "--- {} output ---\n{}",
            self.locker.name(),
            self.locker.output()
        )
    }
}
