//! `vlock -c` in a terminal, run by the user. Its PAM part (`vlock-main`) is setuid root, so
//! pam_wrapper cannot reach it: the test writes `/etc/pam.d/vlock` (absent on Debian, where
//! vlock falls back to `other`) and puts it back on drop.

use crate::desktop::screen::ShotNames;
use crate::desktop::system_pam::SystemPamFile;
use crate::desktop::tty_screen::{Begin, SignedIn, TtyScreen};
use crate::desktop::world::SignInWorld;
use crate::tmux::Tmux;

pub struct Vlock {
    pub screen: TtyScreen,
    _pam: SystemPamFile,
}

impl Vlock {
    /// The user's terminal locked with `vlock -c`, the password then pam_mfa with `args`.
    pub fn start(world: &SignInWorld, args: &[&str], case: &str) -> Vlock {
        let pam = SystemPamFile::replace("vlock", &world.password_then_mfa(args));
        let user = &world.user;
        let term = Tmux::start(&format!(
            "setpriv --reuid={uid} --regid={uid} --clear-groups -- env -i HOME={home} USER={name} \
             LOGNAME={name} TERM=screen PATH=/usr/bin:/bin vlock -c",
            uid = user.uid,
            home = user.home().display(),
            name = user.name
        ));
        let screen = TtyScreen::new(
            term,
            ShotNames::new("vlock", case),
            SignedIn::Exited,
            Begin::PressEnter,
        );
        Vlock { screen, _pam: pam }
    }
}
