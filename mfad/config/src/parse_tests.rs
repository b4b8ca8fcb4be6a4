use std::time::Duration;

use super::*;

const EXAMPLE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../etc/mfa/mfad.toml"
));

fn problems(text: &str) -> Vec<Problem> {
    match Config::parse(text) {
        Ok(c) => panic!("expected problems, got {c:?}"),
        Err(p) => p,
    }
}

fn one_problem(text: &str) -> Problem {
    let p = problems(text);
    assert_eq!(p.len(), 1, "{p:#?}");
    p.into_iter().next().unwrap_or_else(|| Problem::file(""))
}

#[test]
fn empty_file_gives_defaults() {
    assert_eq!(Config::parse(""), Ok(Config::default()));
}

#[test]
fn defaults_are_the_documented_ones() {
    let c = Config::default();
    assert_eq!(c.daemon.state_dir, Path::new("/var/lib/mfa"));
    assert_eq!(c.daemon.language, Language::En);
    assert_eq!(c.daemon.session_timeout, Duration::from_secs(300));
    assert_eq!(c.daemon.max_sessions, 1024);
    assert_eq!(c.policy.unenrolled, Unenrolled::Deny);
    assert!(c.services.is_empty());
    assert_eq!(c.totp.issuer, host_name());
    assert!(!c.totp.issuer.is_empty());
    assert_eq!(
        (
            c.totp.algorithm,
            c.totp.digits,
            c.totp.period,
            c.totp.window
        ),
        (Algorithm::Sha1, 6, 30, 1)
    );
    assert_eq!((c.limits.max_failures, c.limits.free_failures), (10, 3));
    assert_eq!(c.limits.delay_base, Duration::from_secs(5));
    assert_eq!(c.limits.delay_max, Duration::from_secs(300));
}

#[test]
fn example_config_parses_and_equals_defaults() {
    assert_eq!(Config::parse(EXAMPLE), Ok(Config::default()));
}

#[test]
fn example_services_snippet_parses_when_uncommented() {
    let text = EXAMPLE
        .replace("# [services.sudo]\n", "[services.sudo]\n")
        .replace("# unenrolled = \"allow\"\n", "unenrolled = \"allow\"\n");
    assert_ne!(
        text, EXAMPLE,
        "the example should show a commented-out [services.sudo]"
    );
    let c = Config::parse(&text).map_err(|p| format!("{p:#?}"));
    let mut want = Config::default();
    want.services.insert(
        "sudo".into(),
        ServicePolicy {
            unenrolled: Some(Unenrolled::Allow),
            methods: None,
        },
    );
    assert_eq!(c, Ok(want));
}

#[test]
fn every_key_can_be_set() {
    let text = r#"
        [daemon]
        state_dir = "/srv/mfa"
        language = "nl"
        session_timeout = 60
        max_sessions = 10
        [policy]
        unenrolled = "allow"
        [services.sshd]
        unenrolled = "deny"
        [services.login]
        [totp]
        issuer = "Example Corp"
        algorithm = "sha256"
        digits = 8
        period = 60
        window = 2
        [limits]
        max_failures = 100
        free_failures = 100
        delay_base = 1
        delay_max = 86400
    "#;
    let c = Config::parse(text).map_err(|p| format!("{p:#?}"));
    let c = match c {
        Ok(c) => c,
        Err(p) => panic!("{p}"),
    };
    assert_eq!(c.daemon.state_dir, Path::new("/srv/mfa"));
    assert_eq!(c.daemon.language, Language::Nl);
    assert_eq!(c.daemon.session_timeout, Duration::from_secs(60));
    assert_eq!(c.daemon.max_sessions, 10);
    assert_eq!(c.policy.unenrolled, Unenrolled::Allow);
    assert_eq!(c.services["sshd"].unenrolled, Some(Unenrolled::Deny));
    assert_eq!(c.services["login"].unenrolled, None);
    assert_eq!(c.totp.issuer, "Example Corp");
    assert_eq!(
        (
            c.totp.algorithm,
            c.totp.digits,
            c.totp.period,
            c.totp.window
        ),
        (Algorithm::Sha256, 8, 60, 2)
    );
    assert_eq!((c.limits.max_failures, c.limits.free_failures), (100, 100));
    assert_eq!(c.limits.delay_base, Duration::from_secs(1));
    assert_eq!(c.limits.delay_max, Duration::from_secs(86400));
}

