//! Readers of the `[phone]`, `[sms]` and `[web]` keys that need checks of their own: country
//! codes, number types, gateway lists, the SMS text and the listener's address and URL.

use std::net::SocketAddr;

use super::channels::NumberType;
use super::countries as iso3166;
use super::gateway_values::{UrlUse, web_url};
use super::problems::quote;
use super::templates;
use super::values::{Reader, Value};

/// Number types that are refused whatever the config says.
const NEVER_ALLOWED: &[&str] = &[
    "premium_rate",
    "shared_cost",
    "personal_number",
    "pager",
    "uan",
    "voicemail",
];

/// Placeholders allowed in `[sms] message`.
const MESSAGE_PLACEHOLDERS: &[&str] = &["code", "issuer", "minutes"];
/// What one SMS holds in GSM-7.
pub(super) const SMS_CHARS: usize = 160;

pub(super) fn countries(r: &mut Reader<'_>, key: &str, v: &Value<'_>) -> Option<Vec<String>> {
    let items = r.strings(key, v)?;
    let mut out: Vec<String> = Vec::new();
    let mut ok = true;
    for (s, span) in items {
        let code = s.to_ascii_uppercase();
        if !iso3166::is_country(&code) {
            let message = format!(
                "{} is not an ISO 3166-1 alpha-2 country code (like \"NL\" or \"US\")",
                quote(&s)
            );
            r.report(key, span, message);
            ok = false;
        } else if out.contains(&code) {
            r.report(key, span, format!("{} is listed twice", quote(&s)));
            ok = false;
        } else {
            out.push(code);
        }
    }
    ok.then_some(out)
}

pub(super) fn number_types(
    r: &mut Reader<'_>,
    key: &str,
    v: &Value<'_>,
) -> Option<Vec<NumberType>> {
    let items = r.strings(key, v)?;
    if items.is_empty() {
        let message = "is empty: no number could be enrolled (to turn texts or calls off, \
                       leave the gateways of [sms] or [voice] empty)";
        r.report(key, v.span(), message);
        return None;
    }
    let mut out = Vec::new();
    let mut ok = true;
    for (s, span) in items {
        let lower = s.to_ascii_lowercase();
        if NEVER_ALLOWED.contains(&lower.as_str()) {
            let message = format!(
                "{} is never allowed: such numbers cost the sender or are forwarded elsewhere \
                 (toll fraud)",
                quote(&s)
            );
            r.report(key, span, message);
            ok = false;
            continue;
        }
        match s.parse::<NumberType>() {
            Ok(t) if out.contains(&t) => {
                r.report(key, span, format!("{} is listed twice", quote(&s)));
                ok = false;
            }
            Ok(t) => out.push(t),
            Err(e) => {
                r.report(key, span, format!("{} is not allowed: {e}", quote(&s)));
                ok = false;
            }
        }
    }
    ok.then_some(out)
}

/// Gateway names, each once. Their lines are kept in the reader for the cross-checks.
pub(super) fn gateway_names(r: &mut Reader<'_>, key: &str, v: &Value<'_>) -> Option<Vec<String>> {
    let items = r.strings(key, v)?;
    let mut out: Vec<(String, usize)> = Vec::new();
    let mut ok = true;
    for (s, span) in items {
        if out.iter().any(|(n, _)| *n == s) {
            r.report(key, span, format!("{} is listed twice", quote(&s)));
            ok = false;
        } else {
            let line = r.line(span);
            out.push((s, line));
        }
    }
    if !ok {
        return None;
    }
    let names = out.iter().map(|(n, _)| n.clone()).collect();
    r.listed.insert(key.to_owned(), out);
    Some(names)
}

/// `[sms] message` on its own: `{code}` in it, known placeholders only, plain ASCII.
pub(super) fn message(r: &mut Reader<'_>, key: &str, v: &Value<'_>) -> Option<String> {
    let s = r.string(key, v)?;
    let why = if let Some(name) = templates::unknown_placeholder(s, MESSAGE_PLACEHOLDERS) {
        format!(
            "has an unknown placeholder {{{name}}} (allowed: {{code}}, {{issuer}}, {{minutes}})"
        )
    } else if !templates::placeholders(s).contains(&"code") {
        "does not contain {code}".to_owned()
    } else if let Some(ch) = s.chars().find(|c| !sms_char_ok(*c)) {
        format!(
            "contains {}, which is not plain ASCII text: one such character makes the whole \
             text UCS-2, 70 characters per SMS",
            quote(&ch.to_string())
        )
    } else {
        return Some(s.to_owned());
    };
    r.report(key, v.span(), why);
    None
}

/// Printable ASCII that GSM-7 can carry, and newlines.
pub(super) fn sms_char_ok(c: char) -> bool {
    c == '\n' || (c.is_ascii() && !c.is_ascii_control() && c != '`')
}

/// Length in GSM-7 septets: `[ ] { } \ ^ ~ |` take two.
pub(super) fn gsm_len(s: &str) -> usize {
    s.chars()
        .map(|c| if "[]{}\\^~|".contains(c) { 2 } else { 1 })
        .sum()
}

/// `[web] listen`: an address and a port other than 0 (`""` is handled by `EmptyOr`).
pub(super) fn listen(r: &mut Reader<'_>, key: &str, v: &Value<'_>) -> Option<SocketAddr> {
    let s = r.string(key, v)?;
    match s.parse::<SocketAddr>() {
        Ok(addr) if addr.port() != 0 => Some(addr),
        Ok(_) => {
            r.report(
                key,
                v.span(),
                "port 0 is not allowed: providers need a fixed port",
            );
            None
        }
        Err(_) => {
            let message = format!(
                "{} is not an address and port like \"127.0.0.1:8443\" or \"[::1]:8443\"",
                quote(s)
            );
            r.report(key, v.span(), message);
            None
        }
    }
}

/// `[web] public_url`: a base URL (see [`web_url`]).
pub(super) fn base_url(r: &mut Reader<'_>, key: &str, v: &Value<'_>) -> Option<String> {
    web_url(r, key, v, UrlUse::Base)
}
