//! Reading `[gateways.NAME]` tables: the `kind` decides which keys exist; every other key is an
//! error that names the key, its line and, when it belongs to another kind, that kind.

use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;
use std::time::Duration;

use toml::de::{DeTable, DeValue};
use url::{Host, Url};

use super::gateways::{
    ExecGateway, FieldValue, GATEWAY_PLACEHOLDERS, GatewayConfig, GatewayKind, HttpBody,
    HttpGateway, HttpMethod, NtfyGateway, PhoneFormat, SecretRef, TwilioGateway,
};
use super::problems::{did_you_mean, join, quote};
use super::templates;
use super::values::{Reader, Value, in_file_order};

/// Keys every gateway has.
pub(super) const COMMON_KEYS: &[&str] = &["kind", "timeout"];
/// Keys of each kind, besides [`COMMON_KEYS`].
pub(super) const KIND_KEYS: &[(&str, &[&str])] = &[
    (
        "twilio",
        &[
            "base_url",
            "account_sid",
            "auth_token_file",
            "auth_token_credential",
            "from",
        ],
    ),
    (
        "http",
        &[
            "url",
            "method",
            "body",
            "fields",
            "username",
            "password_file",
            "password_credential",
            "success_status",
            "success_pattern",
            "failure_pattern",
            "phone_format",
        ],
    ),
    ("exec", &["argv", "stdin", "phone_format"]),
    ("ntfy", &["base_url", "token_file", "token_credential"]),
];

/// Keys that would hold a secret inline, and what to write instead.
const INLINE_SECRETS: &[(&str, &str)] = &[
    ("auth_token", "auth_token_file or auth_token_credential"),
    ("password", "password_file or password_credential"),
    ("token", "a *_file or *_credential key"),
    ("secret", "a *_file or *_credential key"),
    ("api_key", "a *_file or *_credential key"),
];

pub const DEFAULT_TWILIO_URL: &str = "https://api.twilio.com";
const DEFAULT_TIMEOUT: u64 = 10;

/// What the `[gateways]` table declared: the valid gateways, and the name of every table
/// (valid or not), so a bad gateway is reported once, not again where a method names it.
#[derive(Default)]
pub(super) struct Declared {
    pub valid: BTreeMap<String, GatewayConfig>,
    pub names: BTreeSet<String>,
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Twilio,
    Http,
    Exec,
    Ntfy,
}

impl Kind {
    fn word(self) -> &'static str {
        match self {
            Kind::Twilio => "twilio",
            Kind::Http => "http",
            Kind::Exec => "exec",
            Kind::Ntfy => "ntfy",
        }
    }

    fn keys(self) -> &'static [&'static str] {
        KIND_KEYS
            .iter()
            .find(|(k, _)| *k == self.word())
            .map_or(&[], |(_, keys)| keys)
    }
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
        let gateway = gateway(r, &table, k.span(), kind, gt);
        if let Some(g) = gateway
            && r.problems.len() == before
        {
            out.valid.insert(name.to_owned(), g);
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
    header: std::ops::Range<usize>,
    gt: &DeTable<'_>,
) -> Option<Kind> {
    let Some((_, v)) = gt.iter().find(|(k, _)| k.get_ref() == "kind") else {
        let message = r#"missing key "kind" ("twilio", "http", "exec" or "ntfy")"#;
        r.report(table, header, message);
        return None;
    };
    let key = join(table, "kind");
    let s = r.string(&key, v)?;
    match s {
        "twilio" => Some(Kind::Twilio),
        "http" => Some(Kind::Http),
        "exec" => Some(Kind::Exec),
        "ntfy" => Some(Kind::Ntfy),
        _ => {
            let message = format!(
                r#"{} is not allowed: expected "twilio", "http", "exec" or "ntfy""#,
                quote(s)
            );
            r.report(&key, v.span(), message);
            None
        }
    }
}

