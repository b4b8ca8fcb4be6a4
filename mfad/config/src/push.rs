//! `[push]`: sign-in approval on the user's phone (an ntfy notification that opens the daemon's
//! approval page), and the limits that keep it from being abused (push fatigue).

use std::time::Duration;

use super::Config;
use super::channels_schema::{GatewayRefs, gateway_list, names_only, stored};
use super::problems::{Problem, join};
use super::values::{Reader, Seen};
use toml::de::DeTable;

#[derive(Debug, Clone, PartialEq)]
pub struct PushConfig {
    /// `ntfy` gateways in fallback order; empty means push is off.
    pub gateways: Vec<String>,
    /// How long a login waits for the approval, 20 s ..= 300 s.
    pub timeout: Duration,
    /// Whether the approval page also asks for the PIN chosen at enrollment.
    pub pin_required: bool,
    /// At most this many pushes per user within `window` (1 ..= 20).
    pub max_per_window: u32,
    /// 1 min ..= 1 day.
    pub window: Duration,
    /// After a deny, push is not offered to that user for this long (0 ..= 1 day).
    pub deny_cooldown: Duration,
}

impl Default for PushConfig {
    fn default() -> Self {
        PushConfig {
            gateways: Vec::new(),
            timeout: Duration::from_secs(60),
            pin_required: false,
            max_per_window: 3,
            window: Duration::from_secs(600),
            deny_cooldown: Duration::from_secs(900),
        }
    }
}

pub(super) const PUSH_KEYS: &[&str] = &[
    "gateways",
    "timeout",
    "pin_required",
    "max_per_window",
    "window",
    "deny_cooldown",
];

pub(super) fn push(r: &mut Reader<'_>, t: &DeTable<'_>, c: &mut Config, refs: &mut GatewayRefs) {
    for (k, v) in t.iter() {
        let key = join("push", k.get_ref());
        let p = &mut c.push;
        let secs = Duration::from_secs;
        let ok = match k.get_ref().as_ref() {
            "gateways" => {
                let names = gateway_list(r, &key, v);
                if let Some(names) = &names {
                    refs.push = names.clone();
                }
                stored(&mut p.gateways, names.map(names_only))
            }
            "timeout" => stored(&mut p.timeout, r.int(&key, v, 20..=300).map(secs)),
            "pin_required" => stored(&mut p.pin_required, r.boolean(&key, v)),
            "max_per_window" => stored(
                &mut p.max_per_window,
                r.int(&key, v, 1..=20).map(|n| n as u32),
            ),
            "window" => stored(&mut p.window, r.int(&key, v, 60..=86_400).map(secs)),
            "deny_cooldown" => stored(&mut p.deny_cooldown, r.int(&key, v, 0..=86_400).map(secs)),
            other => {
                super::schema::unknown(r, "push", other, v);
                continue;
            }
        };
        r.mark(&key, v.span(), ok);
    }
}

/// Push needs the approval page (a listener and a public URL), and a wait within the session.
pub(super) fn push_checks(r: &mut Reader<'_>, c: &Config) {
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
    super::channels_schema::ordered(
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

#[cfg(test)]
mod tests {
    use crate::Config;

    const NTFY: &str = "[gateways.n]\nkind = \"ntfy\"\nbase_url = \"https://ntfy.example\"\n";
    const WEB: &str = "[web]\nlisten = \"127.0.0.1:8443\"\npublic_url = \"https://mfa.example\"\n";

    fn problems(text: &str) -> Vec<String> {
        match Config::parse(text) {
            Ok(_) => Vec::new(),
            Err(p) => p.iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn push_is_read_with_its_gateway_and_limits() {
        let text = format!(
            "{NTFY}{WEB}[push]\ngateways = [\"n\"]\ntimeout = 45\npin_required = true\n\
             max_per_window = 2\nwindow = 300\ndeny_cooldown = 0\n"
        );
        let c = Config::parse(&text).unwrap_or_else(|p| panic!("{p:#?}"));
        assert_eq!(c.push.gateways, ["n"]);
        assert!(c.push.pin_required && c.push.max_per_window == 2);
        assert_eq!(c.push.timeout.as_secs(), 45);
        assert_eq!(c.push.deny_cooldown.as_secs(), 0);
    }

    #[test]
    fn push_needs_the_web_listener_and_an_ntfy_gateway_and_a_wait_within_the_session() {
        let no_web = problems(&format!("{NTFY}[push]\ngateways = [\"n\"]\n"));
        assert!(
            no_web[0].contains("push.gateways") && no_web[0].contains("web.listen"),
            "{no_web:?}"
        );
        let exec = "[gateways.x]\nkind = \"exec\"\nargv = [\"/bin/true\"]\n";
        let wrong_kind = problems(&format!("{exec}{WEB}[push]\ngateways = [\"x\"]\n"));
        assert!(
            wrong_kind[0].contains("only \"ntfy\" can"),
            "{wrong_kind:?}"
        );
        let texts = problems(&format!("{NTFY}[sms]\ngateways = [\"n\"]\n"));
        assert!(texts[0].contains("cannot send texts"), "{texts:?}");
        let long = problems(&format!(
            "{NTFY}{WEB}[daemon]\nsession_timeout = 60\n[push]\ngateways = [\"n\"]\ntimeout = 120\n"
        ));
        assert!(long[0].contains("session_timeout"), "{long:?}");
        let bad = problems("[push]\npin_required = \"yes\"\n");
        assert!(bad[0].contains("push.pin_required"), "{bad:?}");
    }
}
