//! Which tables and keys exist, and walking the parsed file against them: every unknown key,
//! wrong type and out-of-range value is recorded, then the cross-field rules are checked.

use std::collections::BTreeMap;
use std::time::Duration;

use toml::de::DeTable;

use super::channels::BUDGET_KEYS;
use super::channels_schema::{self as channels, GatewayRefs, ordered};
use super::gateways_schema::{self, Declared};
use super::problems::{Problem, did_you_mean, join, quote};
use super::values::{Reader, Value};
use super::{Config, Limits, ServicePolicy, TotpDefaults, host_name, perms};

/// The tables and their keys. `services` holds one table per PAM service, each with `SERVICE_KEYS`.
pub(super) const TABLES: &[(&str, &[&str])] = &[
    (
        "daemon",
        &["state_dir", "language", "session_timeout", "max_sessions"],
    ),
    ("policy", &["unenrolled"]),
    ("services", &[]),
    (
        "totp",
        &["issuer", "algorithm", "digits", "period", "window"],
    ),
    (
        "limits",
        &["max_failures", "free_failures", "delay_base", "delay_max"],
    ),
    ("enrollment", &["first", "grace_days"]),
    ("phone", &["allowed_countries", "sms_types", "voice_types"]),
    (
        "sms",
        &[
            "gateways",
            "code_length",
            "code_lifetime",
            "max_checks",
            "resend_cooldown",
            "message",
        ],
    ),
    ("voice", &["gateways", "mode", "answer_timeout"]),
    ("push", super::push::PUSH_KEYS),
    ("web", &["listen", "public_url", "tls_cert", "tls_key"]),
    ("budgets", BUDGET_KEYS),
    ("gateways", &[]),
];
pub(super) const SERVICE_KEYS: &[&str] = &["unenrolled", "methods"];

pub(super) fn parse(text: &str) -> Result<Config, Vec<Problem>> {
    if text.len() as u64 > perms::MAX_CONFIG_BYTES {
        return Err(vec![Problem::file(perms::too_large())]);
    }
    let (doc, errors) = DeTable::parse_recoverable(text);
    let mut r = Reader::new(text);
    if !errors.is_empty() {
        // What the parser recovered after a syntax error is not worth judging: report only these.
        for e in &errors {
            let line = e.span().map(|s| r.line(s));
            r.problems.push(Problem::new(
                "",
                line,
                format!("syntax error: {}", e.message()),
            ));
        }
        return Err(sorted(r.problems));
    }
    let config = walk(&mut r, doc.get_ref());
    if r.problems.is_empty() {
        Ok(config)
    } else {
        Err(sorted(r.problems))
    }
}

fn sorted(mut problems: Vec<Problem>) -> Vec<Problem> {
    problems.sort_by_key(|p| p.line);
    problems
}

fn walk(r: &mut Reader<'_>, root: &DeTable<'_>) -> Config {
    let mut c = Config::default();
    let mut refs = GatewayRefs::default();
    let mut declared = Declared::default();
    for (k, v) in root.iter() {
        let name: &str = k.get_ref();
        if !known_table(name) {
            unknown(r, "", name, v);
            continue;
        }
        let Some(t) = r.table(&join("", name), v) else {
            continue;
        };
        match name {
            "daemon" => daemon(r, t, &mut c),
            "policy" => policy(r, t, &mut c),
            "services" => c.services = services(r, t),
            "totp" => totp(r, t, &mut c.totp),
            "enrollment" => enrollment(r, t, &mut c),
            "limits" => limits_table(r, t, &mut c.limits),
            "phone" => channels::phone(r, t, &mut c),
            "sms" => channels::sms(r, t, &mut c, &mut refs),
            "voice" => channels::voice(r, t, &mut c, &mut refs),
            "push" => super::push::push(r, t, &mut c, &mut refs),
            "web" => channels::web(r, t, &mut c),
            "budgets" => channels::budgets(r, t, &mut c),
            _ => declared = gateways_schema::gateways(r, t),
        }
    }
    if c.totp.issuer.is_empty() {
        c.totp.issuer = host_name();
    }
    cross_checks(r, &c.limits);
    channels::cross_checks(r, &c, &refs, &declared);
    c.gateways = declared.valid;
    channels::methods_enabled(r, &c);
    c
}