/// Everything a gateway table may set; required keys are checked at the end.
#[derive(Default)]
struct Partial {
    timeout: Option<u64>,
    base_url: Option<String>,
    account_sid: Option<String>,
    secret: Option<SecretRef>,
    from: Option<String>,
    url: Option<String>,
    method: Option<HttpMethod>,
    body: Option<(HttpBody, usize)>,
    fields: Option<Vec<(String, FieldValue)>>,
    username: Option<String>,
    success_status: Option<Vec<u16>>,
    success_pattern: Option<String>,
    failure_pattern: Option<String>,
    phone_format: Option<PhoneFormat>,
    argv: Option<Vec<String>>,
    stdin: Option<String>,
}

fn gateway(
    r: &mut Reader<'_>,
    table: &str,
    header: std::ops::Range<usize>,
    kind: Kind,
    gt: &DeTable<'_>,
) -> Option<GatewayConfig> {
    let mut p = Partial::default();
    let mut secret_key: Option<String> = None;
    for (k, v) in in_file_order(gt) {
        let name: &str = k.get_ref();
        let key = join(table, name);
        if name == "kind" {
            continue;
        }
        if name == "timeout" {
            p.timeout = r.int(&key, v, 1..=60);
            continue;
        }
        if !kind.keys().contains(&name) {
            unknown_key(r, &key, kind, name, v);
            continue;
        }
        match name {
            "base_url" => p.base_url = web_url(r, &key, v, UrlUse::Base),
            "account_sid" => p.account_sid = account_sid(r, &key, v),
            "from" => p.from = twilio_from(r, &key, v),
            "auth_token_file"
            | "password_file"
            | "token_file"
            | "auth_token_credential"
            | "password_credential"
            | "token_credential" => {
                let got = if name.ends_with("_file") {
                    r.file(&key, v).map(SecretRef::File)
                } else {
                    credential(r, &key, v).map(SecretRef::Credential)
                };
                if let Some(first) = &secret_key {
                    let message = format!("{first} is set too: set only one of them");
                    r.report(&key, v.span(), message);
                } else {
                    secret_key = Some(name.to_owned());
                    p.secret = got;
                }
            }
            "url" => p.url = web_url(r, &key, v, UrlUse::Request),
            "method" => p.method = r.word(&key, v),
            "body" => {
                let line = r.line(v.span());
                p.body = r.word::<HttpBody>(&key, v).map(|b| (b, line));
            }
            "fields" => p.fields = fields(r, &key, v),
            "username" => p.username = username(r, &key, v),
            "success_status" => p.success_status = statuses(r, &key, v),
            "success_pattern" => p.success_pattern = pattern(r, &key, v),
            "failure_pattern" => p.failure_pattern = pattern(r, &key, v),
            "phone_format" => p.phone_format = r.word(&key, v),
            "argv" => p.argv = argv(r, &key, v),
            "stdin" => p.stdin = template(r, &key, v),
            _ => unknown_key(r, &key, kind, name, v),
        }
    }
    let timeout = Duration::from_secs(p.timeout.unwrap_or(DEFAULT_TIMEOUT));
    let mut missing = |what: &str, needs: &str| {
        let message = format!(
            "missing key {what} (kind \"{}\" needs {needs})",
            kind.word()
        );
        r.report(table, header.clone(), message);
    };
    let kind = match kind {
        Kind::Twilio => {
            let needs = "account_sid, from, and auth_token_file or auth_token_credential";
            let has_sid = gt.iter().any(|(k, _)| k.get_ref() == "account_sid");
            let has_from = gt.iter().any(|(k, _)| k.get_ref() == "from");
            if !has_sid {
                missing("\"account_sid\"", needs);
            }
            if !has_from {
                missing("\"from\"", needs);
            }
            if secret_key.is_none() {
                missing("\"auth_token_file\" or \"auth_token_credential\"", needs);
            }
            GatewayKind::Twilio(TwilioGateway {
                base_url: p.base_url.unwrap_or_else(|| DEFAULT_TWILIO_URL.to_owned()),
                account_sid: p.account_sid?,
                auth_token: p.secret?,
                from: p.from?,
            })
        }
        Kind::Http => {
            let needs = "url and fields";
            let has = |key: &str| gt.iter().any(|(k, _)| k.get_ref() == key);
            if !has("url") {
                missing("\"url\"", needs);
            }
            if !has("fields") {
                missing("\"fields\"", needs);
            }
            let method = p.method.unwrap_or(HttpMethod::Post);
            let body = match (method, p.body) {
                (HttpMethod::Get, None) => HttpBody::Query,
                (HttpMethod::Get, Some((b, line))) if b != HttpBody::Query => {
                    let message = format!(
                        "\"{b}\" sends a body, but method \"GET\" has none: use body = \"query\""
                    );
                    r.problems.push(super::Problem::new(
                        join(table, "body"),
                        Some(line),
                        message,
                    ));
                    return None;
                }
                (_, b) => b.map_or(HttpBody::Form, |(b, _)| b),
            };
            let basic_auth = basic_auth(r, table, header.clone(), p.username, p.secret, gt)?;
            let fields = p.fields?;
            fields_use_placeholders(r, table, gt, &fields)?;
            GatewayKind::Http(HttpGateway {
                url: p.url?,
                method,
                body,
                fields,
                basic_auth,
                success_status: p.success_status.unwrap_or_else(|| vec![200, 201, 202]),
                success_pattern: p.success_pattern,
                failure_pattern: p.failure_pattern,
                phone_format: p.phone_format.unwrap_or(PhoneFormat::E164),
            })
        }
        Kind::Ntfy => {
            if !gt.iter().any(|(k, _)| k.get_ref() == "base_url") {
                missing("\"base_url\"", "base_url");
            }
            GatewayKind::Ntfy(NtfyGateway {
                base_url: p.base_url?,
                token: p.secret,
            })
        }
        Kind::Exec => {
            if !gt.iter().any(|(k, _)| k.get_ref() == "argv") {
                missing("\"argv\"", "argv");
            }
            GatewayKind::Exec(ExecGateway {
                argv: p.argv?,
                stdin: p.stdin.unwrap_or_else(|| "{message}".to_owned()),
                phone_format: p.phone_format.unwrap_or(PhoneFormat::E164),
            })
        }
    };
    Some(GatewayConfig { timeout, kind })
}

