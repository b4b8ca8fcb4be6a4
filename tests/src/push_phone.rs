//! Set-up shared by the push approval tests: a daemon whose `[push]` gateway is an ntfy
//! stand-in and whose approval page listens on loopback, a phone linked the way a user does it
//! (`mfa enroll push` in a terminal, the test notification approved in the browser), and logins
//! that pick push from the `?` menu and hand the notification to the test playing the phone.

use crate::{
    Bus, Daemon, NtfyMessage, NtfyStub, PageAction, PamStack, ScriptedConversation, TEXTED_CODE,
    Tmux, Transcript, as_user, build_once, enroll_totp, ensure_user, free_loopback_port,
    oathtool_code, output_text, try_wait_for, visit_in_browser,
};
use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

/// The access token the ntfy stand-in demands (ntfy's `tk_…` form).
pub const NTFY_TOKEN: &str = "tk_stubtoken0123456789abcdefghij";

/// In a push login script: the menu option that says "Approve on your phone".
pub const PUSH_OPTION: &str = "<push option>";
/// In a push login script: the phone's turn (the test's closure), then Enter at the prompt.
pub const ON_THE_PHONE: &str = "<on the phone>";

/// `[push]` keys (what each test varies).
#[derive(Debug, Clone)]
pub struct PushPolicy {
    pub timeout: u32,
    pub pin_required: bool,
    pub max_per_window: u32,
    pub deny_cooldown: u32,
    /// More config (e.g. `[limits]`).
    pub extra: &'static str,
}

impl Default for PushPolicy {
    fn default() -> Self {
        PushPolicy {
            timeout: 60,
            pin_required: false,
            max_per_window: 5,
            deny_cooldown: 900,
            extra: "",
        }
    }
}

/// What the phone gets during a push login.
#[derive(Debug, Clone)]
pub struct PushChallenge {
    /// The approval page (`click` of the notification).
    pub link: String,
    /// The digits the login prompt shows.
    pub number: String,
    pub prompt: String,
    pub notification: NtfyMessage,
}

pub struct PushSetup {
    pub bus: Bus,
    pub daemon: Daemon,
    pub ntfy: NtfyStub,
    pub public_url: String,
    pub secret: String,
    _token_dir: tempfile::TempDir,
}

impl PushSetup {
    pub fn start(policy: &PushPolicy) -> PushSetup {
        let bus = Bus::start();
        let ntfy = NtfyStub::start(Some(NTFY_TOKEN));
        let token_dir = tempfile::tempdir().expect("token dir");
        let token_file = token_dir.path().join("ntfy-token");
        std::fs::write(&token_file, NTFY_TOKEN).expect("token");
        std::fs::set_permissions(&token_file, std::fs::Permissions::from_mode(0o600))
            .expect("chmod");
        let port = free_loopback_port();
        let public_url = format!("http://127.0.0.1:{port}");
        // Every link the daemon publishes must lead back to its own page.
        ntfy.expect_url_prefix(&format!("{public_url}/push/"));
        let p = policy;
        let config = format!(
            "[push]\ngateways = [\"ntfy0\"]\ntimeout = {}\n\
             pin_required = {}\nmax_per_window = {}\nwindow = 600\ndeny_cooldown = {}\n\n\
             [web]\nlisten = \"127.0.0.1:{port}\"\npublic_url = \"{public_url}\"\n\n\
             [gateways.ntfy0]\nkind = \"ntfy\"\nbase_url = \"{}\"\ntoken_file = \"{}\"\n\
             timeout = 2\n\n{}",
            p.timeout,
            p.pin_required,
            p.max_per_window,
            p.deny_cooldown,
            ntfy.base_url,
            token_file.display(),
            p.extra
        );
        let daemon = Daemon::start(&bus, &config);
        PushSetup {
            bus,
            daemon,
            ntfy,
            public_url,
            secret: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ".into(),
            _token_dir: token_dir,
        }
    }

    /// `user` (a real account) with an app secret, then a phone linked with `mfa enroll push`
    /// in a terminal: the PIN typed twice (or Enter for none), the app code when asked, and the
    /// test notification approved in the browser with the number the terminal shows. Returns
    /// the terminal's last screen.
    pub fn enroll_push(&self, user: &str, pin: Option<&str>) -> String {
        let uid = ensure_user(user);
        enroll_totp(&self.bus, user, &self.secret, 6, "SHA1", 30);
        let mfa = build_once().mfa.display().to_string();
        let term = Tmux::start(&format!(
            "env DBUS_SYSTEM_BUS_ADDRESS={} setpriv --reuid={uid} --regid={uid} --clear-groups -- {mfa} enroll push",
            self.bus.address()
        ));
        term.wait_for("PIN to type when approving", 20);
        term.type_line(pin.unwrap_or(""));
        if let Some(pin) = pin {
            term.wait_for("The same PIN again", 20);
            term.type_line(pin);
        }
        let sent = "A test notification was sent";
        if wait_for_either(&term, "Verification code", sent) == "Verification code" {
            term.type_line(&oathtool_code(&self.secret, "SHA1", 6, 30, None));
        }
        let screen = term.wait_for(sent, 20);
        let number = number_after(&screen, sent)
            .unwrap_or_else(|| panic!("no number in the terminal:\n{screen}"));
        let link = self.ntfy.last_click().expect("the test notification");
        let visit = visit_in_browser(
            &link,
            PageAction::Verify,
            Some(&number),
            pin,
            &format!("push-enroll-{user}"),
            false,
        );
        assert!(
            visit.result.contains("approved"),
            "{visit:?}\n{}",
            self.daemon.log()
        );
        term.wait_for("EXIT=0", 20)
    }