fn known_table(name: &str) -> bool {
    TABLES.iter().any(|(t, _)| *t == name)
}

/// Reports an unknown key or table, with a did-you-mean or the table the key belongs in.
pub(super) fn unknown(r: &mut Reader<'_>, table: &str, name: &str, v: &Value<'_>) {
    let key = join(table, name);
    let what = if table.is_empty() && v.get_ref().is_table() {
        "unknown table"
    } else {
        "unknown key"
    };
    let siblings: Vec<&str> = if table.is_empty() {
        TABLES.iter().map(|(t, _)| *t).collect()
    } else if table.starts_with("services.") {
        SERVICE_KEYS.to_vec()
    } else {
        TABLES
            .iter()
            .find(|(t, _)| *t == table)
            .map_or(Vec::new(), |(_, keys)| keys.to_vec())
    };
    let home = TABLES
        .iter()
        .find(|(_, keys)| keys.contains(&name))
        .map(|(t, _)| *t);
    let hint = if let Some(m) = did_you_mean(name, &siblings) {
        format!(" (did you mean \"{m}\"?)")
    } else if let Some(home) = home {
        format!(" (\"{name}\" belongs in [{home}])")
    } else if table.is_empty() {
        let names: Vec<String> = TABLES
            .iter()
            .map(|(t, _)| match *t {
                "services" | "gateways" => format!("[{t}.NAME]"),
                t => format!("[{t}]"),
            })
            .collect();
        format!(" (known tables: {})", names.join(", "))
    } else {
        format!(" (known keys here: {})", siblings.join(", "))
    };
    r.report(&key, v.span(), format!("{what}{hint}"));
}

fn daemon(r: &mut Reader<'_>, t: &DeTable<'_>, c: &mut Config) {
    for (k, v) in t.iter() {
        let key = join("daemon", k.get_ref());
        let d = &mut c.daemon;
        match k.get_ref().as_ref() {
            "state_dir" => set(&mut d.state_dir, r.dir(&key, v)),
            "language" => set(&mut d.language, r.word(&key, v)),
            "session_timeout" => {
                let ok = stored(&mut d.session_timeout, r.int(&key, v, 10..=3600).map(secs));
                r.mark(&key, v.span(), ok);
            }
            "max_sessions" => set(
                &mut d.max_sessions,
                r.int(&key, v, 1..=100_000).map(usize_of),
            ),
            other => unknown(r, "daemon", other, v),
        }
    }
}

fn policy(r: &mut Reader<'_>, t: &DeTable<'_>, c: &mut Config) {
    for (k, v) in t.iter() {
        match k.get_ref().as_ref() {
            "unenrolled" => set(&mut c.policy.unenrolled, r.word("policy.unenrolled", v)),
            other => unknown(r, "policy", other, v),
        }
    }
}

fn enrollment(r: &mut Reader<'_>, t: &DeTable<'_>, c: &mut Config) {
    for (k, v) in t.iter() {
        let key = join("enrollment", k.get_ref());
        let e = &mut c.enrollment;
        match k.get_ref().as_ref() {
            "first" => set(&mut e.first, r.word(&key, v)),
            "grace_days" => set(&mut e.grace_days, r.int(&key, v, 1..=365)),
            other => unknown(r, "enrollment", other, v),
        }
    }
}

fn services(r: &mut Reader<'_>, t: &DeTable<'_>) -> BTreeMap<String, ServicePolicy> {
    let mut out = BTreeMap::new();
    for (k, v) in t.iter() {
        let name: &str = k.get_ref();
        let table = join("services", name);
        let Some(st) = r.table(&table, v) else {
            continue;
        };
        let mut sp = ServicePolicy {
            unenrolled: None,
            methods: None,
        };
        for (k2, v2) in st.iter() {
            match k2.get_ref().as_ref() {
                "unenrolled" => sp.unenrolled = r.word(&join(&table, "unenrolled"), v2),
                "methods" => {
                    let key = join(&table, "methods");
                    sp.methods = channels::methods(r, &key, v2);
                    r.mark(&key, v2.span(), sp.methods.is_some());
                }
                other => unknown(r, &table, other, v2),
            }
        }
        if !service_name_ok(name) {
            let message = format!(
                "{} is not a PAM service name (a file name in /etc/pam.d)",
                quote(name)
            );
            r.report(&table, k.span(), message);
        } else {
            out.insert(name.to_owned(), sp);
        }
    }
    out
}