/// A key this kind does not have: an inline secret, another kind's key, or a typo.
fn unknown_key(r: &mut Reader<'_>, key: &str, kind: Kind, name: &str, v: &Value<'_>) {
    if let Some((_, instead)) = INLINE_SECRETS.iter().find(|(k, _)| *k == name) {
        let message =
            format!("secrets are never written in this file (others may read it): use {instead}");
        r.report(key, v.span(), message);
        return;
    }
    let others: Vec<&str> = KIND_KEYS
        .iter()
        .filter(|(_, keys)| keys.contains(&name))
        .map(|(k, _)| *k)
        .collect();
    let mut siblings: Vec<&str> = COMMON_KEYS.to_vec();
    siblings.extend_from_slice(kind.keys());
    let hint = if let Some(m) = did_you_mean(name, &siblings) {
        format!(" (did you mean \"{m}\"?)")
    } else if !others.is_empty() {
        let kinds: Vec<String> = others.iter().map(|k| format!("\"{k}\"")).collect();
        format!(
            " (\"{name}\" is a key of kind {}, not \"{}\")",
            kinds.join(" and "),
            kind.word()
        )
    } else {
        format!(" (known keys here: {})", siblings.join(", "))
    };
    let message = format!("unknown key for kind \"{}\"{hint}", kind.word());
    r.report(key, v.span(), message);
}

