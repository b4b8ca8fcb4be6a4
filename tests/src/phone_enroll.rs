//! Enrolling a phone number the way a user does, whatever gateway carries the text: an app
//! secret first (`mfa enroll phone` asks for a code from it), then `mfa enroll phone NUMBER` in
//! a real terminal, confirmed with the texted code that `texted` finds.

use crate::admin::enroll_totp;
use crate::artifacts::build_once;
use crate::bus::Bus;
use crate::oath::oathtool_code;
use crate::tmux::Tmux;
use crate::users::ensure_user;

/// `user` (a real account, created if needed) gets app secret `secret` and phone `number`.
/// `texted` returns the code the gateway carried (None while nothing arrived yet). Returns the
/// terminal's last screen.
pub fn enroll_phone_via(
    bus: &Bus,
    user: &str,
    secret: &str,
    number: &str,
    texted: impl Fn() -> Option<String>,
) -> String {
    let uid = ensure_user(user);
    enroll_totp(bus, user, secret, 6, "SHA1", 30);
    let mfa = build_once().mfa.display().to_string();
    let term = Tmux::start(&format!(
        "env DBUS_SYSTEM_BUS_ADDRESS={} setpriv --reuid={uid} --regid={uid} --clear-groups -- {mfa} enroll phone '{number}'",
        bus.address()
    ));
    term.wait_for("Verification code", 20);
    term.type_line(&oathtool_code(secret, "SHA1", 6, 30, None));
    let screen = term.wait_for("Code from the text message:", 20);
    // The terminal shows the number masked, never whole.
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    let tail = &digits[digits.len().saturating_sub(8)..];
    assert!(
        !screen.contains(tail),
        "the number is shown masked:\n{screen}"
    );
    let code = texted().expect("the enrollment text reached the gateway");
    term.type_line(&code);
    term.wait_for("EXIT=0", 20)
}

/// The first run of at least 6 digits in `text` (the code inside a texted message).
pub fn code_in(text: &str) -> Option<String> {
    text.split(|c: char| !c.is_ascii_digit())
        .find(|run| run.len() >= 6)
        .map(str::to_string)
}
