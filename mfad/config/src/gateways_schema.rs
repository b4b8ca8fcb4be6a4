//! Reading `[gateways.NAME]` tables. [`GATEWAY_KEYS`] declares each key once: the kinds that
//! have it, how it is read and its doc. The `kind` decides which keys exist; every other key is
//! an error that names the key, its line and, when it belongs to another kind, that kind.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::time::Duration;

use toml::de::DeTable;

use super::gateway_build::{self as gateway_build, Gateway};
use super::gateway_values::{
    UrlUse, account_sid, argv, credential, fields, pattern, statuses, template, twilio_from,
    username, web_url,
};
use super::gateways::{FieldValue, GatewayConfig, HttpBody, HttpMethod, PhoneFormat, SecretRef};
use super::problems::{did_you_mean, join, one_of, quote};
use super::values::{Reader, Value, in_file_order};

pub const DEFAULT_TWILIO_URL: &str = "https://api.twilio.com";
const DEFAULT_TIMEOUT: u64 = 10;

/// Keys that would hold a secret inline, and what to write instead.
const INLINE_SECRETS: &[(&str, &str)] = &[
    ("auth_token", "auth_token_file or auth_token_credential"),
    ("password", "password_file or password_credential"),
    ("token", "a *_file or *_credential key"),
    ("secret", "a *_file or *_credential key"),
    ("api_key", "a *_file or *_credential key"),
];

/// One key of a gateway table.
pub(super) struct GatewayKey {
    pub name: &'static str,
    /// The kinds that have this key.
    pub kinds: &'static [&'static str],
    /// Reads the value into the gateway being built.
    read: fn(&mut Reader<'_>, &Found<'_, '_>, &mut Partial),
}

/// A key as found in the file.
struct Found<'a, 'i> {
    name: &'a str,
    key: String,
    v: &'a Value<'i>,
}

const ALL: &[&str] = &["twilio", "http", "exec", "ntfy"];

const fn key(
    name: &'static str,
    kinds: &'static [&'static str],
    read: fn(&mut Reader<'_>, &Found<'_, '_>, &mut Partial),
) -> GatewayKey {
    GatewayKey { name, kinds, read }
}

/// Every gateway key, once. Each kind's keys are listed in this order in messages.
pub(super) const GATEWAY_KEYS: &[GatewayKey] = &[
    // Which provider protocol; read first, as it decides the other keys.
    key("kind", ALL, |_, _, _| {}),
    // Seconds for one whole request (connect, send, response), 1..=60.
    key("timeout", ALL, |r, f, p| {
        p.timeout = r.int(&f.key, f.v, 1..=60)
    }),
    // The API or server, without a trailing slash.
    key("base_url", &["twilio", "ntfy"], |r, f, p| {
        p.base_url = web_url(r, &f.key, f.v, UrlUse::Base);
    }),
    // The Twilio account: "AC" and 32 hex digits.
    key("account_sid", &["twilio"], |r, f, p| {
        p.account_sid = account_sid(r, &f.key, f.v);
    }),
    // The file holding Twilio's auth token.
    key("auth_token_file", &["twilio"], secret_file),
    // The systemd credential holding Twilio's auth token.
    key("auth_token_credential", &["twilio"], secret_credential),
    // The sender: an E.164 number or an alphanumeric sender ID.
    key("from", &["twilio"], |r, f, p| {
        p.from = twilio_from(r, &f.key, f.v)
    }),
    // Where an http gateway's request goes.
    key("url", &["http"], |r, f, p| {
        p.url = web_url(r, &f.key, f.v, UrlUse::Request);
    }),
    // "POST" or "GET".
    key("method", &["http"], |r, f, p| {
        p.method = r.word(&f.key, f.v)
    }),
    // "form", "json" or "query": how the fields are sent.
    key("body", &["http"], |r, f, p| {
        let line = r.line(f.v.span());
        p.body = r.word::<HttpBody>(&f.key, f.v).map(|b| (b, line));
    }),
    // The request parameters, with {phone}, {message} and {code}.
    key("fields", &["http"], |r, f, p| {
        p.fields = fields(r, &f.key, f.v)
    }),
    // HTTP Basic auth user.
    key("username", &["http"], |r, f, p| {
        p.username = username(r, &f.key, f.v);
    }),
    // The file holding the Basic auth password.
    key("password_file", &["http"], secret_file),
    // The systemd credential holding the Basic auth password.
    key("password_credential", &["http"], secret_credential),
    // Statuses that mean "sent", 200..=299.
    key("success_status", &["http"], |r, f, p| {
        p.success_status = statuses(r, &f.key, f.v);
    }),
    // A regular expression the body must match to count as sent.
    key("success_pattern", &["http"], |r, f, p| {
        p.success_pattern = pattern(r, &f.key, f.v);
    }),
    // A regular expression that, matching the body, means the number was refused.
    key("failure_pattern", &["http"], |r, f, p| {
        p.failure_pattern = pattern(r, &f.key, f.v);
    }),
    // The program and its arguments, argv[0] an absolute path.
    key("argv", &["exec"], |r, f, p| p.argv = argv(r, &f.key, f.v)),
    // Written to the program's standard input.
    key("stdin", &["exec"], |r, f, p| {
        p.stdin = template(r, &f.key, f.v)
    }),
    // How {phone} is written.
    key("phone_format", &["http", "exec"], |r, f, p| {
        p.phone_format = r.word(&f.key, f.v);
    }),
    // The file holding the ntfy access token.
    key("token_file", &["ntfy"], secret_file),
    // The systemd credential holding the ntfy access token.
    key("token_credential", &["ntfy"], secret_credential),
];