/// What a URL is for: a base URL gets paths appended, so it takes no query.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum UrlUse {
    Base,
    Request,
}

/// An `https://` URL, or `http://` to a loopback host (127.0.0.0/8, ::1, localhost); no user
/// name or password in it. A base URL loses its trailing `/`.
pub(super) fn web_url(
    r: &mut Reader<'_>,
    key: &str,
    v: &Value<'_>,
    use_: UrlUse,
) -> Option<String> {
    let s = r.string(key, v)?;
    match check_url(s, use_) {
        Ok(url) => Some(url),
        Err(why) => {
            r.report(key, v.span(), format!("{} {why}", quote(s)));
            None
        }
    }
}

fn check_url(s: &str, use_: UrlUse) -> Result<String, String> {
    if s.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err("contains a space or control character".to_owned());
    }
    let url = Url::parse(s).map_err(|e| format!("is not a URL: {e}"))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(
            "contains a user name or password: secrets are never written in this file".to_owned(),
        );
    }
    let Some(host) = url.host() else {
        return Err("has no host".to_owned());
    };
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&host) => {}
        "http" => {
            return Err(
                "uses plain http:// to a host that is not loopback: TLS is required \
                 (https://); http:// is only for 127.0.0.0/8, ::1 and localhost"
                    .to_owned(),
            );
        }
        _ => return Err("must start with https://".to_owned()),
    }
    if url.fragment().is_some() {
        return Err("has a #fragment".to_owned());
    }
    if use_ == UrlUse::Base && url.query().is_some() {
        return Err("has a ?query; give the base URL only".to_owned());
    }
    if s.len() > 2048 {
        return Err("is longer than 2048 bytes".to_owned());
    }
    Ok(match use_ {
        UrlUse::Base => s.trim_end_matches('/').to_owned(),
        UrlUse::Request => s.to_owned(),
    })
}

fn is_loopback(host: &Host<&str>) -> bool {
    match host {
        Host::Ipv4(ip) => ip.is_loopback(),
        Host::Ipv6(ip) => ip.is_loopback(),
        Host::Domain(d) => {
            d.eq_ignore_ascii_case("localhost")
                || d.eq_ignore_ascii_case("localhost.")
                || d.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
        }
    }
}

fn account_sid(r: &mut Reader<'_>, key: &str, v: &Value<'_>) -> Option<String> {
    let s = r.string(key, v)?;
    let hex = s.strip_prefix("AC").unwrap_or("");
    if hex.len() == 32 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Some(s.to_owned());
    }
    let message = format!(
        "{} is not a Twilio account SID (\"AC\" and 32 hex digits)",
        quote(s)
    );
    r.report(key, v.span(), message);
    None
}

/// Whether `s` is an E.164 number: `+`, then 2 to 15 digits, the first not 0.
pub fn is_e164(s: &str) -> bool {
    let Some(digits) = s.strip_prefix('+') else {
        return false;
    };
    (2..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0')
}

/// Whether `s` is an alphanumeric sender ID: 1 to 11 letters, digits and spaces, a letter among
/// them.
pub fn is_alphanumeric_sender(s: &str) -> bool {
    (1..=11).contains(&s.len())
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b' ')
        && s.bytes().any(|b| b.is_ascii_alphabetic())
}

fn twilio_from(r: &mut Reader<'_>, key: &str, v: &Value<'_>) -> Option<String> {
    let s = r.string(key, v)?;
    if is_e164(s) || is_alphanumeric_sender(s) {
        return Some(s.to_owned());
    }
    let message = format!(
        "{} is neither an E.164 number (\"+\" and digits, like \"+15005550006\") nor an \
         alphanumeric sender ID (1 to 11 letters, digits and spaces)",
        quote(s)
    );
    r.report(key, v.span(), message);
    None
}

