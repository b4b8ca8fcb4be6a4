//! `fake-mfad` (tests/src/bin/fake-mfad.rs): a daemon that owns mfad's bus name and answers
//! the way a broken or hostile daemon would, shared by the fail-mode and malformed-reply tests.

use mfa_tests::*;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A running fake-mfad, killed when dropped.
pub struct Fake(Child);

impl Drop for Fake {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts fake-mfad in `mode` on `bus` and waits until it owns the name.
pub fn start_fake(bus: &Bus, mode: &str) -> Fake {
    let child = Command::new(env!("CARGO_BIN_EXE_fake-mfad"))
        .arg(mode)
        .env("DBUS_SYSTEM_BUS_ADDRESS", bus.address())
        .stdin(Stdio::null())
        .spawn()
        .expect("start fake-mfad");
    let fake = Fake(child);
    wait_for(
        "fake-mfad to take the name",
        Duration::from_secs(10),
        || bus.name_has_owner(MFAD_BUS_NAME).then_some(()),
    );
    fake
}
