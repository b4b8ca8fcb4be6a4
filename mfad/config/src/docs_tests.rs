//! The admin-facing texts against the one source of the keys (`table!`, [`TABLES`],
//! [`GATEWAY_KEYS`]): `docs/config-reference.md`, the example `etc/mfa/mfad.toml` and the man
//! page `man/mfad.toml.5` must list every key, in the source's order, and no other; and the
//! defaults they show must be the parser's.

use std::collections::{BTreeMap, BTreeSet};

use super::gateways_schema::{GATEWAY_KEYS, keys_of};
use super::schema::{Body, TABLES};
use super::{Config, ServicePolicy};

const REFERENCE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../docs/config-reference.md"
));
const EXAMPLE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../etc/mfa/mfad.toml"
));
const MAN_PAGE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../man/mfad.toml.5"
));

/// A key a document shows: its section ("daemon", "services", "gateways", "gateways.twilio"),
/// its name, the default it gives, if any, and the text that says which values are allowed.
#[derive(Debug, Default)]
struct Shown {
    section: String,
    key: String,
    default: Option<String>,
    allowed: String,
}

/// The keys of the common gateway section (every kind has them).
fn common_gateway_keys() -> Vec<&'static str> {
    let kinds = GATEWAY_KEYS
        .iter()
        .map(|k| k.kinds.len())
        .max()
        .unwrap_or(0);
    GATEWAY_KEYS
        .iter()
        .filter(|k| k.kinds.len() == kinds)
        .map(|k| k.name)
        .collect()
}

/// What the source declares, section by section, in order.
fn expected() -> BTreeMap<String, Vec<&'static str>> {
    let mut out = BTreeMap::new();
    for t in TABLES {
        let keys = match t.body {
            Body::Keys(_) => t.keys.to_vec(),
            Body::Services => ServicePolicy::KEYS.to_vec(),
            Body::Gateways => common_gateway_keys(),
        };
        out.insert(t.name.to_owned(), keys);
    }
    let common = common_gateway_keys();
    let kinds: BTreeSet<&str> = GATEWAY_KEYS.iter().flat_map(|k| k.kinds).copied().collect();
    for kind in kinds {
        let own = keys_of(kind).into_iter().filter(|k| !common.contains(k));
        out.insert(format!("gateways.{kind}"), own.collect());
    }
    out
}

/// The keys shown, grouped by section, in the order shown.
fn by_section(shown: &[Shown]) -> BTreeMap<String, Vec<&str>> {
    let mut out: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for s in shown {
        out.entry(s.section.clone()).or_default().push(&s.key);
    }
    out
}

/// Every section lists exactly the source's keys, in the source's order.
fn assert_lists_every_key(doc: &str, shown: &[Shown]) {
    let shown = by_section(shown);
    for (section, keys) in expected() {
        let got = shown.get(&section).cloned().unwrap_or_default();
        assert_eq!(got, keys, "{doc}, section {section}");
    }
    for section in shown.keys() {
        assert!(
            expected().contains_key(section),
            "{doc} shows keys under {section}, which the source does not have"
        );
    }
}

/// Every default shown for a key of a plain table parses to the default of [`Config`].
fn assert_defaults_are_the_parsers(doc: &str, shown: &[Shown]) {
    for s in shown {
        let plain = TABLES
            .iter()
            .any(|t| t.name == s.section && matches!(t.body, Body::Keys(_)));
        if !plain {
            continue;
        }
        let Some(default) = &s.default else {
            panic!("{doc}: {}.{} shows no default", s.section, s.key);
        };
        let text = format!("[{}]\n{} = {default}\n", s.section, s.key);
        assert_eq!(
            Config::parse(&text),
            Ok(Config::default()),
            "{doc}: {}.{} = {default} is not the default",
            s.section,
            s.key
        );
    }
}

/// `## \`[daemon]\``, `## \`[gateways.NAME]\``, `### kind = "twilio"`: tables of
/// `| \`key\` | type | default | allowed | meaning |`.
fn reference_keys() -> Vec<Shown> {
    let mut out = Vec::new();
    let mut section = String::new();
    for line in REFERENCE.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            section = heading
                .trim_matches(|c| c == '`' || c == '[' || c == ']')
                .trim_end_matches(".NAME")
                .to_owned();
        } else if let Some(kind) = line.strip_prefix("### kind = ") {
            section = format!("gateways.{}", kind.trim_matches('"'));
        } else if line.starts_with("### ") {
            section = line.to_owned();
        } else if let Some(row) = line.strip_prefix("| `") {
            let cells: Vec<&str> = row.split(" | ").collect();
            let key = cells[0].trim_end_matches('`').to_owned();
            // The default is the cell's first `literal`.
            let default = cells
                .get(2)
                .and_then(|c| c.strip_prefix('`'))
                .and_then(|c| c.split('`').next())
                .map(str::to_owned);
            out.push(Shown {
                section: section.clone(),
                key,
                default,
                allowed: cells.get(3).map_or(String::new(), |c| c.to_string()),
            });
        }
    }
    out
}

/// `[table]` then `key = value`; the named tables are shown commented out (`# [gateways.x]`,
/// `# key = value`), each kind once, so they are compared as one section each.
fn example_keys() -> Vec<Shown> {
    let mut out = Vec::new();
    let mut section = String::new();
    for line in EXAMPLE.lines() {
        let (commented, bare) = match line.strip_prefix("# ") {
            Some(rest) => (true, rest),
            None => (false, line),
        };
        if let Some(header) = bare.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
            section = header.split('.').next().unwrap_or("").to_owned();
            continue;
        }
        let Some((key, value)) = bare.split_once(" = ") else {
            continue;
        };
        let is_key = !key.is_empty() && key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
        if is_key && (!commented || matches!(section.as_str(), "services" | "gateways")) {
            out.push(Shown {
                section: section.clone(),
                key: key.to_owned(),
                default: Some(value.to_owned()),
                ..Shown::default()
            });
        }
    }
    out
}

