//! The real console and desktop programs signing a user in with a second factor, headless:
//! `login` and `vlock` in a pseudo-terminal, xscreensaver, xsecurelock and i3lock on a private
//! X server typed at with xdotool (harness: `mfa_tests::desktop`). Each program: the password and
//! a code, a wrong code (still locked, the daemon's audit shows the failure), the `?` menu and a
//! phone call waited for. What the user saw is kept in
//! `target/test-artifacts/screenshots/desktop-<program>-<case>-NN-<moment>.{png,txt}`.
//!
//! A binary of its own (runs once, not once per store): the programs touch /etc/pam.d for the
//! setuid ones, and each test owns an X server or a terminal. Needs root and
//! `scripts/deps.sh test`. Run one program: `cargo test -p mfa_tests --test desktop_programs xsecurelock::`.

mod flows;
mod i3lock;
mod login;
mod vlock;
mod xscreensaver;
mod xsecurelock;
