//! The real console and desktop sign-in programs, headless, as a user meets them: `login` and
//! `vlock` in a pseudo-terminal (tmux), and the screen lockers xscreensaver, xsecurelock and
//! i3lock on a private X server (Xvfb) typed at with xdotool. Each program has a driver that
//! implements [`LockScreen`]; the tests keep what the user saw at each step as artifacts in
//! `target/test-artifacts/screenshots/desktop-*` (PNG for X, the terminal's text for tmux).

mod account;
mod i3lock;
mod locker;
mod login_pty;
mod screen;
mod system_pam;
mod tty_screen;
mod vlock;
mod world;
mod x_session;
mod xscreensaver;
mod xsecurelock;

pub use account::{Account, DESKTOP_PASSWORD, DesktopUser};
pub use i3lock::I3lock;
pub use locker::Locker;
pub use login_pty::ConsoleLogin;
pub use screen::{LockScreen, SETTLE, ShotNames};
pub use system_pam::SystemPamFile;
pub use tty_screen::{Begin, SignedIn, TtyScreen};
pub use vlock::Vlock;
pub use world::{APP_SECRET, PHONE_NUMBER, SignInWorld};
pub use x_session::XSession;
pub use xscreensaver::Xscreensaver;
pub use xsecurelock::Xsecurelock;