    /// A login of `user` answered from `script`: literal answers, [`PUSH_OPTION`] (the menu's
    /// push option) and [`ON_THE_PHONE`] (runs `phone` with the notification, then presses
    /// Enter at the push prompt).
    pub fn login(
        &self,
        user: &str,
        script: &[&str],
        mut phone: impl FnMut(&PushChallenge) + 'static,
    ) -> (i32, Transcript) {
        let ntfy = self.ntfy.clone();
        let answers = vec![TEXTED_CODE; script.len()];
        let mut script: Vec<String> = script.iter().rev().map(|s| s.to_string()).collect();
        let conv = ScriptedConversation::with_prompt_resolver(&answers, move |prompt| {
            let step = script.pop().unwrap_or_default();
            answer(&step, prompt, &ntfy, &mut phone)
        });
        PamStack::new(&self.bus, &self.daemon).login_with(user, conv)
    }

    /// `mfa language LANG` as `user` (the login prompts and the page follow it).
    pub fn set_language(&self, user: &str, lang: &str) {
        let mfa = build_once().mfa.display().to_string();
        let out = as_user(ensure_user(user), &mfa)
            .args(["language", lang])
            .env("DBUS_SYSTEM_BUS_ADDRESS", self.bus.address())
            .output()
            .expect("run mfa language");
        assert!(out.status.success(), "{}", output_text(&out));
    }

    /// The daemon's audit record (`<state_dir>/audit.log`).
    pub fn audit_log(&self) -> String {
        std::fs::read_to_string(self.daemon.state_dir().join("audit.log")).unwrap_or_default()
    }
}

/// The answer for one script `step` at `prompt`.
fn answer(
    step: &str,
    prompt: &str,
    ntfy: &NtfyStub,
    phone: &mut impl FnMut(&PushChallenge),
) -> String {
    match step {
        PUSH_OPTION => push_option(prompt).unwrap_or_else(|| "no push option".into()),
        ON_THE_PHONE => {
            let notification = ntfy.delivered().pop().expect("a notification");
            phone(&PushChallenge {
                link: notification.click.clone(),
                number: shown_number(prompt).expect("two digits in the push prompt"),
                prompt: prompt.to_string(),
                notification,
            });
            String::new()
        }
        literal => literal.to_string(),
    }
}

/// The number of the menu line offering push ("  2) Approve on your phone …").
pub fn push_option(menu: &str) -> Option<String> {
    menu.lines()
        .find(|l| l.contains("Approve on your phone") || l.contains("Goedkeuren op uw telefoon"))
        .and_then(|l| l.trim().split_once(')'))
        .map(|(n, _)| n.to_string())
}

/// The hidden CSRF value of the approval page's form.
pub fn csrf_of(html: &str) -> String {
    let at = html.find("name=\"csrf\" value=\"").expect("a CSRF field") + 19;
    html[at..].chars().take_while(|c| *c != '"').collect()
}

/// The approval form as the page posts it (no PIN).
pub fn approval_form(csrf: &str, number: &str, decision: &str) -> Vec<(String, String)> {
    [("csrf", csrf), ("number", number), ("decision", decision)]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The two digits a push prompt asks to type on the phone (its only run of digits).
pub fn shown_number(prompt: &str) -> Option<String> {
    prompt
        .split(|c: char| !c.is_ascii_digit())
        .find(|run| !run.is_empty())
        .filter(|run| run.len() == 2)
        .map(str::to_string)
}

/// The digits after `marker` on the terminal (the line may wrap).
fn number_after(screen: &str, marker: &str) -> Option<String> {
    let rest = &screen[screen.find(marker)? + marker.len()..];
    let rest = rest.split_once(':').map_or(rest, |(_, after)| after);
    let digits: String = rest
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    (!digits.is_empty()).then_some(digits)
}

/// Which of `a` or `b` the terminal shows first (panics after 20 s).
fn wait_for_either(term: &Tmux, a: &'static str, b: &'static str) -> &'static str {
    try_wait_for(Duration::from_secs(20), || {
        let screen = term.screen();
        [a, b].into_iter().find(|t| screen.contains(t))
    })
    .unwrap_or_else(|| panic!("waited for {a:?} or {b:?}:\n{}", term.screen()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_push_option_and_the_shown_number_are_read_from_the_prompts() {
        let menu = "Choose how to confirm this sign-in:\n  1) Code from the authenticator app, or a backup code\n  2) Approve on your phone (push notification)\nNumber: ";
        assert_eq!(push_option(menu).as_deref(), Some("2"));
        assert_eq!(push_option("  1) Code from the app\nNumber: "), None);
        let prompt = "A notification was sent to your phone. Open it, enter 07 on your phone and press Verify, then press Enter here once you have approved (or ? for other options): ";
        assert_eq!(shown_number(prompt).as_deref(), Some("07"));
        let screen = "A test notification was sent. Tap it, type this number on the page and press Verify:  42\n";
        assert_eq!(
            number_after(screen, "A test notification was sent").as_deref(),
            Some("42")
        );
    }
}
