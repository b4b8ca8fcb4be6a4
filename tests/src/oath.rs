//! Independent TOTP codes from oath-toolkit's `oathtool`.

use std::process::{Command, Stdio};
use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since the Unix epoch, now.
pub fn now_unix() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs()
}

/// The TOTP code for `secret_b32` computed by the real `oathtool`
/// (`oathtool --totp=sha1 -d 6 -s 30s -b SECRET [-N @time]`).
///
/// `algo` is `"SHA1"`, `"SHA256"` or `"SHA512"` (any case); `at_unix` is the moment to compute
/// the code for (`None` = now). Spaces in the secret are ignored and missing `=` padding added.
pub fn oathtool_code(
    secret_b32: &str,
    algo: &str,
    digits: u32,
    period: u64,
    at_unix: Option<u64>,
) -> String {
    let mode = match algo.to_ascii_uppercase().as_str() {
        "SHA1" => "--totp=sha1",
        "SHA256" => "--totp=sha256",
        "SHA512" => "--totp=sha512",
        other => panic!("oathtool_code: unknown algorithm {other:?}"),
    };
    let mut secret: String = secret_b32
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    while !secret.len().is_multiple_of(8) {
        secret.push('=');
    }
    let mut cmd = Command::new("oathtool");
    cmd.arg(mode)
        .arg(format!("--digits={digits}"))
        .arg(format!("--time-step-size={period}s"))
        .arg("--base32");
    if let Some(t) = at_unix {
        cmd.arg(format!("--now=@{t}"));
    }
    let out = cmd
        .arg(&secret)
        .stdin(Stdio::null())
        .output()
        .expect("cannot run oathtool (apt-get install oathtool)");
    assert!(
        out.status.success(),
        "oathtool failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let code = String::from_utf8(out.stdout)
        .expect("utf-8")
        .trim()
        .to_string();
    assert!(
        code.len() == digits as usize && code.bytes().all(|b| b.is_ascii_digit()),
        "oathtool printed {code:?}"
    );
    code
}

/// A code of `digits` digits that is wrong for every step within ±2 of now (so a test's "wrong
/// code" can never be right by chance, whatever the daemon's window).
pub fn wrong_code(secret_b32: &str, algo: &str, digits: u32, period: u64) -> String {
    let now = now_unix();
    let near: Vec<String> = (0..5)
        .map(|i| {
            oathtool_code(
                secret_b32,
                algo,
                digits,
                period,
                Some(now + 2 * period - i * period),
            )
        })
        .collect();
    (0..10u32)
        .map(|d| d.to_string().repeat(digits as usize))
        .find(|c| !near.contains(c))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B vectors (8 digits) at T = 59 and 1111111109.
    #[test]
    fn rfc6238_vectors() {
        // "12345678901234567890" (SHA1), 32-byte and 64-byte variants, in base32.
        let sha1 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
        let sha256 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA";
        let sha512 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNA=";
        assert_eq!(oathtool_code(sha1, "SHA1", 8, 30, Some(59)), "94287082");
        assert_eq!(oathtool_code(sha256, "sha256", 8, 30, Some(59)), "46119246");
        assert_eq!(oathtool_code(sha512, "SHA512", 8, 30, Some(59)), "90693936");
        assert_eq!(
            oathtool_code(sha1, "SHA1", 8, 30, Some(1111111109)),
            "07081804"
        );
    }

    #[test]
    fn six_digits_and_unpadded_secrets() {
        let code = oathtool_code("JBSWY3DPEHPK3PXP", "SHA1", 6, 30, Some(0));
        assert_eq!(code, "282760");
        let now = oathtool_code("jbsw y3dp ehpk 3pxp", "SHA1", 6, 30, None);
        assert_eq!(now.len(), 6);
        // A 26-character (unpadded, 16-byte) secret as authenticator apps show them.
        assert_eq!(
            oathtool_code("GEZDGNBVGY3TQOJQGEZDGNBVGY", "SHA1", 6, 30, Some(0)).len(),
            6
        );
    }
}