/// The keys of one kind, in [`GATEWAY_KEYS`] order.
pub(super) fn keys_of(kind: &str) -> Vec<&'static str> {
    GATEWAY_KEYS
        .iter()
        .filter(|k| k.kinds.contains(&kind))
        .map(|k| k.name)
        .collect()
}

fn secret_file(r: &mut Reader<'_>, f: &Found<'_, '_>, p: &mut Partial) {
    let got = r.file(&f.key, f.v).map(SecretRef::File);
    p.set_secret(r, f, got);
}

fn secret_credential(r: &mut Reader<'_>, f: &Found<'_, '_>, p: &mut Partial) {
    let got = credential(r, &f.key, f.v).map(SecretRef::Credential);
    p.set_secret(r, f, got);
}

/// What the `[gateways]` table declared: the valid gateways, and the name of every table
/// (valid or not), so a bad gateway is reported once, not again where a method names it.
#[derive(Default)]
pub(super) struct Declared {
    pub valid: BTreeMap<String, GatewayConfig>,
    pub names: BTreeSet<String>,
}

pub(super) fn gateways(r: &mut Reader<'_>, t: &DeTable<'_>) -> Declared {
    let mut out = Declared::default();
    for (k, v) in t.iter() {
        let name: &str = k.get_ref();
        out.names.insert(name.to_owned());
        let table = join("gateways", name);
        let Some(gt) = r.table(&table, v) else {
            continue;
        };
        let before = r.problems.len();
        if !gateway_name_ok(name) {
            let message = format!(
                "{} is not a gateway name (letters, digits, '-', '_' and '.', at most 64)",
                quote(name)
            );
            r.report(&table, k.span(), message);
            continue;
        }
        let Some(kind) = kind(r, &table, k.span(), gt) else {
            continue;
        };
        let g = Gateway {
            table,
            header: k.span(),
            gt,
            kind,
        };
        let gateway = gateway(r, &g);
        if let Some(gateway) = gateway
            && r.problems.len() == before
        {
            out.valid.insert(name.to_owned(), gateway);
        }
    }
    out
}

fn gateway_name_ok(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
}

