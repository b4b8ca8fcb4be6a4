//! Is the clock synchronised? TOTP codes are the time: a clock that drifts more than the
//! verification window rejects every code. The kernel knows whether an NTP client keeps it in
//! step (`adjtimex`, read-only: `modes = 0`); `timedatectl`'s `NTPSynchronized` reads the same
//! flag.

use super::report::Finding;

/// The kernel's view of the clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KernelClock {
    /// adjtimex's return value: the clock state (`TIME_OK` … `TIME_ERROR`).
    pub state: i32,
    /// `timex.status` bits.
    pub status: i32,
    /// `timex.maxerror`, in microseconds.
    pub max_error_us: i64,
}

/// Reads the kernel clock state without changing anything.
pub fn read() -> std::io::Result<KernelClock> {
    // SAFETY: an all-zero timex is valid input; modes = 0 only reads.
    let mut tx: libc::timex = unsafe { std::mem::zeroed() };
    // SAFETY: tx is a valid, writable timex.
    let state = unsafe { libc::adjtimex(&mut tx) };
    if state < 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(KernelClock {
        state,
        status: tx.status,
        max_error_us: tx.maxerror,
    })
}

/// The finding for a clock state. `tolerance_secs`: how far off a code may be and still be
/// accepted (window × period), when the config is known.
pub fn assess(clock: &KernelClock, tolerance_secs: Option<u64>) -> Finding {
    let unsynced = clock.state == libc::TIME_ERROR || clock.status & libc::STA_UNSYNC != 0;
    if unsynced {
        let tolerance = match tolerance_secs {
            Some(s) => format!("more than {s} s off"),
            None => "off by more than the verification window".to_owned(),
        };
        Finding::warn(
            format!(
                "clock: the system clock is not synchronised (the kernel reports STA_UNSYNC); \
                 authenticator codes follow the time, and a clock {tolerance} rejects every code"
            ),
            "enable time synchronisation: timedatectl set-ntp true (systemd-timesyncd), or \
             install chrony",
        )
    } else {
        Finding::ok(format!(
            "clock: synchronised (estimated error {} ms)",
            clock.max_error_us / 1000
        ))
    }
}

/// Reads and assesses the clock.
pub fn check(tolerance_secs: Option<u64>) -> Finding {
    match read() {
        Ok(clock) => assess(&clock, tolerance_secs),
        Err(e) => Finding::warn(
            format!("clock: cannot read the kernel clock state ({e})"),
            "check time synchronisation by hand: timedatectl show -p NTPSynchronized",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::doctor::report::Level;

    #[test]
    fn an_unsynchronised_clock_is_a_warning_with_the_tolerance() {
        let clock = KernelClock {
            state: libc::TIME_ERROR,
            status: libc::STA_UNSYNC,
            max_error_us: 16_000_000,
        };
        let f = assess(&clock, Some(30));
        assert_eq!(f.level, Level::Warn);
        assert!(f.text.contains("more than 30 s off"), "{f:?}");
        assert!(f.fix.unwrap().contains("timedatectl set-ntp true"));
    }

    #[test]
    fn the_unsync_flag_alone_is_enough_to_warn() {
        let clock = KernelClock {
            state: libc::TIME_OK,
            status: libc::STA_UNSYNC | libc::STA_PLL,
            max_error_us: 0,
        };
        assert_eq!(assess(&clock, None).level, Level::Warn);
    }

    #[test]
    fn a_synchronised_clock_is_ok() {
        let clock = KernelClock {
            state: libc::TIME_OK,
            status: libc::STA_PLL,
            max_error_us: 12_000,
        };
        let f = assess(&clock, Some(30));
        assert_eq!(f.level, Level::Ok);
        assert!(f.text.contains("12 ms"), "{f:?}");
    }
}
