//! What every desktop test signs in against: a private bus, the real mfad with texts and calls
//! through a Twilio stand-in, and a real account with a password, an authenticator app and a
//! phone (enrolled the way a user does it). The PAM line it hands out points the real
//! `pam_mfa.so` at this bus and daemon.

use std::time::Duration;

use crate::desktop::account::DesktopUser;
use crate::{
    Bus, Daemon, PamStack, PlacedCall, TWILIO_SID, TWILIO_TOKEN, TwilioSecrets, TwilioStub,
    build_once, enroll_phone, free_loopback_port, now_unix, oathtool_code, try_wait_for,
    wrong_code,
};

/// The account's authenticator-app secret.
pub const APP_SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
/// The account's phone (shown masked as ••78).
pub const PHONE_NUMBER: &str = "+31 6 12345678";

/// Wrong answers never delay or lock here, and a screen can be unlocked by text or call as
/// often as the tests need.
const CONFIG: &str = "[limits]\nmax_failures = 50\nfree_failures = 50\n\n\
    [budgets]\nuser_hour = 20\nuser_day = 50\nnonroot_user_hour = 20\nnonroot_user_day = 50\n";

/// Fields drop in this order: the daemon before its bus.
pub struct SignInWorld {
    pub daemon: Daemon,
    pub bus: Bus,
    pub twilio: TwilioStub,
    pub user: DesktopUser,
    _secrets: TwilioSecrets,
}

impl SignInWorld {
    /// `user` (created with a password) with an app and a phone, on a daemon of its own.
    pub fn start(user: &str) -> SignInWorld {
        let bus = Bus::start();
        let twilio = TwilioStub::start(TWILIO_SID, TWILIO_TOKEN);
        let secrets = TwilioSecrets::new();
        let port = free_loopback_port();
        let config = format!(
            "[sms]\ngateways = [\"gw0\"]\n\n[voice]\ngateways = [\"gw0\"]\nmode = \"press_hash\"\n\
             answer_timeout = 30\n\n[web]\nlisten = \"127.0.0.1:{port}\"\n\
             public_url = \"http://127.0.0.1:{port}\"\n\n{CONFIG}\n{}",
            secrets.gateway("gw0", &twilio)
        );
        let daemon = Daemon::start(&bus, &config);
        let user = DesktopUser::create(user);
        enroll_phone(&bus, &[&twilio], &user.name, APP_SECRET, PHONE_NUMBER);
        SignInWorld {
            daemon,
            bus,
            twilio,
            user,
            _secrets: secrets,
        }
    }

    /// A code the app shows for the next time step: enrollment already spent the current one
    /// (a code is accepted once), and the daemon takes one step of clock drift.
    pub fn code(&self) -> String {
        oathtool_code(APP_SECRET, "SHA1", 6, 30, Some(now_unix() + 30))
    }

    /// Six digits the app shows at no step near now.
    pub fn wrong_code(&self) -> String {
        wrong_code(APP_SECRET, "SHA1", 6, 30)
    }

    /// `auth required <libpam_mfa.so> bus=… daemon_uid=… nodelay ARGS…`
    pub fn pam_line(&self, args: &[&str]) -> String {
        let mut line = format!(
            "auth required {} bus={} daemon_uid={} nodelay",
            build_once().pam_module.display(),
            self.bus.address(),
            self.daemon.uid()
        );
        for arg in args {
            line.push(' ');
            line.push_str(arg);
        }
        line
    }

    /// A stack as a desktop has it: the password (pam_unix; a wrong one ends the attempt, as
    /// `common-auth` does), then the second factor.
    pub fn password_then_mfa(&self, args: &[&str]) -> String {
        format!(
            "auth requisite pam_unix.so nodelay\n{}\naccount required pam_permit.so\n\
             session required pam_permit.so\n",
            self.pam_line(args)
        )
    }

    /// A private PAM directory for pam_wrapper: `service` = [`SignInWorld::password_then_mfa`],
    /// and `other` denying everything (what a service without a file falls back to).
    pub fn private_stack(&self, service: &str, stack: &str) -> PamStack {
        let pam = PamStack::from_text(service, stack);
        pam.write_file(
            "other",
            "auth required pam_deny.so\naccount required pam_deny.so\n\
             password required pam_deny.so\nsession required pam_deny.so\n",
        );
        pam
    }

    /// The daemon's audit record, root callers' and other callers' (`audit-user.log`) alike.
    pub fn audit(&self) -> String {
        let dir = self.daemon.state_dir();
        let mut text = std::fs::read_to_string(dir.join("audit.log")).unwrap_or_default();
        text.push_str(&std::fs::read_to_string(dir.join("audit-user.log")).unwrap_or_default());
        text
    }

    /// Sign-in decisions about this account with `outcome` in the audit record (enrollment's
    /// own code checks left out).
    pub fn decisions(&self, outcome: &str) -> usize {
        let user = format!("user={}", self.user.name);
        let outcome = format!("outcome={outcome}");
        self.audit()
            .lines()
            .filter(|l| l.contains("\tdecision\t") && !l.contains("service=mfa-enroll"))
            .filter(|l| l.contains(&user) && l.contains(&outcome))
            .count()
    }

    /// The call the daemon placed (waits up to 20 s for it).
    pub fn placed_call(&self) -> PlacedCall {
        try_wait_for(Duration::from_secs(20), || self.twilio.calls().pop())
            .unwrap_or_else(|| panic!("no call was placed; daemon log:\n{}", self.daemon.log()))
    }

    /// The callee picks up and presses # (in a thread, after `after`): the sign-in is confirmed
    /// while the screen waits.
    pub fn answer_call_later(&self, after: Duration) -> std::thread::JoinHandle<u16> {
        let call = self.placed_call();
        std::thread::spawn(move || {
            std::thread::sleep(after);
            call.press("#").0
        })
    }
}