/// The `kind` of a gateway table; reports it missing or wrong.
fn kind(
    r: &mut Reader<'_>,
    table: &str,
    header: Range<usize>,
    gt: &DeTable<'_>,
) -> Option<&'static str> {
    let Some((_, v)) = gt.iter().find(|(k, _)| k.get_ref() == "kind") else {
        let message = format!("missing key \"kind\" ({})", one_of(ALL));
        r.report(table, header, message);
        return None;
    };
    let key = join(table, "kind");
    let s = r.string(&key, v)?;
    if let Some(kind) = ALL.iter().find(|k| **k == s) {
        return Some(kind);
    }
    let message = format!("{} is not allowed: expected {}", quote(s), one_of(ALL));
    r.report(&key, v.span(), message);
    None
}

/// Everything a gateway table may set; required keys are checked when the gateway is built.
#[derive(Default)]
pub(super) struct Partial {
    pub timeout: Option<u64>,
    pub base_url: Option<String>,
    pub account_sid: Option<String>,
    pub secret: Option<SecretRef>,
    /// The key that set `secret`: only one of a kind's secret keys may be set.
    pub secret_key: Option<String>,
    pub from: Option<String>,
    pub url: Option<String>,
    pub method: Option<HttpMethod>,
    pub body: Option<(HttpBody, usize)>,
    pub fields: Option<Vec<(String, FieldValue)>>,
    pub username: Option<String>,
    pub success_status: Option<Vec<u16>>,
    pub success_pattern: Option<String>,
    pub failure_pattern: Option<String>,
    pub phone_format: Option<PhoneFormat>,
    pub argv: Option<Vec<String>>,
    pub stdin: Option<String>,
}

impl Partial {
    fn set_secret(&mut self, r: &mut Reader<'_>, f: &Found<'_, '_>, got: Option<SecretRef>) {
        if let Some(first) = &self.secret_key {
            let message = format!("{first} is set too: set only one of them");
            r.report(&f.key, f.v.span(), message);
        } else {
            self.secret_key = Some(f.name.to_owned());
            self.secret = got;
        }
    }
}

fn gateway(r: &mut Reader<'_>, g: &Gateway<'_, '_>) -> Option<GatewayConfig> {
    let mut p = Partial::default();
    for (k, v) in in_file_order(g.gt) {
        let name: &str = k.get_ref();
        let found = Found {
            name,
            key: join(&g.table, name),
            v,
        };
        match GATEWAY_KEYS
            .iter()
            .find(|key| key.name == name && key.kinds.contains(&g.kind))
        {
            Some(key) => (key.read)(r, &found, &mut p),
            None => unknown_key(r, &found, g.kind),
        }
    }
    let timeout = Duration::from_secs(p.timeout.unwrap_or(DEFAULT_TIMEOUT));
    let kind = gateway_build::build(r, g, p)?;
    Some(GatewayConfig { timeout, kind })
}

/// A key this kind does not have: an inline secret, another kind's key, or a typo.
fn unknown_key(r: &mut Reader<'_>, f: &Found<'_, '_>, kind: &str) {
    let (name, key, v) = (f.name, &f.key, f.v);
    if let Some((_, instead)) = INLINE_SECRETS.iter().find(|(k, _)| *k == name) {
        let message =
            format!("secrets are never written in this file (others may read it): use {instead}");
        r.report(key, v.span(), message);
        return;
    }
    let others: Vec<&str> = GATEWAY_KEYS
        .iter()
        .find(|k| k.name == name)
        .map_or(&[][..], |k| k.kinds)
        .to_vec();
    let siblings = keys_of(kind);
    let hint = if let Some(m) = did_you_mean(name, &siblings) {
        format!(" (did you mean \"{m}\"?)")
    } else if !others.is_empty() {
        let kinds: Vec<String> = others.iter().map(|k| format!("\"{k}\"")).collect();
        format!(
            " (\"{name}\" is a key of kind {}, not \"{kind}\")",
            kinds.join(" and ")
        )
    } else {
        format!(" (known keys here: {})", siblings.join(", "))
    };
    let message = format!("unknown key for kind \"{kind}\"{hint}");
    r.report(key, v.span(), message);
}
