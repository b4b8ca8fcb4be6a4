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

pub fn check_factor(
    record: &mut UserRecord,
    code: &str,
    now: u64,
    window: u64,
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
    Ok(
        match totp::verify(&params, code, now, window, method.last_step) {
            Verdict::Accepted(step) => {
                method.last_step = step;
                Check::Accepted("totp")
            }
            Verdict::Replayed => Check::Replayed,
            Verdict::Wrong => Check::Wrong("totp"),
        },
    )
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
