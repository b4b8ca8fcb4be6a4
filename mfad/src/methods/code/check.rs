//! Checking one typed code against the user's methods. An answer as long as the user's TOTP
//! codes is a TOTP code; an 8–10 digit answer otherwise is a backup code. Either way the same work is done whether or not the user has
//! that method (a decoy hash or window check stands in), so timing tells nothing.

use crate::config::Algorithm;
use crate::methods::code::backup_codes::{self, BackupCodes};
use crate::methods::code::totp::{self, TotpParams, Verdict};
use crate::store::{TotpMethod, UserRecord};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// Accepted by this method; the record already holds the used-up state to persist.
    Accepted(&'static str),
    Replayed,
    Wrong(&'static str),
}

impl Check {
    pub fn method(self) -> &'static str {
        match self {
            Check::Accepted(m) | Check::Wrong(m) => m,
            Check::Replayed => "totp",
        }
    }
}

/// `fence`: the time from which the store may have lost decisions (`UserStore::replay_fence`):
/// every step that could have been used before it counts as used.
pub fn check_factor(
    record: &mut UserRecord,
    code: &str,
    now: u64,
    window: u64,
    fence: Option<u64>,
) -> Result<Check, String> {
    let totp_digits = record.totp.as_ref().map(|t| t.digits as usize);
    let backup_length = (backup_codes::MIN_DIGITS..=backup_codes::DIGITS).contains(&code.len());
    if backup_length && totp_digits != Some(code.len()) {
        let mut decoy = BackupCodes {
            salt: "decoy-salt-for-timing".into(),
            hashes: Vec::new(),
        };
        let stored = record.backup.as_mut().unwrap_or(&mut decoy);
        let used = backup_codes::consume(stored, code)?;
        return Ok(if used {
            Check::Accepted("backup")
        } else {
            Check::Wrong("backup")
        });
    }
    let Some(method) = record.totp.as_mut() else {
        let _ = totp::verify(&decoy_params(), code, now, window, 0);
        return Ok(Check::Wrong("totp"));
    };
    let params = params_of(method)?;
    // A per-user window (kept from an imported file) wins over the config's.
    let window = method.window.unwrap_or(window);
    let used_before = fence.map_or(0, |t| (t / params.period).saturating_add(window));
    let last_step = method.last_step.max(used_before);
    Ok(match totp::verify(&params, code, now, window, last_step) {
        Verdict::Accepted(step) => {
            method.last_step = step;
            Check::Accepted("totp")
        }
        Verdict::Replayed => Check::Replayed,
        Verdict::Wrong => Check::Wrong("totp"),
    })
}

pub fn params_of(method: &TotpMethod) -> Result<TotpParams, String> {
    let params = TotpParams {
        secret: totp::decode_secret(&method.secret)?,
        algorithm: method
            .algorithm
            .parse::<Algorithm>()
            .map_err(|_| format!("unknown algorithm {}", method.algorithm))?,
        digits: method.digits,
        period: method.period,
    };
    params.validate()?;
    Ok(params)
}

/// A fixed secret for the decoy check of users without a TOTP method.
fn decoy_params() -> TotpParams {
    TotpParams {
        secret: vec![0x5a; totp::NEW_SECRET_BYTES],
        algorithm: Algorithm::Sha1,
        digits: 6,
        period: 30,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    fn record(last_step: u64) -> UserRecord {
        let mut r = UserRecord::new();
        r.totp = Some(TotpMethod {
            secret: SECRET.into(),
            algorithm: "SHA1".into(),
            digits: 6,
            period: 30,
            last_step,
            enrolled_at: 1,
            window: None,
        });
        r
    }

    fn code_at(unix: u64) -> String {
        let method = record(0).totp.expect("totp");
        params_of(&method)
            .expect("params")
            .totp()
            .generate(unix)
            .to_string()
    }

    #[test]
    fn after_a_fence_every_step_that_could_have_been_used_before_it_is_refused() {
        let fenced_at = 30 * 1000 + 5;
        // The current code at the restart, and the next one still inside the window.
        for code_time in [fenced_at, fenced_at + 30] {
            let mut r = record(0);
            let check = check_factor(&mut r, &code_at(code_time), fenced_at, 1, Some(fenced_at));
            assert_eq!(check, Ok(Check::Replayed), "code of {code_time}");
        }
    }

    #[test]
    fn after_a_fence_a_step_no_one_could_have_used_before_it_logs_in() {
        let fenced_at = 30 * 1000 + 5;
        let later = fenced_at + 60;
        let mut r = record(0);
        let check = check_factor(&mut r, &code_at(later), later, 1, Some(fenced_at));
        assert_eq!(check, Ok(Check::Accepted("totp")));
        assert_eq!(r.totp.map(|t| t.last_step), Some(later / 30));
    }

    #[test]
    fn without_a_fence_the_current_code_logs_in() {
        let now = 30 * 1000 + 5;
        let mut r = record(0);
        let check = check_factor(&mut r, &code_at(now), now, 1, None);
        assert_eq!(check, Ok(Check::Accepted("totp")));
    }
}
