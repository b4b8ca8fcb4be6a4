//! `[push]`: sign-in approval on the user's phone (an ntfy notification that opens the daemon's
//! approval page), and the limits that keep it from being abused (push fatigue).

use std::time::Duration;

use super::channels_schema::gateway_names;
use super::keys::{Bool, Int, Secs, With, secs};

table! {
    /// `[push]`
    pub struct PushConfig {
        /// `ntfy` gateways in fallback order; empty means push is off.
        gateways: Vec<String> = Vec::new(), With(gateway_names);
        /// How long a login waits for the approval.
        timeout: Duration = secs(60), Secs(20..=300);
        /// Whether the approval page also asks for the PIN chosen at enrollment.
        pin_required: bool = false, Bool;
        /// At most this many pushes per user within `window`.
        max_per_window: u32 = 3, Int(1..=20);
        /// The window of `max_per_window`.
        window: Duration = secs(600), Secs(60..=86_400);
        /// After a deny, push is not offered to that user for this long.
        deny_cooldown: Duration = secs(900), Secs(0..=86_400);
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
