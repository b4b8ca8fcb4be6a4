//! The Prometheus text format (version 0.0.4): `# HELP` and `# TYPE` for every family, even one
//! with no series yet, then its samples. Label values are words (registry.rs), so they need no
//! escaping.

use super::registry::{BUCKETS, REGISTRY, Snapshot};
use std::fmt::Write;

/// The content type of what [`render`] writes.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Every metric, with `open_sessions` read at the moment of the scrape.
pub fn render(open_sessions: usize) -> String {
    write_all(&REGISTRY.snapshot(), open_sessions)
}

fn write_all(s: &Snapshot, open_sessions: usize) -> String {
    let mut out = String::new();
    family(
        &mut out,
        "mfad_login_decisions_total",
        "counter",
        "Login decisions, by method and outcome (the audit log's words).",
    );
    for ((method, outcome), n) in &s.decisions {
        sample(
            &mut out,
            "mfad_login_decisions_total",
            &[("method", method), ("outcome", outcome)],
            n,
        );
    }
    histogram(&mut out, s);
    gateways(&mut out, s);
    family(
        &mut out,
        "mfad_account_locks_total",
        "counter",
        "Accounts locked after too many failures in a row.",
    );
    sample(&mut out, "mfad_account_locks_total", &[], &s.locks);
    family(
        &mut out,
        "mfad_store_errors_total",
        "counter",
        "Logins answered \"unavailable\" because the store could not be read or written.",
    );
    sample(&mut out, "mfad_store_errors_total", &[], &s.store_errors);
    family(
        &mut out,
        "mfad_open_sessions",
        "gauge",
        "Login sessions open now.",
    );
    sample(&mut out, "mfad_open_sessions", &[], &open_sessions);
    out
}

fn histogram(out: &mut String, s: &Snapshot) {
    let name = "mfad_login_answer_duration_seconds";
    let help = "Time the daemon took to answer one login request (a code checked, a text sent).";
    family(out, name, "histogram", help);
    let bucket = format!("{name}_bucket");
    for (bound, n) in BUCKETS.iter().zip(&s.answer_buckets) {
        sample(out, &bucket, &[("le", &bound.to_string())], n);
    }
    let count = s.answer_buckets.last().copied().unwrap_or(0);
    sample(out, &bucket, &[("le", "+Inf")], &count);
    sample(out, &format!("{name}_sum"), &[], &s.answer_sum);
    sample(out, &format!("{name}_count"), &[], &count);
}

/// One map, three families: accepted attempts, failed ones by reason, and fallbacks.
fn gateways(out: &mut String, s: &Snapshot) {
    let sends = "mfad_gateway_sends_total";
    family(out, sends, "counter", "Texts and calls a gateway accepted.");
    for ((channel, gateway, result), n) in &s.gateways {
        if result == "accepted" {
            sample(out, sends, &[("channel", channel), ("gateway", gateway)], n);
        }
    }
    let failures = "mfad_gateway_failures_total";
    family(
        out,
        failures,
        "counter",
        "Gateway attempts that failed, by reason.",
    );
    for ((channel, gateway, result), n) in &s.gateways {
        if result != "accepted" && result != "fallback" {
            let labels = [
                ("channel", channel.as_str()),
                ("gateway", gateway),
                ("reason", result),
            ];
            sample(out, failures, &labels, n);
        }
    }
    let fallbacks = "mfad_gateway_fallbacks_total";
    family(
        out,
        fallbacks,
        "counter",
        "Times the next gateway was tried after this one failed.",
    );
    for ((channel, gateway, result), n) in &s.gateways {
        if result == "fallback" {
            sample(
                out,
                fallbacks,
                &[("channel", channel), ("gateway", gateway)],
                n,
            );
        }
    }
}

fn family(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

fn sample(out: &mut String, name: &str, labels: &[(&str, &str)], value: &dyn std::fmt::Display) {
    out.push_str(name);
    if !labels.is_empty() {
        let pairs: Vec<String> = labels.iter().map(|(k, v)| format!("{k}=\"{v}\"")).collect();
        let _ = write!(out, "{{{}}}", pairs.join(","));
    }
    let _ = writeln!(out, " {value}");
}

#[cfg(test)]
mod tests {
    use super::super::registry::Registry;
    use super::*;
    use std::time::Duration;

    #[test]
    fn every_family_is_announced_and_samples_follow_their_family() {
        let r = Registry::default();
        r.decision("totp", "granted");
        r.gateway("text", "stub", "accepted");
        r.gateway("text", "down", "transient");
        r.gateway("text", "down", "fallback");
        r.observe_answer(Duration::from_millis(20));
        let text = write_all(&r.snapshot(), 2);
        for line in [
            "mfad_login_decisions_total{method=\"totp\",outcome=\"granted\"} 1",
            "mfad_gateway_sends_total{channel=\"text\",gateway=\"stub\"} 1",
            "mfad_gateway_failures_total{channel=\"text\",gateway=\"down\",reason=\"transient\"} 1",
            "mfad_gateway_fallbacks_total{channel=\"text\",gateway=\"down\"} 1",
            "mfad_login_answer_duration_seconds_bucket{le=\"0.01\"} 0",
            "mfad_login_answer_duration_seconds_bucket{le=\"0.025\"} 1",
            "mfad_login_answer_duration_seconds_bucket{le=\"+Inf\"} 1",
            "mfad_login_answer_duration_seconds_count 1",
            "mfad_account_locks_total 0",
            "mfad_open_sessions 2",
        ] {
            assert!(
                text.lines().any(|l| l == line),
                "{line} missing from\n{text}"
            );
        }
        let mut current = "";
        for line in text.lines() {
            if let Some(rest) = line.strip_prefix("# TYPE ") {
                current = rest.split(' ').next().unwrap_or("");
            } else if !line.starts_with('#') {
                assert!(
                    line.starts_with(current),
                    "{line} outside its family {current}"
                );
            }
        }
    }
}