/// A systemd credential name: one path segment.
fn credential(r: &mut Reader<'_>, key: &str, v: &Value<'_>) -> Option<String> {
    let s = r.string(key, v)?;
    let ok = !s.is_empty()
        && s.len() <= 255
        && s != "."
        && s != ".."
        && !s.contains(|c: char| c == '/' || c.is_whitespace() || c.is_control());
    if ok {
        return Some(s.to_owned());
    }
    let message = format!(
        "{} is not a credential name (a file name under $CREDENTIALS_DIRECTORY, no '/')",
        quote(s)
    );
    r.report(key, v.span(), message);
    None
}

fn username(r: &mut Reader<'_>, key: &str, v: &Value<'_>) -> Option<String> {
    let s = r.string(key, v)?;
    if !s.is_empty() && s.len() <= 255 && !s.contains(':') && !s.chars().any(char::is_control) {
        return Some(s.to_owned());
    }
    let message = format!(
        "{} is not a user name for HTTP Basic auth (1 to 255 characters, no ':')",
        quote(s)
    );
    r.report(key, v.span(), message);
    None
}

/// `username` and `password_*` go together.
fn basic_auth(
    r: &mut Reader<'_>,
    table: &str,
    header: std::ops::Range<usize>,
    username: Option<String>,
    password: Option<SecretRef>,
    gt: &DeTable<'_>,
) -> Option<Option<(String, SecretRef)>> {
    let has = |key: &str| gt.iter().any(|(k, _)| k.get_ref() == key);
    let has_password = has("password_file") || has("password_credential");
    match (has("username"), has_password) {
        (false, false) => Some(None),
        (true, true) => Some(Some((username?, password?))),
        (true, false) => {
            let key = join(table, "username");
            let span = gt
                .iter()
                .find(|(k, _)| k.get_ref() == "username")
                .map_or(header, |(_, v)| v.span());
            r.report(
                &key,
                span,
                "is set without password_file or password_credential",
            );
            None
        }
        (false, true) => {
            let span = gt
                .iter()
                .find(|(k, _)| k.get_ref().starts_with("password_"))
                .map_or(header, |(_, v)| v.span());
            r.report(
                &join(table, "username"),
                span,
                "missing: a password is set, but no user name for HTTP Basic auth",
            );
            None
        }
    }
}

fn statuses(r: &mut Reader<'_>, key: &str, v: &Value<'_>) -> Option<Vec<u16>> {
    let DeValue::Array(items) = v.get_ref() else {
        r.wrong_type(key, v, "an array");
        return None;
    };
    if items.is_empty() {
        r.report(
            key,
            v.span(),
            "is empty: list the HTTP statuses that mean \"sent\"",
        );
        return None;
    }
    let mut out = Vec::new();
    let mut ok = true;
    for item in items.iter() {
        match r.int(key, item, 200..=299) {
            Some(n) => out.push(u16::try_from(n).unwrap_or(200)),
            None => ok = false,
        }
    }
    ok.then_some(out)
}

fn pattern(r: &mut Reader<'_>, key: &str, v: &Value<'_>) -> Option<String> {
    let s = r.string(key, v)?;
    let built = regex::RegexBuilder::new(s)
        .size_limit(1 << 20)
        .nest_limit(50)
        .build();
    match built {
        Ok(_) if s.is_empty() => {
            r.report(key, v.span(), "is empty: leave the key out instead");
            None
        }
        Ok(_) => Some(s.to_owned()),
        Err(e) => {
            let text = e.to_string();
            let why = text
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("");
            let why = why.trim().trim_start_matches("error: ");
            let message = format!("{} is not a valid regular expression: {why}", quote(s));
            r.report(key, v.span(), message);
            None
        }
    }
}

/// A template string whose placeholders are all `{phone}`, `{message}` or `{code}`.
fn template(r: &mut Reader<'_>, key: &str, v: &Value<'_>) -> Option<String> {
    let s = r.string(key, v)?;
    template_text(r, key, v.span(), s)
}

