//! The audit record's line format: the daemon writes `<state_dir>/audit.log` in it and
//! `mfa admin log` reads it back, so the format lives here, beside the other shared words.
//!
//! A line is tab-separated and self-describing:
//!
//! ```text
//! 1700000000<TAB>2023-11-14T22:13:20Z<TAB>decision<TAB>user=alice<TAB>service=sshd<TAB>rhost=192.0.2.10<TAB>caller_uid=0<TAB>method=totp<TAB>outcome=granted
//! 1700000042<TAB>2023-11-14T22:14:02Z<TAB>admin<TAB>action=reset<TAB>user=alice<TAB>method=-<TAB>caller_uid=0<TAB>outcome=done
//! ```
//!
//! Unix time, the same instant in ISO-8601 UTC, the kind (`decision`, `admin`, …), then
//! `key=value` fields. Values are [`clean`]ed: no tabs, spaces, `=` or control characters, at
//! most 128 characters, `-` when empty, so a caller's value can neither add a field nor a line.
//! Only names and outcomes are written: never a secret, never a typed code.

/// Longest value kept in a field.
const MAX_VALUE_CHARS: usize = 128;

/// A value from a caller, made safe for one field: no control characters, no whitespace (tabs
/// and spaces would split fields), no `=`; bounded; `-` when empty.
pub fn clean(value: &str) -> String {
    if value.is_empty() {
        return "-".into();
    }
    value
        .chars()
        .take(MAX_VALUE_CHARS)
        .map(|c| {
            if c.is_control() || c.is_whitespace() || c == '=' {
                '?'
            } else {
                c
            }
        })
        .collect()
}

/// `YYYY-MM-DDTHH:MM:SSZ` for a Unix time.
pub fn iso8601(unix: u64) -> String {
    let (days, secs) = (unix / 86_400, unix % 86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's `civil_from_days`).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + u64::from(m <= 2);
    (y, m, d)
}

/// One line of the record (without its newline), values cleaned.
pub fn format_line(time: u64, kind: &str, fields: &[(&str, &str)]) -> String {
    let mut line = format!("{time}\t{}\t{}", iso8601(time), clean(kind));
    for (key, value) in fields {
        line.push('\t');
        line.push_str(&clean(key));
        line.push('=');
        line.push_str(&clean(value));
    }
    line
}

/// A parsed line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub time: u64,
    pub kind: String,
    pub fields: Vec<(String, String)>,
}

impl Entry {
    /// Parses one line written by [`format_line`]; `None` for anything else (a line torn by a
    /// crash, a foreign line).
    pub fn parse(line: &str) -> Option<Entry> {
        let mut parts = line.strip_suffix('\n').unwrap_or(line).split('\t');
        let time = parts.next()?.parse::<u64>().ok()?;
        if parts.next()? != iso8601(time) {
            return None;
        }
        let kind = parts.next()?;
        if kind.is_empty() || !kind.bytes().all(|b| b.is_ascii_lowercase() || b == b'-') {
            return None;
        }
        let fields = parts
            .map(|p| {
                let (k, v) = p.split_once('=')?;
                (!k.is_empty() && !v.contains('=')).then(|| (k.to_string(), v.to_string()))
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Entry {
            time,
            kind: kind.to_string(),
            fields,
        })
    }

    /// The value of a field.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// For people: `2023-11-14T22:13:20Z  decision  user=alice service=sshd …`.
    pub fn readable(&self) -> String {
        let fields: Vec<String> = self
            .fields
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        format!(
            "{}  {:<8}  {}",
            iso8601(self.time),
            self.kind,
            fields.join(" ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decision(time: u64, user: &str, outcome: &str) -> String {
        format_line(
            time,
            "decision",
            &[
                ("user", user),
                ("service", "sshd"),
                ("rhost", "192.0.2.10"),
                ("caller_uid", "0"),
                ("method", "totp"),
                ("outcome", outcome),
            ],
        )
    }

    #[test]
    fn caller_values_cannot_forge_log_fields() {
        assert_eq!(clean("alice outcome=granted\nx"), "alice?outcome?granted?x");
        assert_eq!(clean("a\tb"), "a?b");
        assert_eq!(clean(""), "-");
        assert_eq!(clean(&"a".repeat(500)).len(), 128);
        let line = format_line(1, "decision", &[("user", "x\toutcome=granted\n1\t")]);
        let entry = Entry::parse(&line).expect("parses");
        assert_eq!(entry.fields.len(), 1);
        assert_eq!(entry.get("outcome"), None);
        assert!(!line.contains('\n'));
    }

    #[test]
    fn iso8601_is_utc() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso8601(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(iso8601(1_700_000_000), "2023-11-14T22:13:20Z");
        assert_eq!(iso8601(4_102_444_799), "2099-12-31T23:59:59Z");
        assert_eq!(iso8601(1_709_251_199), "2024-02-29T23:59:59Z");
    }

    #[test]
    fn a_line_parses_back_and_reads_well() {
        let line = decision(1_700_000_000, "alice", "granted");
        assert_eq!(
            line,
            "1700000000\t2023-11-14T22:13:20Z\tdecision\tuser=alice\tservice=sshd\t\
             rhost=192.0.2.10\tcaller_uid=0\tmethod=totp\toutcome=granted"
        );
        let entry = Entry::parse(&line).expect("parses");
        assert_eq!(entry.time, 1_700_000_000);
        assert_eq!(entry.kind, "decision");
        assert_eq!(entry.get("user"), Some("alice"));
        assert_eq!(entry.get("outcome"), Some("granted"));
        assert_eq!(
            entry.readable(),
            "2023-11-14T22:13:20Z  decision  user=alice service=sshd rhost=192.0.2.10 \
             caller_uid=0 method=totp outcome=granted"
        );
    }

    #[test]
    fn garbage_and_torn_lines_do_not_parse() {
        let line = decision(1_700_000_000, "alice", "granted");
        for bad in [
            "",
            "hello",
            &format!("{}{line}", &line[..line.len() / 2]),
            "1700000000\t2023-11-14T22:13:21Z\tdecision\tuser=a",
            "x\t2023-11-14T22:13:20Z\tdecision\tuser=a",
            "1700000000\t2023-11-14T22:13:20Z\tDecision\tuser=a",
            "1700000000\t2023-11-14T22:13:20Z\tdecision\tuser",
            "1700000000\t2023-11-14T22:13:20Z\tdecision\t=a",
            "1700000000\t2023-11-14T22:13:20Z\tdecision\tuser=a=b",
        ] {
            assert_eq!(Entry::parse(bad), None, "{bad:?}");
        }
    }
}
