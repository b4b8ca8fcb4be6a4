//! Reading `[phone]`, `[sms]`, `[voice]`, `[web]` and `[budgets]`, and the checks that compare
//! them with each other, with `[gateways.NAME]` and with the rest of the file.

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::time::Duration;

use toml::de::DeTable;

use super::channels::{BUDGET_KEYS, NumberType};
use super::gateways::GatewayKind;
use super::gateways_schema::{Declared, UrlUse, web_url};
use super::problems::{Problem, join, quote};
use super::values::{Reader, Seen, Value};
use super::{Config, countries, templates};

/// Gateway names listed by `[sms]` and `[voice]`, each with its line, for the cross-checks.
#[derive(Default)]
pub(super) struct GatewayRefs {
    pub sms: Vec<(String, usize)>,
    pub voice: Vec<(String, usize)>,
    pub push: Vec<(String, usize)>,
}

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
const SMS_CHARS: usize = 160;

pub(super) fn phone(r: &mut Reader<'_>, t: &DeTable<'_>, c: &mut Config) {
    for (k, v) in t.iter() {
        let key = join("phone", k.get_ref());
        let p = &mut c.phone;
        match k.get_ref().as_ref() {
            "allowed_countries" => set(&mut p.allowed_countries, countries_of(r, &key, v)),
            "sms_types" => set(&mut p.sms_types, number_types(r, &key, v)),
            "voice_types" => set(&mut p.voice_types, number_types(r, &key, v)),
            other => super::schema::unknown(r, "phone", other, v),
        }
    }
}

