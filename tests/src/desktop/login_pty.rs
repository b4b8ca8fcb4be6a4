//! `/bin/login` on a pseudo-terminal, as on a text console: run as root under pam_wrapper with a
//! private service directory (service `login`), so /etc/pam.d is never touched.

use crate::desktop::screen::ShotNames;
use crate::desktop::tty_screen::{Begin, SignedIn, TtyScreen};
use crate::desktop::world::SignInWorld;
use crate::pam::PamStack;
use crate::tmux::Tmux;

pub struct ConsoleLogin {
    pub screen: TtyScreen,
    _pam: PamStack,
}

impl ConsoleLogin {
    /// `login <user>` with the password, then pam_mfa with `args`.
    pub fn start(world: &SignInWorld, args: &[&str], case: &str) -> ConsoleLogin {
        let pam = world.private_stack("login", &world.password_then_mfa(args));
        let user = &world.user.name;
        let term = Tmux::start(&format!(
            "env LD_PRELOAD=libpam_wrapper.so PAM_WRAPPER=1 PAM_WRAPPER_SERVICE_DIR={} login {user}",
            pam.dir().display()
        ));
        let screen = TtyScreen::new(
            term,
            ShotNames::new("login", case),
            SignedIn::Shell { user: user.clone() },
            Begin::LoginName(user.clone()),
        );
        ConsoleLogin { screen, _pam: pam }
    }
}
