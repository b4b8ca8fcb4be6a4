//! How the Admin interface's answers are shown: `status` lines, the `list` table, audit lines.

use super::human_time;
use crate::admin_messages::Msg;
use crate::i18n::{self, tr};
use mfa_config::Language;
use std::collections::BTreeMap;

/// `mfa admin status`: one `key: value` line per entry of the daemon's map, in English with the
/// daemon's own keys, in Dutch with words (unknown keys as they come). Times are shown in UTC
/// with how long ago; a cooldown is said on the `locked` line ("no, delayed until …").
pub(super) fn render_status(lang: Language, status: &BTreeMap<String, String>, now: u64) -> String {
    let time = |value: &str| match value.parse::<u64>() {
        Ok(0) => "-".to_string(),
        Ok(t) => human_time::at(lang, t, now),
        Err(_) => value.to_string(),
    };
    status
        .iter()
        .filter(|(key, _)| key.as_str() != "delayed_until")
        .map(|(key, value)| {
            let label = Msg::for_status_key(key).map_or(key.as_str(), |m| m.text(lang));
            let value = match key.as_str() {
                "locked" => match status.get("delayed_until") {
                    Some(until) if value != "yes" => format!(
                        "{}, {}",
                        i18n::yes_no(lang, value),
                        tr!(lang, Msg::DelayedUntil, time = time(until))
                    ),
                    _ => i18n::yes_no(lang, value),
                },
                k if is_time_key(k) => time(value),
                _ => value.clone(),
            };
            format!("{label}: {value}\n")
        })
        .collect()
}

/// The daemon's keys whose values are Unix seconds.
fn is_time_key(key: &str) -> bool {
    key.ends_with("_at") || key == "last_failure"
}

/// "totp, backup (7 left)" from a status map; "-" when nothing is enrolled.
pub(super) fn methods_text(lang: Language, status: &BTreeMap<String, String>) -> String {
    let methods: Vec<String> = status
        .get("methods")
        .map(String::as_str)
        .unwrap_or("")
        .split(',')
        .filter(|m| !m.is_empty())
        .map(|m| match (m, status.get("backup_codes_left")) {
            ("backup", Some(left)) => tr!(lang, Msg::BackupLeft, left = left),
            (m, _) => m.to_string(),
        })
        .collect();
    if methods.is_empty() {
        "-".into()
    } else {
        methods.join(", ")
    }
}

/// The `mfa admin list` table: USER, METHODS, LOCKED, FAILURES (an unreadable record says so).
pub(super) fn render_list(
    lang: Language,
    users: &BTreeMap<String, BTreeMap<String, String>>,
) -> String {
    if users.is_empty() {
        return format!("{}\n", Msg::NoUsers.text(lang));
    }
    let mut rows = vec![[
        Msg::ColumnUser.text(lang).to_string(),
        Msg::ColumnMethods.text(lang).to_string(),
        Msg::ColumnLocked.text(lang).to_string(),
        Msg::ColumnFailures.text(lang).to_string(),
    ]];
    for (user, status) in users {
        let row = match status.get("error") {
            Some(e) => [
                user.clone(),
                tr!(lang, Msg::UnreadableRecord, error = e),
                "?".into(),
                "?".into(),
            ],
            None => [
                user.clone(),
                methods_text(lang, status),
                status
                    .get("locked")
                    .map_or_else(|| "?".into(), |l| i18n::yes_no(lang, l)),
                status
                    .get("failures")
                    .cloned()
                    .unwrap_or_else(|| "0".into()),
            ],
        };
        rows.push(row);
    }
    let width = |i: usize| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0);
    let (w0, w1, w2) = (width(0), width(1), width(2));
    rows.iter()
        .map(|r| format!("{:<w0$}  {:<w1$}  {:<w2$}  {}\n", r[0], r[1], r[2], r[3]))
        .collect()
}

/// One audit line for people; a line the CLI does not understand is shown as it came, with
/// control characters replaced.
pub(super) fn render_log_line(line: &str) -> String {
    match mfa_proto::audit_line::Entry::parse(line) {
        Some(entry) => entry.readable(),
        None => line
            .chars()
            .map(|c| if c.is_control() { '?' } else { c })
            .collect(),
    }
}