fn service_name_ok(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 255
        && !name.contains(|c: char| c == '/' || c.is_whitespace() || c.is_control())
}

fn totp(r: &mut Reader<'_>, t: &DeTable<'_>, out: &mut TotpDefaults) {
    for (k, v) in t.iter() {
        let key = join("totp", k.get_ref());
        match k.get_ref().as_ref() {
            "issuer" => {
                let ok = stored(&mut out.issuer, issuer(r, &key, v));
                r.mark(&key, v.span(), ok);
            }
            "algorithm" => set(&mut out.algorithm, r.word(&key, v)),
            "digits" => set(&mut out.digits, r.int(&key, v, 6..=8).map(u32_of)),
            "period" => set(&mut out.period, r.int(&key, v, 15..=300)),
            "window" => set(&mut out.window, r.int(&key, v, 0..=10)),
            other => unknown(r, "totp", other, v),
        }
    }
}

/// The issuer as written ("" stays "" and becomes the host name later).
fn issuer(r: &mut Reader<'_>, key: &str, v: &Value<'_>) -> Option<String> {
    let s = r.string(key, v)?;
    let why = if s.contains(':') {
        "contains ':', which authenticator apps do not allow in an issuer"
    } else if s.chars().any(char::is_control) {
        "contains a control character"
    } else if s.chars().count() > 100 {
        "is longer than 100 characters"
    } else {
        return Some(s.to_owned());
    };
    r.report(key, v.span(), format!("{} {why}", quote(s)));
    None
}

fn limits_table(r: &mut Reader<'_>, t: &DeTable<'_>, out: &mut Limits) {
    for (k, v) in t.iter() {
        let key = join("limits", k.get_ref());
        let ok = match k.get_ref().as_ref() {
            "max_failures" => stored(&mut out.max_failures, max_failures(r, &key, v)),
            "free_failures" => stored(&mut out.free_failures, r.int(&key, v, 0..=100).map(u32_of)),
            "delay_base" => stored(&mut out.delay_base, r.int(&key, v, 1..=3600).map(secs)),
            "delay_max" => stored(&mut out.delay_max, r.int(&key, v, 1..=86_400).map(secs)),
            other => {
                unknown(r, "limits", other, v);
                continue;
            }
        };
        r.mark(&key, v.span(), ok);
    }
}

fn max_failures(r: &mut Reader<'_>, key: &str, v: &Value<'_>) -> Option<u32> {
    let n = r.integer(key, v)?;
    if n > 100 {
        let why = "NIST 800-63B allows at most 100 consecutive failures";
        r.report(key, v.span(), format!("{n} is more than 100 ({why})"));
        return None;
    }
    r.in_range(key, v.span(), n, 1..=100).map(u32_of)
}

/// free_failures <= max_failures and delay_base <= delay_max, checked only when both values are
/// valid, and reported on the key the admin set.
fn cross_checks(r: &mut Reader<'_>, l: &Limits) {
    ordered(
        r,
        ("limits.free_failures", u64::from(l.free_failures)),
        ("limits.max_failures", u64::from(l.max_failures)),
        false,
    );
    ordered(
        r,
        ("limits.delay_base", l.delay_base.as_secs()),
        ("limits.delay_max", l.delay_max.as_secs()),
        true,
    );
}

/// Stores a value that was read correctly.
fn set<T>(slot: &mut T, value: Option<T>) {
    stored(slot, value);
}

/// Stores a value that was read correctly; returns whether it was.
fn stored<T>(slot: &mut T, value: Option<T>) -> bool {
    value.map(|v| *slot = v).is_some()
}

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

// Values are range-checked before these conversions, so they never saturate in practice.
fn u32_of(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn usize_of(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}
