//! Building a gateway from the keys read: the keys each kind requires, the defaults of the
//! optional ones, and the rules between keys of one gateway table.

use std::collections::BTreeSet;
use std::ops::Range;

use toml::de::DeTable;

use super::gateways::{
    ExecGateway, FieldValue, GatewayKind, HttpBody, HttpGateway, HttpMethod, NtfyGateway,
    PhoneFormat, SecretRef, TwilioGateway,
};
use super::gateways_schema::{DEFAULT_TWILIO_URL, Partial};
use super::problems::{Problem, join};
use super::templates;
use super::values::Reader;

/// One gateway table whose kind is known.
pub(super) struct Gateway<'a, 'i> {
    /// `gateways.NAME`
    pub table: String,
    pub header: Range<usize>,
    pub gt: &'a DeTable<'i>,
    pub kind: &'static str,
}

impl Gateway<'_, '_> {
    fn has(&self, key: &str) -> bool {
        self.gt.iter().any(|(k, _)| k.get_ref() == key)
    }

    /// Reports a required key that is missing.
    fn missing(&self, r: &mut Reader<'_>, what: &str, needs: &str) {
        let message = format!("missing key {what} (kind \"{}\" needs {needs})", self.kind);
        r.report(&self.table, self.header.clone(), message);
    }
}

/// The gateway of `g.kind` from what its table set; reports the required keys it lacks.
pub(super) fn build(r: &mut Reader<'_>, g: &Gateway<'_, '_>, p: Partial) -> Option<GatewayKind> {
    match g.kind {
        "twilio" => twilio(r, g, p),
        "http" => http(r, g, p),
        "exec" => exec(r, g, p),
        _ => ntfy(r, g, p),
    }
}

fn twilio(r: &mut Reader<'_>, g: &Gateway<'_, '_>, p: Partial) -> Option<GatewayKind> {
    let needs = "account_sid, from, and auth_token_file or auth_token_credential";
    if !g.has("account_sid") {
        g.missing(r, "\"account_sid\"", needs);
    }
    if !g.has("from") {
        g.missing(r, "\"from\"", needs);
    }
    if p.secret_key.is_none() {
        let what = "\"auth_token_file\" or \"auth_token_credential\"";
        g.missing(r, what, needs);
    }
    Some(GatewayKind::Twilio(TwilioGateway {
        base_url: p.base_url.unwrap_or_else(|| DEFAULT_TWILIO_URL.to_owned()),
        account_sid: p.account_sid?,
        auth_token: p.secret?,
        from: p.from?,
    }))
}

fn ntfy(r: &mut Reader<'_>, g: &Gateway<'_, '_>, p: Partial) -> Option<GatewayKind> {
    if !g.has("base_url") {
        g.missing(r, "\"base_url\"", "base_url");
    }
    Some(GatewayKind::Ntfy(NtfyGateway {
        base_url: p.base_url?,
        token: p.secret,
    }))
}

fn exec(r: &mut Reader<'_>, g: &Gateway<'_, '_>, p: Partial) -> Option<GatewayKind> {
    if !g.has("argv") {
        g.missing(r, "\"argv\"", "argv");
    }
    Some(GatewayKind::Exec(ExecGateway {
        argv: p.argv?,
        stdin: p.stdin.unwrap_or_else(|| "{message}".to_owned()),
        phone_format: p.phone_format.unwrap_or(PhoneFormat::E164),
    }))
}

fn http(r: &mut Reader<'_>, g: &Gateway<'_, '_>, p: Partial) -> Option<GatewayKind> {
    let needs = "url and fields";
    if !g.has("url") {
        g.missing(r, "\"url\"", needs);
    }
    if !g.has("fields") {
        g.missing(r, "\"fields\"", needs);
    }
    let method = p.method.unwrap_or(HttpMethod::Post);
    let body = match (method, p.body) {
        (HttpMethod::Get, None) => HttpBody::Query,
        (HttpMethod::Get, Some((b, line))) if b != HttpBody::Query => {
            let message =
                format!("\"{b}\" sends a body, but method \"GET\" has none: use body = \"query\"");
            r.problems
                .push(Problem::new(join(&g.table, "body"), Some(line), message));
            return None;
        }
        (_, b) => b.map_or(HttpBody::Form, |(b, _)| b),
    };
    let basic_auth = basic_auth(r, g, p.username, p.secret)?;
    let fields = p.fields?;
    fields_use_placeholders(r, g, &fields)?;
    Some(GatewayKind::Http(HttpGateway {
        url: p.url?,
        method,
        body,
        fields,
        basic_auth,
        success_status: p.success_status.unwrap_or_else(|| vec![200, 201, 202]),
        success_pattern: p.success_pattern,
        failure_pattern: p.failure_pattern,
        phone_format: p.phone_format.unwrap_or(PhoneFormat::E164),
    }))
}

/// `username` and `password_*` go together.
fn basic_auth(
    r: &mut Reader<'_>,
    g: &Gateway<'_, '_>,
    username: Option<String>,
    password: Option<SecretRef>,
) -> Option<Option<(String, SecretRef)>> {
    let (table, header, gt) = (g.table.as_str(), g.header.clone(), g.gt);
    let has = |key: &str| g.has(key);
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

/// The fields must send the number and the code (in `{message}` or `{code}`).
fn fields_use_placeholders(
    r: &mut Reader<'_>,
    g: &Gateway<'_, '_>,
    fields: &[(String, FieldValue)],
) -> Option<()> {
    let (table, gt) = (g.table.as_str(), g.gt);
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
