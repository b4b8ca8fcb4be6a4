//! Readers of the `[gateways.NAME]` values that need checks of their own: URLs, Twilio's
//! account and sender, credential and user names, statuses, regular expressions, templates,
//! request fields and argv.

use std::net::IpAddr;

use toml::de::DeValue;
use url::{Host, Url};

use super::gateways::{FieldValue, GATEWAY_PLACEHOLDERS};
use super::problems::{join, quote};
use super::templates;
use super::values::{Reader, Value, in_file_order};

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

pub(super) fn account_sid(r: &mut Reader<'_>, key: &str, v: &Value<'_>) -> Option<String> {
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
fn is_alphanumeric_sender(s: &str) -> bool {
    (1..=11).contains(&s.len())
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b' ')
        && s.bytes().any(|b| b.is_ascii_alphabetic())
}

pub(super) fn twilio_from(r: &mut Reader<'_>, key: &str, v: &Value<'_>) -> Option<String> {
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
pub(super) fn credential(r: &mut Reader<'_>, key: &str, v: &Value<'_>) -> Option<String> {
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

pub(super) fn username(r: &mut Reader<'_>, key: &str, v: &Value<'_>) -> Option<String> {
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

pub(super) fn statuses(r: &mut Reader<'_>, key: &str, v: &Value<'_>) -> Option<Vec<u16>> {
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

pub(super) fn pattern(r: &mut Reader<'_>, key: &str, v: &Value<'_>) -> Option<String> {
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
pub(super) fn template(r: &mut Reader<'_>, key: &str, v: &Value<'_>) -> Option<String> {
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

pub(super) fn fields(
    r: &mut Reader<'_>,
    key: &str,
    v: &Value<'_>,
) -> Option<Vec<(String, FieldValue)>> {
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

pub(super) fn argv(r: &mut Reader<'_>, key: &str, v: &Value<'_>) -> Option<Vec<String>> {
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
