//! The rules between keys, checked once every table is read: each reported on the key the
//! admin set, and skipped while a key involved has an error of its own.

use std::collections::BTreeSet;

use super::Config;
use super::channels_schema::{SMS_CHARS, gsm_len, sms_char_ok};
use super::gateways::GatewayKind;
use super::gateways_schema::Declared;
use super::problems::{Problem, join, quote, segment};
use super::templates;
use super::values::{Reader, Seen};

/// Every check between keys, tables and the gateways declared.
pub(super) fn validate(r: &mut Reader<'_>, c: &Config, gw: &Declared) {
    limits(r, c);
    sms_message_fits(r, c);
    let s = &c.sms;
    ordered(
        r,
        ("sms.resend_cooldown", s.resend_cooldown.as_secs()),
        ("sms.code_lifetime", s.code_lifetime.as_secs()),
        false,
    );
    budgets(r, c);
    gateway_refs(r, gw);
    web_checks(r, c);
    voice_checks(r, c);
    push_checks(r, c);
    methods_enabled(r, c);
    store_checks(r, c);
}

/// A shared store seals the secrets it writes, so it needs its keys; the files-only keys of
/// `[store]` mean nothing without `kind = "postgres"` and are refused rather than ignored.
fn store_checks(r: &mut Reader<'_>, c: &Config) {
    let s = &c.store;
    let kind = r.seen("store.kind");
    if kind == Seen::Bad {
        return;
    }
    if s.kind == crate::StoreKind::Postgres {
        if s.key_file.is_none() && r.seen("store.key_file") != Seen::Bad {
            let message = "is \"postgres\" without store.key_file: the secrets written to a shared \
                           database are sealed with those keys";
            push(r, "store.kind", kind, message);
        }
        return;
    }
    for key in ["url_file", "ca_file", "key_file"] {
        let full = format!("store.{key}");
        let seen = r.seen(&full);
        if seen.line().is_some() {
            push(
                r,
                &full,
                seen,
                "is set, but store.kind is \"files\": set kind = \"postgres\"",
            );
        }
    }
}

/// free_failures <= max_failures and delay_base <= delay_max.
fn limits(r: &mut Reader<'_>, c: &Config) {
    let l = &c.limits;
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

/// Each scope's `_hour` <= its `_day`, and a non-root caller's budget <= root's.
fn budgets(r: &mut Reader<'_>, c: &Config) {
    let b = &c.budgets;
    for (scope, hour, day) in [
        ("user", b.user_hour, b.user_day),
        ("number", b.number_hour, b.number_day),
        ("prefix", b.prefix_hour, b.prefix_day),
        ("country", b.country_hour, b.country_day),
        ("gateway", b.gateway_hour, b.gateway_day),
        ("nonroot_user", b.nonroot_user_hour, b.nonroot_user_day),
    ] {
        ordered(
            r,
            (&format!("budgets.{scope}_hour"), u64::from(hour)),
            (&format!("budgets.{scope}_day"), u64::from(day)),
            true,
        );
    }
    for (window, nonroot, root) in [
        ("hour", b.nonroot_user_hour, b.user_hour),
        ("day", b.nonroot_user_day, b.user_day),
    ] {
        ordered(
            r,
            (
                &format!("budgets.nonroot_user_{window}"),
                u64::from(nonroot),
            ),
            (&format!("budgets.user_{window}"), u64::from(root)),
            false,
        );
    }
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
fn gateway_refs(r: &mut Reader<'_>, gw: &Declared) {
    for method in ["sms", "voice", "push"] {
        let key = format!("{method}.gateways");
        let listed = r.listed.get(&key).cloned().unwrap_or_default();
        for (name, line) in &listed {
            let why = if !gw.names.contains(name) {
                format!(
                    "{} is not a gateway: there is no [gateways.{}]",
                    quote(name),
                    segment(name)
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
                        if !super::gateway_values::is_e164(&t.from) =>
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

/// Push needs the approval page (a listener and a public URL), and a wait within the session.
fn push_checks(r: &mut Reader<'_>, c: &Config) {
    let line = match r.seen("push.gateways") {
        Seen::At(line) if !c.push.gateways.is_empty() => line,
        _ => return,
    };
    let missing: Vec<&str> = [
        ("web.listen", c.web.listen.is_none()),
        ("web.public_url", c.web.public_url.is_none()),
    ]
    .iter()
    .filter(|(_, m)| *m)
    .map(|(k, _)| *k)
    .collect();
    let web_bad = r.seen("web.public_url") == Seen::Bad || r.seen("web.listen") == Seen::Bad;
    // A login's session must outlive its wait for the approval.
    ordered(
        r,
        ("push.timeout", c.push.timeout.as_secs()),
        ("daemon.session_timeout", c.daemon.session_timeout.as_secs()),
        false,
    );
    if !missing.is_empty() && !web_bad {
        let why = format!(
            "push needs the approval page on the web listener: set {}",
            missing.join(" and ")
        );
        r.problems
            .push(Problem::new("push.gateways", Some(line), why));
    }
}

fn push(r: &mut Reader<'_>, key: &str, seen: Seen, why: &str) {
    r.problems
        .push(Problem::new(key, seen.line(), why.to_owned()));
}

/// Reports `low` > `high` on the key the admin set; if both were, on `high` when `blame_high`.
/// Skipped while either has an error of its own.
fn ordered(r: &mut Reader<'_>, low: (&str, u64), high: (&str, u64), blame_high: bool) {
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

/// A service that lists `sms` or `voice` while that method has no gateway.
fn methods_enabled(r: &mut Reader<'_>, c: &Config) {
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
