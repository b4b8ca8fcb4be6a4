//! Is the clock synchronised? TOTP codes are the time: a clock that drifts more than the
//! verification window rejects every code. The kernel knows whether an NTP client keeps it in
//! step (`adjtimex`, read-only: `modes = 0`); `timedatectl`'s `NTPSynchronized` reads the same
//! flag.

use super::messages::Msg;
use super::report::Finding;
use crate::i18n::tr;
use mfa_config::Language;

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
pub fn assess(clock: &KernelClock, tolerance_secs: Option<u64>, lang: Language) -> Finding {
    let unsynced = clock.state == libc::TIME_ERROR || clock.status & libc::STA_UNSYNC != 0;
    if unsynced {
        let tolerance = match tolerance_secs {
            Some(s) => tr!(lang, Msg::ClockOffBySecs, secs = s),
            None => Msg::ClockOffByWindow.text(lang).to_owned(),
        };
        Finding::warn(
            tr!(lang, Msg::ClockUnsynced, tolerance = tolerance),
            Msg::ClockUnsyncedFix.text(lang),
        )
    } else {
        Finding::ok(tr!(lang, Msg::ClockSynced, ms = clock.max_error_us / 1000))
    }
}

/// Reads and assesses the clock.
pub fn check(tolerance_secs: Option<u64>, lang: Language) -> Finding {
    match read() {
        Ok(clock) => assess(&clock, tolerance_secs, lang),
        Err(e) => Finding::warn(
            tr!(lang, Msg::ClockUnreadable, error = e),
            Msg::ClockUnreadableFix.text(lang),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doctor::report::Level;

    #[test]
    fn an_unsynchronised_clock_is_a_warning_with_the_tolerance() {
        let clock = KernelClock {
            state: libc::TIME_ERROR,
            status: libc::STA_UNSYNC,
            max_error_us: 16_000_000,
        };
        let f = assess(&clock, Some(30), Language::En);
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
        assert_eq!(assess(&clock, None, Language::En).level, Level::Warn);
    }

    #[test]
    fn a_synchronised_clock_is_ok() {
        let clock = KernelClock {
            state: libc::TIME_OK,
            status: libc::STA_PLL,
            max_error_us: 12_000,
        };
        let f = assess(&clock, Some(30), Language::En);
        assert_eq!(f.level, Level::Ok);
        assert!(f.text.contains("12 ms"), "{f:?}");
    }

    #[test]
    fn the_clock_findings_speak_dutch() {
        let clock = KernelClock {
            state: libc::TIME_ERROR,
            status: libc::STA_UNSYNC,
            max_error_us: 0,
        };
        let f = assess(&clock, Some(30), Language::Nl);
        assert!(
            f.text
                .contains("een klok die meer dan 30 s afwijkt, weigert elke code"),
            "{f:?}"
        );
        let f = assess(&clock, None, Language::Nl);
        assert!(
            f.text.contains("meer afwijkt dan het verificatievenster"),
            "{f:?}"
        );
        assert!(f.fix.unwrap().starts_with("zet tijdsynchronisatie aan"));
    }
}
