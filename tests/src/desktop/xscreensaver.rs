//! xscreensaver 6.06, run by the user (`xscreensaver -no-splash`, locked with
//! `xscreensaver-command -lock`). Its dialog, `xscreensaver-auth`, is setuid, so pam_wrapper
//! cannot reach it: the test writes `/etc/pam.d/xscreensaver` and puts the original back on
//! drop. The field's label is the PAM prompt; info and error messages come in a modal box with
//! an OK button; after a sign-in that followed refused ones it reports them in a box, too.

use std::path::PathBuf;
use std::thread::sleep;
use std::time::Duration;

use crate::desktop::account::Account;
use crate::desktop::locker::Locker;
use crate::desktop::screen::{LockScreen, SETTLE};
use crate::desktop::system_pam::SystemPamFile;
use crate::desktop::world::SignInWorld;
use crate::desktop::x_session::{XSession, as_pairs};
use crate::wait::try_wait_for;

pub struct Xscreensaver {
    pub x: XSession,
    daemon: Locker,
    user_env: Vec<(&'static str, String)>,
    user: Account,
    attempts: u32,
    _pam: SystemPamFile,
}

impl Xscreensaver {
    /// The user's screen locked by xscreensaver, the password then pam_mfa with `args`.
    pub fn start(world: &SignInWorld, args: &[&str], case: &str) -> Xscreensaver {
        let pam = SystemPamFile::replace("xscreensaver", &world.password_then_mfa(args));
        let x = XSession::start(&world.user, "xscreensaver", case);
        let user_env = x.user_env();
        // A blank screen instead of the graphics hacks: they would take the two cores the
        // whole test run shares.
        let settings = world.user.home().join(".xscreensaver");
        std::fs::write(
            &settings,
            "mode: blank\nlock: True\nsplash: False\ndpmsEnabled: False\n",
        )
        .expect("write ~/.xscreensaver");
        std::os::unix::fs::chown(&settings, Some(world.user.uid), Some(world.user.uid))
            .expect("chown ~/.xscreensaver");
        let mut command = world.user.command("xscreensaver", &as_pairs(&user_env));
        command.arg("-no-splash");
        let daemon = Locker::spawn_as("xscreensaver", command, world.user.uid);
        let mut saver = Xscreensaver {
            x,
            daemon,
            user_env,
            user: Account::clone(&world.user),
            attempts: 0,
            _pam: pam,
        };
        let locked = try_wait_for(Duration::from_secs(20), || {
            saver.command(&["-lock"]);
            saver.status().contains("locked").then_some(())
        });
        assert!(
            locked.is_some(),
            "xscreensaver did not lock:\n{}",
            saver.describe()
        );
        saver
    }

    /// `xscreensaver-command ARGS…` as the user; its stdout.
    fn command(&self, args: &[&str]) -> String {
        self.user
            .command("xscreensaver-command", &as_pairs(&self.user_env))
            .args(args)
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .unwrap_or_default()
    }

    /// "screen locked since …" / "screen non-blanked since …".
    fn status(&self) -> String {
        self.command(&["-time"])
    }
}

impl LockScreen for Xscreensaver {
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
        let unlocked = |s: &Self| s.status().contains("non-blanked").then_some(());
        if try_wait_for(SETTLE * 2, || unlocked(self)).is_some() {
            return true;
        }
        // "There have been N failed login attempts": OK, as the user would.
        self.x.xvfb.key("Return");
        try_wait_for(timeout, || unlocked(self)).is_some()
    }

    fn still_locked(&mut self) -> bool {
        self.status().contains(" locked")
    }

    fn begin_attempt(&mut self) {
        self.attempts += 1;
        if self.attempts > 1 {
            // The refusal came in boxes with OK (the daemon's message, then xscreensaver's
            // "Authentication failed!"): OK until the dialog is gone.
            let closed = try_wait_for(Duration::from_secs(15), || {
                self.x.xvfb.key("Return");
                try_wait_for(SETTLE, || {
                    (!self.daemon.has_child("xscreensaver-au")).then_some(())
                })
            });
            assert!(closed.is_some(), "the refusal stays:\n{}", self.describe());
        }
        // A key wakes the dialog (Shift types nothing into it); right after locking
        // xscreensaver ignores input for a moment, so the key is pressed until it shows.
        let shown = try_wait_for(Duration::from_secs(15), || {
            self.x.xvfb.key("shift");
            try_wait_for(Duration::from_secs(2), || {
                self.daemon.has_child("xscreensaver-au").then_some(())
            })
        });
        assert!(shown.is_some(), "no dialog:\n{}", self.describe());
        sleep(SETTLE);
    }

    fn describe(&mut self) -> String {
        format!(
            "--- {} ({}) ---\n{}",
            self.daemon.name(),
            self.status().trim(),
            self.daemon.output()
        )
    }
}