/// `.SH [daemon]`, `.SS kind = "twilio"`, then `.TP` and `.B key` or `.BR key " = default"`,
/// then the entry's text. What the section says before its first entry applies to each.
fn man_keys() -> Vec<Shown> {
    let mut out: Vec<Shown> = Vec::new();
    let (mut section, mut intro) = (String::new(), String::new());
    let mut in_entry = false;
    let mut lines = MAN_PAGE.lines();
    while let Some(line) = lines.next() {
        if let Some(heading) = line.strip_prefix(".SH ") {
            section = heading
                .trim_matches(|c| c == '[' || c == ']')
                .trim_end_matches(".NAME")
                .to_owned();
            (intro, in_entry) = (String::new(), false);
        } else if let Some(kind) = line.strip_prefix(".SS kind = ") {
            section = format!("gateways.{}", kind.trim_matches('"'));
            (intro, in_entry) = (String::new(), false);
        } else if line == ".TP" {
            let Some(term) = lines.next() else { break };
            let term = term.replace("\\(dq", "\"").replace("\\-", "-");
            let Some(term) = term.strip_prefix(".BR ").or(term.strip_prefix(".B ")) else {
                continue;
            };
            let (key, default) = match term.split_once(" \" = ") {
                Some((key, default)) => (key, default.strip_suffix('"').map(str::to_owned)),
                None => (term, None),
            };
            in_entry = true;
            out.push(Shown {
                section: section.clone(),
                key: key.to_owned(),
                default,
                allowed: intro.clone(),
            });
        } else if let (true, Some(last)) = (in_entry, out.last_mut()) {
            last.allowed.push_str(line);
        } else {
            intro.push_str(line);
        }
    }
    out
}

#[test]
fn the_reference_lists_every_key_in_source_order_and_no_other() {
    assert_lists_every_key("docs/config-reference.md", &reference_keys());
}

#[test]
fn the_example_sets_every_key_and_no_other() {
    let shown = example_keys();
    let sections = by_section(&shown);
    for (section, keys) in expected() {
        let got = match section.split_once('.') {
            // The example shows each named table's keys once, in tables of its own choosing.
            Some(_) => continue,
            None if matches!(section.as_str(), "services" | "gateways") => {
                let got: BTreeSet<&str> = sections
                    .get(&section)
                    .into_iter()
                    .flatten()
                    .copied()
                    .collect();
                let want: BTreeSet<&str> = if section == "services" {
                    keys.into_iter().collect()
                } else {
                    GATEWAY_KEYS.iter().map(|k| k.name).collect()
                };
                assert_eq!(got, want, "etc/mfa/mfad.toml, section {section}");
                continue;
            }
            None => sections.get(&section).cloned().unwrap_or_default(),
        };
        assert_eq!(got, keys, "etc/mfa/mfad.toml, section {section}");
    }
    for section in sections.keys() {
        assert!(
            expected().contains_key(section),
            "etc/mfa/mfad.toml shows keys under [{section}], which the source does not have"
        );
    }
    assert_defaults_are_the_parsers("etc/mfa/mfad.toml", &shown);
}

#[test]
fn the_man_page_lists_every_key_in_source_order_and_no_other() {
    assert_lists_every_key("man/mfad.toml.5", &man_keys());
}

#[test]
fn the_defaults_in_the_reference_and_the_man_page_are_the_parsers() {
    assert_defaults_are_the_parsers("docs/config-reference.md", &reference_keys());
    assert_defaults_are_the_parsers("man/mfad.toml.5", &man_keys());
}

/// Every key with a numeric range shows it where the document says what is allowed.
fn assert_gives_every_range(doc: &str, shown: &[Shown]) {
    for t in TABLES {
        let Body::Keys(part) = t.body else { continue };
        for (key, range) in part(&mut Config::default()).ranges() {
            let Some((lo, hi)) = range else { continue };
            let allowed = shown
                .iter()
                .find(|s| s.section == t.name && s.key == key)
                .map_or("", |s| s.allowed.as_str());
            assert!(
                allowed.contains(&format!("{lo}..={hi}")),
                "{doc}: {}.{key} allows {lo}..={hi}, the document says {allowed:?}",
                t.name
            );
        }
    }
}

#[test]
fn the_reference_and_the_man_page_give_the_range_of_every_numeric_key() {
    assert_gives_every_range("docs/config-reference.md", &reference_keys());
    assert_gives_every_range("man/mfad.toml.5", &man_keys());
}

#[test]
fn a_key_missing_from_a_document_or_unknown_to_the_source_is_caught() {
    let mut shown = reference_keys();
    let at = shown.iter().position(|s| s.key == "session_timeout");
    shown.remove(at.unwrap_or(0));
    let result = std::panic::catch_unwind(|| assert_lists_every_key("test", &shown));
    assert!(result.is_err(), "a missing key went unnoticed");
    let mut shown = reference_keys();
    shown.push(Shown {
        section: "gateways.exec".to_owned(),
        key: "shell".to_owned(),
        ..Shown::default()
    });
    let result = std::panic::catch_unwind(|| assert_lists_every_key("test", &shown));
    assert!(result.is_err(), "a key the source lacks went unnoticed");
}
