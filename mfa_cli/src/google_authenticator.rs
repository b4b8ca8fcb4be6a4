//! Reading a google-authenticator-libpam state file (`~/.google_authenticator`) so a user keeps
//! the entry already in their phone app: the secret, the TOTP step size and window, and the
//! scratch codes (which become backup codes).

/// What an import carries over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GaFile {
    pub secret: String,
    pub step_size: u64,
    /// WINDOW_SIZE counts all accepted steps (3 = now ±1); None when the file does not say.
    pub window_size: Option<u64>,
    pub scratch_codes: Vec<String>,
    pub rate_limit: Option<(u32, u32)>,
    pub disallow_reuse: bool,
}

/// Files larger than this are not google-authenticator state files.
pub const MAX_FILE_BYTES: usize = 64 * 1024;

/// Parse the file's text. Errors name the line but never quote it (the file may not be what
/// it claims to be).
pub fn parse(text: &str) -> Result<GaFile, String> {
    if text.len() > MAX_FILE_BYTES {
        return Err("the file is larger than a google-authenticator state file can be".into());
    }
    let mut lines = text.lines();
    let secret = lines
        .next()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or("line 1: no secret")?;
    if !secret.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err("line 1: the secret is not base32".into());
    }
    let mut file = GaFile {
        secret: secret.to_string(),
        step_size: 30,
        window_size: None,
        scratch_codes: Vec::new(),
        rate_limit: None,
        disallow_reuse: false,
    };
    let mut totp = false;
    for (n, line) in lines.enumerate().map(|(i, l)| (i + 2, l.trim())) {
        if line.is_empty() {
            continue;
        }
        if let Some(option) = line.strip_prefix('"') {
            let words: Vec<&str> = option.split_whitespace().collect();
            let number = |i: usize| -> Result<u64, String> {
                words
                    .get(i)
                    .and_then(|w| w.parse().ok())
                    .ok_or_else(|| format!("line {n}: {} needs a number", words[0]))
            };
            match words.first().copied() {
                Some("TOTP_AUTH") => totp = true,
                Some("HOTP_COUNTER") => {
                    return Err(format!(
                        "line {n}: this is a counter-based (HOTP) secret; only time-based (TOTP) secrets can be imported — enroll a new one with `mfa admin enroll-totp`"
                    ));
                }
                Some("STEP_SIZE") => file.step_size = number(1)?,
                Some("WINDOW_SIZE") => file.window_size = Some(number(1)?),
                Some("DISALLOW_REUSE") => file.disallow_reuse = true,
                Some("RATE_LIMIT") => {
                    let (tries, secs) = (number(1)?, number(2)?);
                    file.rate_limit = Some((
                        tries.min(u32::MAX as u64) as u32,
                        secs.min(u32::MAX as u64) as u32,
                    ));
                }
                _ => return Err(format!("line {n}: unknown option")),
            }
        } else if line.len() == 8 && line.bytes().all(|b| b.is_ascii_digit()) {
            file.scratch_codes.push(line.to_string());
        } else {
            return Err(format!(
                "line {n}: neither an option nor an 8-digit scratch code"
            ));
        }
    }
    if !totp {
        return Err(
            "the file has no TOTP_AUTH line: only time-based secrets can be imported".into(),
        );
    }
    Ok(file)
}

impl GaFile {
    /// The daemon's ± window from WINDOW_SIZE (3 → 1, 17 → 8).
    pub fn window(&self) -> Option<u64> {
        self.window_size.map(|w| w.saturating_sub(1) / 2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WRITTEN_BY_GA: &str = "XSD3DQIMJY5UVXHHGSF2JJTKQE\n\" RATE_LIMIT 3 30\n\" WINDOW_SIZE 3\n\" DISALLOW_REUSE\n\" TOTP_AUTH\n66300719\n91941510\n";

    #[test]
    fn a_totp_file_keeps_secret_window_and_scratch_codes() {
        let f = parse(WRITTEN_BY_GA).unwrap();
        assert_eq!(f.secret, "XSD3DQIMJY5UVXHHGSF2JJTKQE");
        assert_eq!(
            (f.step_size, f.window(), f.rate_limit, f.disallow_reuse),
            (30, Some(1), Some((3, 30)), true)
        );
        assert_eq!(f.scratch_codes, vec!["66300719", "91941510"]);
    }

    #[test]
    fn step_size_and_large_window_are_read() {
        let f =
            parse("JRVHHWIHB7OGSRS33ZA47TGPTE\n\" WINDOW_SIZE 17\n\" STEP_SIZE 60\n\" TOTP_AUTH\n")
                .unwrap();
        assert_eq!((f.step_size, f.window()), (60, Some(8)));
    }

    #[test]
    fn hotp_files_are_refused_clearly() {
        let err =
            parse("UJRU6WYN2FN3OYYCOUC65Q373Y\n\" WINDOW_SIZE 3\n\" HOTP_COUNTER 1\n29114641\n")
                .unwrap_err();
        assert!(err.contains("HOTP"), "{err}");
    }

    #[test]
    fn garbage_is_refused_without_quoting_it() {
        let err = parse("root:$6$secret-hash:19000:0:99999:7:::\nmore\n").unwrap_err();
        assert!(!err.contains("secret-hash"), "{err}");
        assert!(parse("").is_err());
        assert!(parse("ABC\n\" TOTP_AUTH\n1234\n").is_err());
    }
}
