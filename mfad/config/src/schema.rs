//! The tables of the file and walking the parsed file against them: every unknown table or
//! key, wrong type and out-of-range value is recorded, then the rules between keys are checked
//! (`validate`). The keys themselves are declared once, with `table!`.

use std::collections::BTreeMap;

use toml::de::DeTable;

use super::gateways_schema::{self, Declared};
use super::keys::Keys;
use super::problems::{Problem, did_you_mean, join, quote};
use super::values::{Reader, Value};
use super::{
    BudgetConfig, Config, DaemonConfig, Enrollment, Limits, MetricsConfig, PhoneConfig,
    PolicyConfig, PushConfig, ServicePolicy, SmsConfig, StoreConfig, TotpDefaults, VoiceConfig,
    WebConfig, host_name, perms, validate,
};

/// One top-level table: its name, its keys, and what it holds.
pub(super) struct Table {
    pub name: &'static str,
    /// Empty for the tables of named tables (`[services.NAME]`, `[gateways.NAME]`).
    pub keys: &'static [&'static str],
    pub body: Body,
}

/// What a top-level table holds.
pub(super) enum Body {
    /// Keys declared with `table!`, read into this part of the config.
    Keys(fn(&mut Config) -> &mut dyn Keys),
    /// `[services.NAME]`, each with the keys of [`ServicePolicy`].
    Services,
    /// `[gateways.NAME]`, whose `kind` decides their keys.
    Gateways,
}

/// The tables, in the order messages list them.
pub(super) const TABLES: &[Table] = &[
    keys("daemon", DaemonConfig::KEYS, |c| &mut c.daemon),
    keys("policy", PolicyConfig::KEYS, |c| &mut c.policy),
    Table {
        name: "services",
        keys: &[],
        body: Body::Services,
    },
    keys("totp", TotpDefaults::KEYS, |c| &mut c.totp),
    keys("limits", Limits::KEYS, |c| &mut c.limits),
    keys("enrollment", Enrollment::KEYS, |c| &mut c.enrollment),
    keys("phone", PhoneConfig::KEYS, |c| &mut c.phone),
    keys("sms", SmsConfig::KEYS, |c| &mut c.sms),
    keys("voice", VoiceConfig::KEYS, |c| &mut c.voice),
    keys("push", PushConfig::KEYS, |c| &mut c.push),
    keys("web", WebConfig::KEYS, |c| &mut c.web),
    keys("budgets", BudgetConfig::KEYS, |c| &mut c.budgets),
    keys("store", StoreConfig::KEYS, |c| &mut c.store),
    keys("metrics", MetricsConfig::KEYS, |c| &mut c.metrics),
    Table {
        name: "gateways",
        keys: &[],
        body: Body::Gateways,
    },
];

const fn keys(
    name: &'static str,
    keys: &'static [&'static str],
    part: fn(&mut Config) -> &mut dyn Keys,
) -> Table {
    Table {
        name,
        keys,
        body: Body::Keys(part),
    }
}

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
    let mut declared = Declared::default();
    for (k, v) in root.iter() {
        let name: &str = k.get_ref();
        let Some(table) = TABLES.iter().find(|t| t.name == name) else {
            let names: Vec<&str> = TABLES.iter().map(|t| t.name).collect();
            unknown(r, "", &names, name, v);
            continue;
        };
        let Some(t) = r.table(&join("", name), v) else {
            continue;
        };
        match table.body {
            Body::Keys(part) => read_keys(r, name, t, part(&mut c)),
            Body::Services => c.services = services(r, t),
            Body::Gateways => declared = gateways_schema::gateways(r, t),
        }
    }
    if c.totp.issuer.is_empty() {
        c.totp.issuer = host_name();
    }
    validate::validate(r, &c, &declared);
    c.gateways = declared.valid;
    c
}

/// Reads every key of one table into `part`; reports the keys it does not have.
fn read_keys(r: &mut Reader<'_>, table: &str, t: &DeTable<'_>, part: &mut dyn Keys) {
    for (k, v) in t.iter() {
        let name: &str = k.get_ref();
        if !part.read_key(r, name, &join(table, name), v) {
            unknown(r, table, part.keys(), name, v);
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
        let mut sp = ServicePolicy::default();
        read_keys(r, &table, st, &mut sp);
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

/// Reports an unknown key or table, with a did-you-mean or the table the key belongs in.
pub(super) fn unknown(r: &mut Reader<'_>, table: &str, here: &[&str], name: &str, v: &Value<'_>) {
    let key = join(table, name);
    let what = if table.is_empty() && v.get_ref().is_table() {
        "unknown table"
    } else {
        "unknown key"
    };
    let siblings = here;
    let home = TABLES
        .iter()
        .find(|t| t.keys.contains(&name))
        .map(|t| t.name);
    let hint = if let Some(m) = did_you_mean(name, siblings) {
        format!(" (did you mean \"{m}\"?)")
    } else if let Some(home) = home {
        format!(" (\"{name}\" belongs in [{home}])")
    } else if table.is_empty() {
        let names: Vec<String> = TABLES
            .iter()
            .map(|t| match t.body {
                Body::Keys(_) => format!("[{}]", t.name),
                Body::Services | Body::Gateways => format!("[{}.NAME]", t.name),
            })
            .collect();
        format!(" (known tables: {})", names.join(", "))
    } else {
        format!(" (known keys here: {})", siblings.join(", "))
    };
    r.report(&key, v.span(), format!("{what}{hint}"));
}
