//! Set-up shared by the tests of texts and calls: Twilio-speaking gateways in a daemon's
//! config, a free loopback port for the daemon's web listener, and a phone number enrolled
//! through a Twilio stand-in.

use crate::{Bus, TwilioStub};
use std::os::unix::fs::PermissionsExt;

pub const TWILIO_SID: &str = "AC0123456789abcdef0123456789abcdef";
pub const TWILIO_TOKEN: &str = "stub-auth-token-4711";

/// The auth token file the gateways read (keep it alive as long as the daemon).
pub struct TwilioSecrets {
    dir: tempfile::TempDir,
}

impl TwilioSecrets {
    pub fn new() -> TwilioSecrets {
        let dir = tempfile::tempdir().expect("secrets dir");
        let token = dir.path().join("twilio-token");
        std::fs::write(&token, TWILIO_TOKEN).expect("token");
        std::fs::set_permissions(&token, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        TwilioSecrets { dir }
    }

    /// `[gateways.NAME]` for a Twilio-speaking `stub`.
    pub fn gateway(&self, name: &str, stub: &TwilioStub) -> String {
        format!(
            "[gateways.{name}]\nkind = \"twilio\"\nbase_url = \"{}\"\naccount_sid = \"{TWILIO_SID}\"\n\
             auth_token_file = \"{}\"\nfrom = \"+15005550006\"\ntimeout = 2\n\n",
            stub.base_url,
            self.dir.path().join("twilio-token").display()
        )
    }
}

impl Default for TwilioSecrets {
    fn default() -> Self {
        TwilioSecrets::new()
    }
}

/// A loopback port nobody listens on right now (for `[web] listen`).
pub fn free_loopback_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("address").port()
}

/// `user` (a real account) with an app secret, then `number` enrolled in a terminal with the
/// code one of the Twilio `stubs` got. Returns the terminal's last screen.
pub fn enroll_phone(
    bus: &Bus,
    stubs: &[&TwilioStub],
    user: &str,
    secret: &str,
    number: &str,
) -> String {
    crate::enroll_phone_via(bus, user, secret, number, || {
        stubs.iter().find_map(|s| s.last_code())
    })
}
