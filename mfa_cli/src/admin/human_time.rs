//! Unix seconds from the daemon shown for people: "2026-12-06 04:10 UTC (3 min ago)". UTC,
//! because the CLI carries no time-zone data and an admin compares it with logs in UTC.

use mfa_config::Language;

/// `2026-12-06 04:10 UTC (3 min ago)` / `(in 9 min)` for `time`, as seen at `now`.
pub(crate) fn at(lang: Language, time: u64, now: u64) -> String {
    format!("{} ({})", utc_minute(time), relative(lang, time, now))
}

/// The current Unix time (0 if the clock is before 1970, which shows as a long time ago).
// The CLI is its own process without the daemon's Clock: "ago" is as seen by the admin's clock.
#[allow(clippy::disallowed_methods)]
pub(crate) fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// `2026-12-06 04:10 UTC`: the audit record's ISO date, cut to the minute.
fn utc_minute(time: u64) -> String {
    let iso = mfa_proto::audit_line::iso8601(time);
    // "YYYY-MM-DDTHH:MM:SSZ" is ASCII, so byte slicing is safe.
    format!("{} {} UTC", &iso[..10], &iso[11..16])
}

/// "3 min ago", "in 9 min", "2 h ago", "5 d ago" (Dutch: "3 min geleden", "over 9 min").
fn relative(lang: Language, time: u64, now: u64) -> String {
    let (future, secs) = if time > now {
        (true, time - now)
    } else {
        (false, now - time)
    };
    let (n, unit) = match secs {
        0..60 => (secs, "s"),
        60..7_200 => (secs / 60, "min"),
        7_200..172_800 => (secs / 3_600, if lang == Language::Nl { "u" } else { "h" }),
        _ => (secs / 86_400, "d"),
    };
    match (lang, future) {
        (Language::Nl, true) => format!("over {n} {unit}"),
        (Language::Nl, false) => format!("{n} {unit} geleden"),
        (_, true) => format!("in {n} {unit}"),
        (_, false) => format!("{n} {unit} ago"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: u64 = 1_796_530_200; // 2026-12-06 04:10:00 UTC

    #[test]
    fn a_past_time_is_a_utc_minute_and_how_long_ago() {
        assert_eq!(
            at(Language::En, T, T + 185),
            "2026-12-06 04:10 UTC (3 min ago)"
        );
        assert_eq!(at(Language::En, T, T + 5), "2026-12-06 04:10 UTC (5 s ago)");
        assert_eq!(
            at(Language::En, T, T + 3 * 3600),
            "2026-12-06 04:10 UTC (3 h ago)"
        );
        assert_eq!(
            at(Language::En, T, T + 3 * 86_400),
            "2026-12-06 04:10 UTC (3 d ago)"
        );
        assert_eq!(
            at(Language::Nl, T, T + 185),
            "2026-12-06 04:10 UTC (3 min geleden)"
        );
    }

    #[test]
    fn a_future_time_says_in_how_long() {
        assert_eq!(
            at(Language::En, T + 540, T),
            "2026-12-06 04:19 UTC (in 9 min)"
        );
        assert_eq!(
            at(Language::Nl, T + 540, T),
            "2026-12-06 04:19 UTC (over 9 min)"
        );
    }
}