fn countries_of(r: &mut Reader<'_>, key: &str, v: &Value<'_>) -> Option<Vec<String>> {
    let items = r.strings(key, v)?;
    let mut out: Vec<String> = Vec::new();
    let mut ok = true;
    for (s, span) in items {
        let code = s.to_ascii_uppercase();
        if !countries::is_country(&code) {
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

fn number_types(r: &mut Reader<'_>, key: &str, v: &Value<'_>) -> Option<Vec<NumberType>> {
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

pub(super) fn sms(r: &mut Reader<'_>, t: &DeTable<'_>, c: &mut Config, refs: &mut GatewayRefs) {
    for (k, v) in t.iter() {
        let key = join("sms", k.get_ref());
        let s = &mut c.sms;
        let ok = match k.get_ref().as_ref() {
            "gateways" => {
                let names = gateway_list(r, &key, v);
                if let Some(names) = &names {
                    refs.sms = names.clone();
                }
                stored(&mut s.gateways, names.map(names_only))
            }
            "code_length" => stored(&mut s.code_length, r.int(&key, v, 6..=10).map(u32_of)),
            "code_lifetime" => stored(&mut s.code_lifetime, r.int(&key, v, 60..=1800).map(secs)),
            "max_checks" => stored(&mut s.max_checks, r.int(&key, v, 1..=10).map(u32_of)),
            "resend_cooldown" => stored(&mut s.resend_cooldown, r.int(&key, v, 10..=600).map(secs)),
            "message" => stored(&mut s.message, message(r, &key, v)),
            other => {
                super::schema::unknown(r, "sms", other, v);
                continue;
            }
        };
        r.mark(&key, v.span(), ok);
    }
}

pub(super) fn voice(r: &mut Reader<'_>, t: &DeTable<'_>, c: &mut Config, refs: &mut GatewayRefs) {
    for (k, v) in t.iter() {
        let key = join("voice", k.get_ref());
        let vc = &mut c.voice;
        let ok = match k.get_ref().as_ref() {
            "gateways" => {
                let names = gateway_list(r, &key, v);
                if let Some(names) = &names {
                    refs.voice = names.clone();
                }
                stored(&mut vc.gateways, names.map(names_only))
            }
            "mode" => stored(&mut vc.mode, r.word(&key, v)),
            "answer_timeout" => stored(&mut vc.answer_timeout, r.int(&key, v, 20..=300).map(secs)),
            other => {
                super::schema::unknown(r, "voice", other, v);
                continue;
            }
        };
        r.mark(&key, v.span(), ok);
    }
}

/// Gateway names, each once, with their lines.
pub(super) fn gateway_list(
    r: &mut Reader<'_>,
    key: &str,
    v: &Value<'_>,
) -> Option<Vec<(String, usize)>> {
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
    ok.then_some(out)
}

pub(super) fn names_only(list: Vec<(String, usize)>) -> Vec<String> {
    list.into_iter().map(|(n, _)| n).collect()
}

/// `[sms] message` on its own: `{code}` in it, known placeholders only, plain ASCII.
fn message(r: &mut Reader<'_>, key: &str, v: &Value<'_>) -> Option<String> {
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
fn sms_char_ok(c: char) -> bool {
    c == '\n' || (c.is_ascii() && !c.is_ascii_control() && c != '`')
}

/// Length in GSM-7 septets: `[ ] { } \ ^ ~ |` take two.
fn gsm_len(s: &str) -> usize {
    s.chars()
        .map(|c| if "[]{}\\^~|".contains(c) { 2 } else { 1 })
        .sum()
}

pub(super) fn web(r: &mut Reader<'_>, t: &DeTable<'_>, c: &mut Config) {
    for (k, v) in t.iter() {
        let key = join("web", k.get_ref());
        let w = &mut c.web;
        let ok = match k.get_ref().as_ref() {
            "listen" => stored(&mut w.listen, listen(r, &key, v)),
            "public_url" => stored(
                &mut w.public_url,
                empty_or(r, &key, v, |r| web_url(r, &key, v, UrlUse::Base)),
            ),
            "tls_cert" => stored(&mut w.tls_cert, empty_or(r, &key, v, |r| r.file(&key, v))),
            "tls_key" => stored(&mut w.tls_key, empty_or(r, &key, v, |r| r.file(&key, v))),
            other => {
                super::schema::unknown(r, "web", other, v);
                continue;
            }
        };
        // An empty value counts as not set for the cross-checks.
        let empty = matches!(v.get_ref(), toml::de::DeValue::String(s) if s.is_empty());
        if !empty {
            r.mark(&key, v.span(), ok);
        }
    }
}

/// `""` is `Some(None)`; anything else is read by `read`.
fn empty_or<T>(
    r: &mut Reader<'_>,
    key: &str,
    v: &Value<'_>,
    read: impl FnOnce(&mut Reader<'_>) -> Option<T>,
) -> Option<Option<T>> {
    match r.string(key, v)? {
        "" => Some(None),
        _ => read(r).map(Some),
    }
}

fn listen(r: &mut Reader<'_>, key: &str, v: &Value<'_>) -> Option<Option<SocketAddr>> {
    let s = r.string(key, v)?;
    if s.is_empty() {
        return Some(None);
    }
    match s.parse::<SocketAddr>() {
        Ok(addr) if addr.port() != 0 => Some(Some(addr)),
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

pub(super) fn budgets(r: &mut Reader<'_>, t: &DeTable<'_>, c: &mut Config) {
    for (k, v) in t.iter() {
        let name: &str = k.get_ref();
        let key = join("budgets", name);
        let Some(slot) = c.budgets.slot_mut(name) else {
            super::schema::unknown(r, "budgets", name, v);
            continue;
        };
        let ok = stored(slot, r.int(&key, v, 1..=10_000).map(u32_of));
        r.mark(&key, v.span(), ok);
    }
}

/// Every check between keys of these tables, the gateways and the rest of the file.
pub(super) fn cross_checks(r: &mut Reader<'_>, c: &Config, refs: &GatewayRefs, gw: &Declared) {
    sms_message_fits(r, c);
    let s = &c.sms;
    ordered(
        r,
        ("sms.resend_cooldown", s.resend_cooldown.as_secs()),
        ("sms.code_lifetime", s.code_lifetime.as_secs()),
        false,
    );
    for pair in BUDGET_KEYS.chunks(2) {
        let (hour, day) = (pair[0], pair[1]);
        let get = |k: &str| u64::from(c.budgets.get(k).unwrap_or(0));
        ordered(
            r,
            (&format!("budgets.{hour}"), get(hour)),
            (&format!("budgets.{day}"), get(day)),
            true,
        );
    }
    for (nonroot, root) in [
        ("nonroot_user_hour", "user_hour"),
        ("nonroot_user_day", "user_day"),
    ] {
        let get = |k: &str| u64::from(c.budgets.get(k).unwrap_or(0));
        ordered(
            r,
            (&format!("budgets.{nonroot}"), get(nonroot)),
            (&format!("budgets.{root}"), get(root)),
            false,
        );
    }
    gateway_refs(r, refs, gw);
    web_checks(r, c);
    voice_checks(r, c);
    super::push::push_checks(r, c);
}

/// The rendered text fits one SMS, with the longest code and the issuer in use.
fn sms_message_fits(r: &mut Reader<'_>, c: &Config) {
    if matches!(r.seen("sms.message"), Seen::Bad) || matches!(r.seen("totp.issuer"), Seen::Bad) {
        return;
    }
    let code = "0".repeat(usize::try_from(c.sms.code_length).unwrap_or(10));
    let uses_issuer = templates::placeholders(&c.sms.message).contains(&"issuer");
    let issuer = &c.totp.issuer;
    let text = c.sms.render(&code, issuer);
    // Blame the message if the admin wrote it, else the issuer if they wrote that.
    let (key, line) = match (r.seen("sms.message"), r.seen("totp.issuer")) {
        (Seen::At(l), _) => ("sms.message", Some(l)),
        (_, Seen::At(l)) if uses_issuer => ("totp.issuer", Some(l)),
        _ => ("sms.message", None),
    };
    let why = if uses_issuer && issuer.chars().any(|ch| !sms_char_ok(ch)) {
        format!(
            "the text shows the issuer {}, which is not plain ASCII; set [totp] issuer or \
             leave {{issuer}} out of [sms] message",
            quote(issuer)
        )
    } else if gsm_len(&text) > SMS_CHARS {
        format!(
            "the text is {} characters with a {}-digit code{}: more than one SMS ({SMS_CHARS})",
            gsm_len(&text),
            c.sms.code_length,
            if uses_issuer { " and the issuer" } else { "" }
        )
    } else {
        return;
    };
    r.problems.push(Problem::new(key, line, why));
}

/// Every gateway `[sms]` and `[voice]` name exists, and can do what it is listed for.
fn gateway_refs(r: &mut Reader<'_>, refs: &GatewayRefs, gw: &Declared) {
    for (method, list) in [
        ("sms", &refs.sms),
        ("voice", &refs.voice),
        ("push", &refs.push),
    ] {
        let key = format!("{method}.gateways");
        for (name, line) in list {
            let why = if !gw.names.contains(name) {
                format!(
                    "{} is not a gateway: there is no [gateways.{}]",
                    quote(name),
                    super::problems::segment(name)
                )
            } else if let Some(g) = gw.valid.get(name) {
                match (&g.kind, method) {
                    (k, "sms") if !k.can_sms() => format!(
                        "{} is a \"{}\" gateway, which cannot send texts",
                        quote(name),
                        k.as_str()
                    ),
                    (k, "push") if !k.can_push() => format!(
                        "{} is a \"{}\" gateway, which cannot send push notifications (only \"ntfy\" can)",
                        quote(name),
                        k.as_str()
                    ),
                    (k, "voice") if !k.can_call() => format!(
                        "{} is a \"{}\" gateway, which cannot place calls (only \"twilio\" can)",
                        quote(name),
                        k.as_str()
                    ),
                    (GatewayKind::Twilio(t), "voice")
                        if !super::gateways_schema::is_e164(&t.from) =>
                    {
                        format!(
                            "{} sends from {}, an alphanumeric sender ID, which cannot place \
                             calls: give it an E.164 number",
                            quote(name),
                            quote(&t.from)
                        )
                    }
                    _ => continue,
                }
            } else {
                // The gateway's own table is wrong and already reported.
                continue;
            };
            r.problems.push(Problem::new(key.clone(), Some(*line), why));
        }
    }
}

/// `[web]`: TLS files both or neither and only with a listener; plain HTTP only on loopback.
fn web_checks(r: &mut Reader<'_>, c: &Config) {
    let w = &c.web;
    let cert = r.seen("web.tls_cert");
    let key = r.seen("web.tls_key");
    let listen = r.seen("web.listen");
    if cert == Seen::Bad || key == Seen::Bad || listen == Seen::Bad {
        return;
    }
    match (w.tls_cert.is_some(), w.tls_key.is_some()) {
        (true, false) => push(
            r,
            "web.tls_cert",
            cert,
            "is set without web.tls_key: set both or neither",
        ),
        (false, true) => push(
            r,
            "web.tls_key",
            key,
            "is set without web.tls_cert: set both or neither",
        ),
        _ => {}
    }
    let tls = w.tls_cert.is_some() && w.tls_key.is_some();
    match w.listen {
        None if w.tls_cert.is_some() || w.tls_key.is_some() => {
            let (k, seen) = if w.tls_cert.is_some() {
                ("web.tls_cert", cert)
            } else {
                ("web.tls_key", key)
            };
            push(
                r,
                k,
                seen,
                "is set, but web.listen is empty: there is no listener to use it",
            );
        }
        Some(addr) if !addr.ip().is_loopback() && !tls => push(
            r,
            "web.listen",
            listen,
            "is not a loopback address, and without tls_cert and tls_key it would speak plain \
             HTTP: set both, or listen on 127.0.0.1 behind a TLS proxy",
        ),
        _ => {}
    }
}

/// Calls need a listener and a public URL, and an answer timeout within the session timeout.
fn voice_checks(r: &mut Reader<'_>, c: &Config) {
    let w = &c.web;
    let voice_on = !c.voice.gateways.is_empty();
    if voice_on && r.seen("voice.gateways") != Seen::Bad {
        let line = r.seen("voice.gateways");
        let missing: Vec<&str> = [
            ("web.listen", w.listen.is_none()),
            ("web.public_url", w.public_url.is_none()),
        ]
        .iter()
        .filter(|(_, m)| *m)
        .map(|(k, _)| *k)
        .collect();
        let web_bad = r.seen("web.public_url") == Seen::Bad || r.seen("web.listen") == Seen::Bad;
        if !missing.is_empty() && !web_bad {
            let why = format!(
                "calls need the provider to call back: set {}",
                missing.join(" and ")
            );
            push(r, "voice.gateways", line, &why);
        }
        ordered(
            r,
            ("voice.answer_timeout", c.voice.answer_timeout.as_secs()),
            ("daemon.session_timeout", c.daemon.session_timeout.as_secs()),
            false,
        );
    }
}

fn push(r: &mut Reader<'_>, key: &str, seen: Seen, why: &str) {
    r.problems
        .push(Problem::new(key, seen.line(), why.to_owned()));
}

/// Reports `low` > `high` on the key the admin set; if both were, on `high` when `blame_high`.
/// Skipped while either has an error of its own.
pub(super) fn ordered(r: &mut Reader<'_>, low: (&str, u64), high: (&str, u64), blame_high: bool) {
    let (low_seen, high_seen) = (r.seen(low.0), r.seen(high.0));
    if low.1 <= high.1 || low_seen == Seen::Bad || high_seen == Seen::Bad {
        return;
    }
    let blame_high = match (low_seen, high_seen) {
        (Seen::At(_), Seen::At(_)) => blame_high,
        (_, Seen::At(_)) => true,
        _ => false,
    };
    let ((me, me_seen), (other, other_seen), relation) = if blame_high {
        ((high, high_seen), (low, low_seen), "less")
    } else {
        ((low, low_seen), (high, high_seen), "more")
    };
    let Seen::At(line) = me_seen else { return };
    let default = if other_seen == Seen::Default {
        ", the default"
    } else {
        ""
    };
    let message = format!(
        "{} is {relation} than {} ({}{default})",
        me.1, other.0, other.1
    );
    r.problems.push(Problem::new(me.0, Some(line), message));
}

/// `[services.NAME] methods`: known words, each once, not empty.
pub(super) fn methods(r: &mut Reader<'_>, key: &str, v: &Value<'_>) -> Option<Vec<String>> {
    let items = r.strings(key, v)?;
    if items.is_empty() {
        let message = "is empty: no method could be used (leave the key out for every method)";
        r.report(key, v.span(), message);
        return None;
    }
    let mut out: Vec<String> = Vec::new();
    let mut ok = true;
    for (s, span) in items {
        let m = s.to_ascii_lowercase();
        if !super::METHODS.contains(&m.as_str()) {
            let message = format!(
                "{} is not allowed: expected \"totp\", \"backup\", \"sms\", \"voice\" or \"push\"",
                quote(&s)
            );
            r.report(key, span, message);
            ok = false;
        } else if out.contains(&m) {
            r.report(key, span, format!("{} is listed twice", quote(&s)));
            ok = false;
        } else {
            out.push(m);
        }
    }
    ok.then_some(out)
}

/// A service that lists `sms` or `voice` while that method has no gateway.
pub(super) fn methods_enabled(r: &mut Reader<'_>, c: &Config) {
    let off: BTreeSet<&str> = [
        ("sms", c.sms.gateways.is_empty()),
        ("voice", c.voice.gateways.is_empty()),
        ("push", c.push.gateways.is_empty()),
    ]
    .into_iter()
    .filter(|(_, off)| *off)
    .map(|(m, _)| m)
    .collect();
    for (name, sp) in &c.services {
        let Some(methods) = &sp.methods else { continue };
        let key = format!("{}.methods", join("services", name));
        for m in methods.iter().filter(|m| off.contains(m.as_str())) {
            let why = format!(
                "lists \"{m}\", but [{m}] gateways is empty, so {} off",
                match m.as_str() {
                    "sms" => "texts are",
                    "voice" => "calls are",
                    _ => "push is",
                }
            );
            let line = r.seen(&key).line();
            r.problems.push(Problem::new(key.clone(), line, why));
        }
    }
}

fn set<T>(slot: &mut T, value: Option<T>) {
    stored(slot, value);
}

pub(super) fn stored<T>(slot: &mut T, value: Option<T>) -> bool {
    value.map(|v| *slot = v).is_some()
}

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

fn u32_of(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