fn template_text(
    r: &mut Reader<'_>,
    key: &str,
    span: std::ops::Range<usize>,
    s: &str,
) -> Option<String> {
    if s.contains('\0') {
        r.report(key, span, "contains a NUL character");
        return None;
    }
    if let Some(name) = templates::unknown_placeholder(s, GATEWAY_PLACEHOLDERS) {
        let message =
            format!("unknown placeholder {{{name}}} (allowed: {{phone}}, {{message}}, {{code}})");
        r.report(key, span, message);
        return None;
    }
    Some(s.to_owned())
}

fn fields(r: &mut Reader<'_>, key: &str, v: &Value<'_>) -> Option<Vec<(String, FieldValue)>> {
    let t = r.table(key, v)?;
    let mut out = Vec::new();
    let mut ok = true;
    for (k, fv) in in_file_order(t) {
        let name: &str = k.get_ref();
        let fkey = join(key, name);
        if name.is_empty() || name.len() > 100 || name.chars().any(char::is_control) {
            r.report(
                &fkey,
                k.span(),
                "is not a parameter name (1 to 100 characters)",
            );
            ok = false;
            continue;
        }
        let value = match fv.get_ref() {
            DeValue::String(s) => template_text(r, &fkey, fv.span(), s).map(FieldValue::Text),
            DeValue::Array(_) => r.strings(&fkey, fv).and_then(|items| {
                let mut list = Vec::new();
                for (s, span) in items {
                    list.push(template_text(r, &fkey, span, &s)?);
                }
                Some(FieldValue::List(list))
            }),
            _ => {
                r.wrong_type(&fkey, fv, "a string or an array of strings");
                None
            }
        };
        match value {
            Some(value) => out.push((name.to_owned(), value)),
            None => ok = false,
        }
    }
    ok.then_some(out)
}

/// The fields must send the number and the code (in `{message}` or `{code}`).
fn fields_use_placeholders(
    r: &mut Reader<'_>,
    table: &str,
    gt: &DeTable<'_>,
    fields: &[(String, FieldValue)],
) -> Option<()> {
    let mut used = BTreeSet::new();
    for (_, value) in fields {
        let texts: Vec<&str> = match value {
            FieldValue::Text(s) => vec![s],
            FieldValue::List(l) => l.iter().map(String::as_str).collect(),
        };
        for s in texts {
            used.extend(templates::placeholders(s));
        }
    }
    let why = if !used.contains("phone") {
        "no field holds {phone}: the gateway would not know the number"
    } else if !used.contains("message") && !used.contains("code") {
        "no field holds {message} or {code}: the text would not carry the code"
    } else {
        return Some(());
    };
    let span = gt
        .iter()
        .find(|(k, _)| k.get_ref() == "fields")
        .map_or(0..0, |(_, v)| v.span());
    r.report(&join(table, "fields"), span, why);
    None
}

fn argv(r: &mut Reader<'_>, key: &str, v: &Value<'_>) -> Option<Vec<String>> {
    let items = r.strings(key, v)?;
    let Some((program, span)) = items.first() else {
        r.report(key, v.span(), "is empty: argv[0] is the program to run");
        return None;
    };
    let path = std::path::Path::new(program);
    let bad_program = !path.is_absolute()
        || path
            .components()
            .any(|c| c == std::path::Component::ParentDir)
        || !templates::placeholders(program).is_empty();
    if bad_program {
        let message = format!(
            "argv[0] {} is not an absolute path without \"..\" or placeholders (there is no \
             shell and no PATH search)",
            quote(program)
        );
        r.report(key, span.clone(), message);
        return None;
    }
    if items.len() > 64 {
        r.report(key, v.span(), "has more than 64 arguments");
        return None;
    }
    let mut out = Vec::new();
    for (s, span) in items {
        out.push(template_text(r, key, span, &s)?);
    }
    Some(out)
}
