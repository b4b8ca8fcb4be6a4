//! xsecurelock 1.5.1, run by the user with PAM as the user (`authproto_pam`): pam_wrapper with a
//! private service directory, the service named by `XSECURELOCK_PAM_SERVICE`. A key shows the
//! prompt, drawn as "user@host - <prompt>"; the locker exits 0 once PAM said yes.

use std::path::PathBuf;
use std::thread::sleep;
use std::time::Duration;

use crate::desktop::locker::Locker;
use crate::desktop::screen::{LockScreen, SETTLE};
use crate::desktop::world::SignInWorld;
use crate::desktop::x_session::{XSession, as_pairs, pam_wrapper_env};
use crate::pam::PamStack;

const SERVICE: &str = "xsecurelock";

pub struct Xsecurelock {
    pub x: XSession,
    locker: Locker,
    attempts: u32,
    _pam: PamStack,
}

impl Xsecurelock {
    /// The user's screen locked, the password then pam_mfa with `args` on its PAM service.
    pub fn start(world: &SignInWorld, args: &[&str], case: &str) -> Xsecurelock {
        let x = XSession::start(&world.user, "xsecurelock", case);
        let pam = world.private_stack(SERVICE, &world.password_then_mfa(args));
        let mut env = x.user_env();
        env.extend(pam_wrapper_env(pam.dir()));
        env.push(("XSECURELOCK_PAM_SERVICE", SERVICE.to_string()));
        let command = world.user.command("xsecurelock", &as_pairs(&env));
        let locker = Locker::spawn_as("xsecurelock", command, world.user.uid);
        sleep(SETTLE);
        Xsecurelock {
            x,
            locker,
            attempts: 0,
            _pam: pam,
        }
    }
}

impl LockScreen for Xsecurelock {
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

    fn begin_attempt(&mut self) {
        self.attempts += 1;
        if self.attempts > 1 {
            // "Authentication failed" stays a moment before the prompt goes away.
            sleep(SETTLE * 2);
        }
        // Any key brings the prompt up; Ctrl types nothing into it.
        self.x.xvfb.key("ctrl");
    }

    fn describe(&mut self) -> String {
        format!(
            "--- {} output ---\n{}",
            self.locker.name(),
            self.locker.output()
        )
    }
}
