use super::render::{render_list, render_log_line, render_status};
use super::reset::is_yes;
use super::*;
use crate::{Cli, Command};
use clap::Parser;
use mfa_config::Language;
use std::collections::BTreeMap;

fn status(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn admin(args: &[&str]) -> AdminCommand {
    let cli = Cli::try_parse_from([&["mfa", "admin"], args].concat()).expect("parses");
    match cli.command {
        Command::Admin(c) => c,
        other => panic!("not admin: {other:?}"),
    }
}

#[test]
fn list_reset_and_log_parse() {
    assert!(matches!(
        admin(&["list"]),
        AdminCommand::List { json: false }
    ));
    assert!(matches!(
        admin(&["list", "--json"]),
        AdminCommand::List { json: true }
    ));
    assert!(matches!(
        admin(&["status", "alice", "--json"]),
        AdminCommand::Status { json: true, .. }
    ));
    assert!(matches!(
        admin(&["reset", "alice"]),
        AdminCommand::Reset { ref user, yes: false } if user == "alice"
    ));
    assert!(matches!(
        admin(&["reset", "--yes", "alice"]),
        AdminCommand::Reset { yes: true, .. }
    ));
    assert!(matches!(
        admin(&["log"]),
        AdminCommand::Log {
            user: None,
            lines: 20,
            json: false
        }
    ));
    assert!(matches!(
        admin(&["log", "bob", "--lines", "5"]),
        AdminCommand::Log { user: Some(ref u), lines: 5, .. } if u == "bob"
    ));
}

#[test]
fn the_list_is_a_table_of_methods_lock_and_failures() {
    let users = BTreeMap::from([
        (
            "alice".to_string(),
            status(&[
                ("user", "alice"),
                ("methods", "totp,backup"),
                ("backup_codes_left", "7"),
                ("locked", "yes"),
                ("failures", "3"),
            ]),
        ),
        (
            "bob".to_string(),
            status(&[
                ("user", "bob"),
                ("methods", ""),
                ("locked", "no"),
                ("failures", "0"),
            ]),
        ),
        (
            "carol".to_string(),
            status(&[("user", "carol"), ("error", "corrupt user record: x")]),
        ),
    ]);
    let text = render_list(Language::En, &users);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert!(lines[0].starts_with("USER ") && lines[0].ends_with("LOCKED  FAILURES"));
    assert!(
        lines[1].starts_with("alice  totp, backup (7 left)"),
        "{text}"
    );
    assert!(lines[1].ends_with("yes     3"), "{text}");
    let bob: Vec<&str> = lines[2].split_whitespace().collect();
    assert_eq!(bob, ["bob", "-", "no", "0"]);
    assert!(lines[3].contains("unreadable record: corrupt user record: x"));
    assert_eq!(
        render_list(Language::En, &BTreeMap::new()),
        "no users enrolled\n"
    );
}

#[test]
fn the_list_and_the_status_speak_dutch() {
    let users = BTreeMap::from([(
        "alice".to_string(),
        status(&[
            ("user", "alice"),
            ("methods", "totp,backup"),
            ("backup_codes_left", "7"),
            ("locked", "yes"),
            ("failures", "3"),
        ]),
    )]);
    let text = render_list(Language::Nl, &users);
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("GEBRUIKER  METHODEN") && lines[0].ends_with("GEBLOKKEERD  MISLUKT"),
        "{text}"
    );
    assert!(
        lines[1].starts_with("alice      totp, backup (7 over)"),
        "{text}"
    );
    assert!(lines[1].contains("  ja  "), "{text}");
    assert_eq!(
        render_list(Language::Nl, &BTreeMap::new()),
        "geen gebruikers ingeschreven\n"
    );
    let alice = &users["alice"];
    let en = render_status(Language::En, alice, 0);
    assert!(
        en.contains("methods: totp,backup\n") && en.contains("locked: yes\n"),
        "{en}"
    );
    assert!(en.contains("backup_codes_left: 7\n"), "{en}");
    let nl = render_status(Language::Nl, alice, 0);
    assert!(nl.contains("methoden: totp,backup\n"), "{nl}");
    assert!(nl.contains("geblokkeerd: ja\n"), "{nl}");
    assert!(nl.contains("back-upcodes over: 7\n"), "{nl}");
    assert!(nl.contains("mislukte pogingen: 3\n"), "{nl}");
    assert!(
        render_status(Language::Nl, &status(&[("new.key", "x")]), 0) == "new.key: x\n",
        "unknown keys as they come"
    );
}

#[test]
fn a_reset_is_confirmed_with_yes_and_in_dutch_also_with_ja() {
    assert!(is_yes(Language::En, "y\n") && is_yes(Language::En, " YES "));
    assert!(!is_yes(Language::En, "ja\n") && !is_yes(Language::En, ""));
    assert!(is_yes(Language::Nl, "j\n") && is_yes(Language::Nl, "ja") && is_yes(Language::Nl, "y"));
    assert!(!is_yes(Language::Nl, "nee") && !is_yes(Language::Nl, "n"));
}

#[test]
fn log_lines_are_shown_readably() {
    let line = mfa_proto::audit_line::format_line(
        1_700_000_000,
        "decision",
        &[("user", "alice"), ("outcome", "granted")],
    );
    assert_eq!(
        render_log_line(&line),
        "2023-11-14T22:13:20Z  decision  user=alice outcome=granted"
    );
    assert_eq!(render_log_line("odd\x1b[2Jline"), "odd?[2Jline");
}

#[test]
fn enable_pam_refuses_by_default_and_checks_the_running_system() {
    let AdminCommand::EnablePam(a) = admin(&["enable-pam"]) else {
        panic!("not enable-pam")
    };
    assert!(!a.force);
    assert_eq!(a.root, std::path::Path::new("/"));
    assert!(a.config.is_none());
    let AdminCommand::EnablePam(a) = admin(&["enable-pam", "--force", "--root", "/mnt"]) else {
        panic!("not enable-pam")
    };
    assert!(a.force);
    assert_eq!(a.root, std::path::Path::new("/mnt"));
}

#[test]
fn status_shows_times_in_utc_with_how_long_ago_and_a_cooldowns_end() {
    const T: u64 = 1_796_530_200; // 2026-12-06 04:10:00 UTC
    let delayed = status(&[
        ("locked", "no"),
        ("delayed_until", "1796530740"),
        ("last_failure", "1796530140"),
        ("totp.enrolled_at", "0"),
    ]);
    let en = render_status(Language::En, &delayed, T);
    assert!(
        en.contains("locked: no, delayed until 2026-12-06 04:19 UTC (in 9 min)\n"),
        "{en}"
    );
    assert!(
        en.contains("last_failure: 2026-12-06 04:09 UTC (1 min ago)\n"),
        "{en}"
    );
    assert!(en.contains("totp.enrolled_at: -\n"), "{en}");
    assert!(
        !en.contains("delayed_until"),
        "said on the locked line: {en}"
    );
    let nl = render_status(Language::Nl, &delayed, T);
    assert!(
        nl.contains("geblokkeerd: nee, vertraagd tot 2026-12-06 04:19 UTC (over 9 min)\n"),
        "{nl}"
    );
}
