//! Admin calls to the daemon through `busctl` (independent of the `mfa admin` CLI).

use crate::bus::Bus;

/// Calls `org.mfa.Mfad1.Admin.EnrollTotp(user, secret, digits, algorithm, period)` as the test's
/// uid (root) and returns the otpauth URI. `""`/`0` mean the config default, an empty secret
/// "generate one". Returns busctl's error text on failure.
pub fn try_enroll_totp(
    bus: &Bus,
    user: &str,
    secret_b32: &str,
    digits: u32,
    algo: &str,
    period: u32,
) -> Result<String, String> {
    let digits = digits.to_string();
    let period = period.to_string();
    let out = bus.busctl(&[
        "call",
        "org.mfa.Mfad1",
        "/org/mfa/Mfad1",
        "org.mfa.Mfad1.Admin",
        "EnrollTotp",
        "ssusu",
        user,
        secret_b32,
        &digits,
        algo,
        &period,
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if !out.status.success() {
        return Err(format!(
            "EnrollTotp failed ({}): {}{}",
            out.status,
            stdout,
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    // busctl prints `s "otpauth://…"`.
    stdout
        .strip_prefix("s \"")
        .and_then(|s| s.strip_suffix('"'))
        .map(str::to_string)
        .ok_or_else(|| format!("unexpected EnrollTotp reply: {stdout:?}"))
}

/// [`try_enroll_totp`], panicking on failure.
pub fn enroll_totp(
    bus: &Bus,
    user: &str,
    secret_b32: &str,
    digits: u32,
    algo: &str,
    period: u32,
) -> String {
    try_enroll_totp(bus, user, secret_b32, digits, algo, period).unwrap_or_else(|e| panic!("{e}"))
}
