//! The real console and desktop programs signing a user in with a second factor, headless:
//! `login` and `vlock` in a pseudo-terminal, xscreensaver, xsecurelock and i3lock on a private
//! X server typed at with xdotool (harness: `mfa_tests::desktop`). Each program: the password and
//! a code, a wrong code (still locked, the daemon's audit shows the failure), the `?` menu and a
//! phone call waited for; with `render=oneline` the menu one choice per prompt (login,
//! xsecurelock, xscreensaver), and Enter alone at the code prompt showing it again, then the menu
//! (login, xscreensaver). i3lock only in `single_buffer=+` mode (see `i3lock.rs`). What the user
//! saw is kept in `target/test-artifacts/screenshots/desktop-<program>-<case>-NN-<moment>.png`
//! (`.txt`: the terminal's text for login and vlock).
//!
//! A binary of its own (runs once, not once per store): vlock and xscreensaver are setuid, so
//! their tests write `/etc/pam.d/vlock` and `/etc/pam.d/xscreensaver` (put back on drop and on
//! panic; one test at a time per file), and each test owns an X server or a terminal. Needs
//! root and `scripts/deps.sh test`. One program: `cargo test -p mfa_tests --test
//! desktop_programs xsecurelock::`.
//!
//! Not here: pkexec — tried with a system bus and polkitd started by hand: its text agent asks,
//! PAM runs in the setuid helper, but polkitd then refuses "No session for cookie" without
//! logind; GDM, SDDM, LightDM and kscreenlocker (logind and a real session). docs/desktop.md
//! has their checklist.

mod flows;
mod i3lock;
mod login;
mod vlock;
mod xscreensaver;
mod xsecurelock;