#[test]
fn unknown_key_is_reported_with_its_line() {
    let p = one_problem("[totp]\ndigits = 6\n\n\n\n\nfoo = 1\n");
    assert_eq!((p.key.as_str(), p.line), ("totp.foo", Some(7)));
    assert!(p.message.starts_with("unknown key"), "{p}");
}

#[test]
fn unknown_key_gets_a_did_you_mean() {
    let p = one_problem("[totp]\n\n\n\n\n\ndigit = 6\n");
    assert_eq!(
        p.to_string(),
        r#"line 7: totp.digit: unknown key (did you mean "digits"?)"#
    );
}

#[test]
fn key_in_the_wrong_table_is_pointed_to_its_table() {
    let p = one_problem("[daemon]\nunenrolled = \"allow\"\n");
    assert_eq!(p.key, "daemon.unenrolled");
    assert!(p.message.contains("belongs in [policy]"), "{p}");
    let p = one_problem("state_dir = \"/x\"\n");
    assert!(p.message.contains("belongs in [daemon]"), "{p}");
}

#[test]
fn unknown_table_is_reported() {
    let p = one_problem("[daemon]\n[limit]\nmax_failures = 5\n");
    assert_eq!((p.key.as_str(), p.line), ("limit", Some(2)));
    assert_eq!(p.message, r#"unknown table (did you mean "limits"?)"#);
    let p = one_problem("[[totp]]\ndigits = 6\n");
    assert_eq!(p.key, "totp");
    assert!(
        p.message.contains("expected a table, found an array"),
        "{p}"
    );
}

#[test]
fn wrong_type_is_reported_with_key_and_line() {
    let p = one_problem("[daemon]\nmax_sessions = true\n");
    assert_eq!((p.key.as_str(), p.line), ("daemon.max_sessions", Some(2)));
    assert_eq!(p.message, "expected an integer, found a boolean");
    let p = one_problem("[daemon]\nlanguage = 1\n");
    assert_eq!(p.message, "expected a string, found an integer");
    let p = one_problem("daemon = 3\n");
    assert_eq!(p.message, "expected a table, found an integer");
    let p = one_problem("[totp]\nperiod = 30.0\n");
    assert_eq!(p.message, "expected an integer, found a float");
}

#[test]
fn quoted_number_gets_a_hint() {
    let p = one_problem("[totp]\nperiod = \"30\"\n");
    assert_eq!(
        p.message,
        "expected an integer, found a string: write 30 without quotes"
    );
}

#[test]
fn max_failures_over_100_is_refused() {
    let p = one_problem("[limits]\nmax_failures = 150\n");
    assert_eq!(
        p.to_string(),
        "line 2: limits.max_failures: 150 is more than 100 (NIST 800-63B allows at most 100 consecutive failures)"
    );
}

#[test]
fn out_of_range_values_are_refused_and_bounds_accepted() {
    // (table, key, lowest, highest, other keys the bounds need)
    let keys = [
        ("daemon", "session_timeout", 10, 3600, ""),
        ("daemon", "max_sessions", 1, 100_000, ""),
        ("totp", "digits", 6, 8, ""),
        ("totp", "period", 15, 300, ""),
        ("totp", "window", 0, 10, ""),
        ("limits", "max_failures", 1, 100, "free_failures = 0"),
        ("limits", "free_failures", 0, 100, "max_failures = 100"),
        ("limits", "delay_base", 1, 3600, "delay_max = 86400"),
        ("limits", "delay_max", 1, 86_400, "delay_base = 1"),
    ];
    for (table, key, lo, hi, extra) in keys {
        for ok in [lo, hi] {
            let text = format!("[{table}]\n{key} = {ok}\n{extra}\n");
            assert!(
                Config::parse(&text).is_ok(),
                "{text}: {:?}",
                Config::parse(&text)
            );
        }
        for bad in [lo - 1, hi + 1] {
            let p = one_problem(&format!("[{table}]\n{key} = {bad}\n{extra}\n"));
            assert_eq!((p.key, p.line), (format!("{table}.{key}"), Some(2)));
        }
    }
    let p = one_problem("[totp]\ndigits = -1\n");
    assert_eq!(p.message, "-1 is less than 6 (allowed: 6..=8)");
}

#[test]
fn integers_in_hex_or_with_underscores_are_accepted() {
    let c = Config::parse("[daemon]\nmax_sessions = 1_000\nsession_timeout = 0x3c\n");
    let c = c.map_err(|p| format!("{p:?}"));
    assert_eq!(c.as_ref().map(|c| c.daemon.max_sessions), Ok(1000));
    assert_eq!(
        c.map(|c| c.daemon.session_timeout),
        Ok(Duration::from_secs(60))
    );
}

#[test]
fn huge_integer_is_refused_not_panicking() {
    for n in [
        "9223372036854775807",
        "-9223372036854775808",
        "99999999999999999999999",
        "0x7fffffffffffffff",
    ] {
        let text = format!("[limits]\nfree_failures = {n}\n");
        assert!(Config::parse(&text).is_err(), "{text}");
    }
}

#[test]
fn every_problem_is_reported_not_just_the_first() {
    let text = "\
[daemon]
language = \"fr\"
session_timeout = 5
[totp]
digit = 6
algorithm = \"md5\"
[limits]
max_failures = 150
[extra]
";
    let p = problems(text);
    let got: Vec<(&str, Option<usize>)> = p.iter().map(|p| (p.key.as_str(), p.line)).collect();
    assert_eq!(
        got,
        [
            ("daemon.language", Some(2)),
            ("daemon.session_timeout", Some(3)),
            ("totp.digit", Some(5)),
            ("totp.algorithm", Some(6)),
            ("limits.max_failures", Some(8)),
            ("extra", Some(9)),
        ]
    );
}

#[test]
fn syntax_error_gives_its_line() {
    let p = problems("[daemon]\nlanguage = \"en\"\nstate_dir = \n");
    assert_eq!(p[0].line, Some(3), "{p:?}");
    assert!(p[0].message.starts_with("syntax error: "), "{p:?}");
    let p = problems("[daemon]\n\n[limits\n");
    assert_eq!(p[0].line, Some(3), "{p:?}");
}

#[test]
fn duplicate_key_is_a_syntax_error() {
    let p = problems("[limits]\nmax_failures = 5\nmax_failures = 6\n");
    assert_eq!(p[0].line, Some(3), "{p:?}");
    assert!(p[0].message.contains("duplicate key"), "{p:?}");
}

#[test]
fn free_failures_above_max_failures_is_refused() {
    let p = one_problem("[limits]\nmax_failures = 5\nfree_failures = 6\n");
    assert_eq!(
        p.to_string(),
        "line 3: limits.free_failures: 6 is more than limits.max_failures (5)"
    );
}

#[test]
fn max_failures_below_the_default_free_failures_is_refused() {
    let p = one_problem("[limits]\nmax_failures = 2\n");
    assert_eq!(
        p.to_string(),
        "line 2: limits.max_failures: 2 is less than limits.free_failures (3, the default)"
    );
}

#[test]
fn delay_base_above_delay_max_is_refused() {
    let p = one_problem("[limits]\ndelay_base = 60\ndelay_max = 30\n");
    assert_eq!(
        p.to_string(),
        "line 3: limits.delay_max: 30 is less than limits.delay_base (60)"
    );
    let p = one_problem("[limits]\ndelay_base = 600\n");
    assert_eq!(
        p.to_string(),
        "line 2: limits.delay_base: 600 is more than limits.delay_max (300, the default)"
    );
}

#[test]
fn cross_check_is_skipped_when_a_value_is_already_wrong() {
    let p = one_problem("[limits]\nmax_failures = 0\nfree_failures = 6\n");
    assert_eq!(p.key, "limits.max_failures");
}

#[test]
fn service_override_wins_over_policy() {
    let c =
        Config::parse("[policy]\nunenrolled = \"deny\"\n[services.sudo]\nunenrolled = \"allow\"\n");
    let c = c.unwrap_or_else(|p| panic!("{p:?}"));
    assert_eq!(c.unenrolled_for("sudo"), Unenrolled::Allow);
    assert_eq!(c.unenrolled_for("sshd"), Unenrolled::Deny);
}

#[test]
fn service_without_override_falls_back_to_policy() {
    let c = Config::parse("[policy]\nunenrolled = \"allow\"\n[services.sshd]\n");
    let c = c.unwrap_or_else(|p| panic!("{p:?}"));
    assert_eq!(c.unenrolled_for("sshd"), Unenrolled::Allow);
    assert_eq!(c.unenrolled_for("SSHD"), Unenrolled::Allow);
}

#[test]
fn unknown_key_in_service_table_is_reported() {
    let p = one_problem("[services.sudo]\nunenroled = \"allow\"\n");
    assert_eq!(
        p.to_string(),
        r#"line 2: services.sudo.unenroled: unknown key (did you mean "unenrolled"?)"#
    );
}

#[test]
fn service_must_be_a_table() {
    let p = one_problem("[services]\nsudo = \"allow\"\n");
    assert_eq!((p.key.as_str(), p.line), ("services.sudo", Some(2)));
    assert_eq!(p.message, "expected a table, found a string");
}

#[test]
fn bad_service_name_is_refused() {
    let p = one_problem("[services.\"../sudo\"]\nunenrolled = \"allow\"\n");
    assert_eq!(p.key, r#"services."../sudo""#);
    assert!(p.message.contains("is not a PAM service name"), "{p}");
    assert!(Config::parse("[services.\"\"]\n").is_err());
}

#[test]
fn bad_state_dir_is_refused() {
    for dir in ["var/lib/mfa", "/var/lib/../mfa", "/", ""] {
        let p = one_problem(&format!("[daemon]\nstate_dir = \"{dir}\"\n"));
        assert_eq!(
            (p.key.as_str(), p.line),
            ("daemon.state_dir", Some(2)),
            "{dir}"
        );
    }
}

#[test]
fn unknown_words_are_refused() {
    let p = one_problem("[daemon]\nlanguage = \"fr\"\n");
    assert_eq!(p.message, r#""fr" is not allowed: expected "en" or "nl""#);
    let p = one_problem("[policy]\nunenrolled = \"ignore\"\n");
    assert_eq!(
        p.message,
        r#""ignore" is not allowed: expected "deny" or "allow""#
    );
    let p = one_problem("[totp]\nalgorithm = \"MD5\"\n");
    assert_eq!(p.key, "totp.algorithm");
}

#[test]
fn algorithm_parses_case_insensitively_and_displays_upper() {
    for (s, a) in [
        ("SHA1", Algorithm::Sha1),
        ("sha256", Algorithm::Sha256),
        ("Sha512", Algorithm::Sha512),
    ] {
        assert_eq!(s.parse::<Algorithm>(), Ok(a));
    }
    assert_eq!(Algorithm::Sha256.to_string(), "SHA256");
    assert!("SHA-1".parse::<Algorithm>().is_err());
    assert_eq!(Language::Nl.to_string(), "nl");
    assert_eq!(Unenrolled::Allow.to_string(), "allow");
}

#[test]
fn empty_issuer_resolves_to_the_hostname() {
    let c = Config::parse("[totp]\nissuer = \"\"\n").unwrap_or_else(|p| panic!("{p:?}"));
    assert_eq!(c.totp.issuer, host_name());
    assert!(!c.totp.issuer.is_empty() && !c.totp.issuer.contains(':'));
}

#[test]
fn issuer_with_colon_is_refused() {
    let p = one_problem("[totp]\nissuer = \"a:b\"\n");
    assert_eq!(p.key, "totp.issuer");
    assert!(p.message.contains("':'"), "{p}");
}

#[test]
fn problem_display_is_line_key_message() {
    assert_eq!(
        Problem::new("a.b", Some(3), "bad").to_string(),
        "line 3: a.b: bad"
    );
    assert_eq!(
        Problem::file("does not exist").to_string(),
        "does not exist"
    );
    assert_eq!(
        Problem::new("", Some(1), "syntax error: x").to_string(),
        "line 1: syntax error: x"
    );
}

#[test]
fn control_characters_in_keys_are_escaped_in_messages() {
    let p = one_problem("[daemon]\n\"evil\\nline 1: fake\" = 1\n");
    assert!(!p.to_string().contains('\n'), "{p}");
    assert_eq!(p.key, r#"daemon."evil\nline 1: fake""#);
}

#[test]
fn oversized_text_is_refused() {
    let text = format!("# {}\n", "x".repeat(MAX_CONFIG_BYTES as usize));
    let p = one_problem(&text);
    assert!(p.message.contains("1 MiB"), "{p}");
}

#[test]
fn deeply_nested_input_does_not_panic() {
    for text in [
        "a = ".to_owned() + &"[".repeat(100_000),
        "a = ".to_owned() + &"{b = ".repeat(50_000),
        "a".to_owned() + &".a".repeat(50_000) + " = 1",
    ] {
        assert!(Config::parse(&text).is_err());
    }
}

#[test]
fn mangled_example_never_panics() {
    // Deterministic mutations of the example: cut, duplicate and replace bytes at pseudo-random
    // places. Parsing must always return, never panic.
    let bytes = EXAMPLE.as_bytes();
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = |n: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        usize::try_from(seed >> 33).unwrap_or(0) % n.max(1)
    };
    let junk = b"[]{}=\"'#.,\n\\0x_-+:9";
    for _ in 0..2000 {
        let mut b = bytes.to_vec();
        for _ in 0..1 + next(4) {
            if b.is_empty() {
                break;
            }
            let at = next(b.len());
            match next(3) {
                0 => b.truncate(at),
                1 => b.insert(at, junk[next(junk.len())]),
                _ => b[at] = junk[next(junk.len())],
            }
        }
        let _ = Config::parse(&String::from_utf8_lossy(&b));
    }
}

/// The example's commented-out tables whose header starts with `header`, uncommented.
fn uncommented(header: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for line in EXAMPLE.lines() {
        if line.starts_with(&format!("# {header}")) {
            inside = true;
        } else if !(inside && line.starts_with("# ") && line.contains(" = ")) {
            inside = false;
        }
        if inside {
            out.push_str(&line[2..]);
            out.push('\n');
        }
    }
    out
}

#[test]
fn example_gateways_parse_when_uncommented() {
    let text = uncommented("[gateways.");
    let c = Config::parse(&text).unwrap_or_else(|p| panic!("{text}\n{p:#?}"));
    let kinds: Vec<(&str, &str)> = c
        .gateways
        .iter()
        .map(|(name, g)| (name.as_str(), g.kind.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("modem", "exec"),
            ("ntfy-home", "ntfy"),
            ("smseagle", "http"),
            ("twilio-main", "twilio")
        ]
    );
    let text = format!(
        "{text}[sms]\ngateways = [\"twilio-main\", \"smseagle\", \"modem\"]\n[voice]\ngateways = [\"twilio-main\"]\n[web]\nlisten = \"127.0.0.1:8443\"\npublic_url = \"https://mfa.example.com\"\n"
    );
    let c = Config::parse(&text).unwrap_or_else(|p| panic!("{text}\n{p:#?}"));
    assert_eq!(c.sms.gateways.len(), 3);
}

#[test]
fn example_service_methods_parse_when_uncommented() {
    let text = uncommented("[services.sshd]");
    assert!(text.contains("methods"), "{text}");
    let c = Config::parse(&text).unwrap_or_else(|p| panic!("{text}\n{p:#?}"));
    assert_eq!(c.methods_for("sshd"), ["totp", "backup"]);
    assert_eq!(
        c.methods_for("sudo"),
        ["totp", "backup", "sms", "voice", "push"]
    );
}

#[test]
fn toml_examples_in_the_reference_parse() {
    let reference = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/config-reference.md"
    ));
    let blocks: Vec<&str> = reference
        .split("```toml\n")
        .skip(1)
        .filter_map(|b| b.split("```").next())
        .collect();
    assert!(blocks.len() >= 2, "{blocks:?}");
    for block in blocks {
        assert!(
            Config::parse(block).is_ok(),
            "{block}: {:?}",
            Config::parse(block)
        );
    }
}
