//! A misbehaving stand-in for mfad, owning org.mfa.Mfad1 on a test bus, to prove the module
//! refuses malformed or missing replies. `fake-mfad MODE` (bus from DBUS_SYSTEM_BUS_ADDRESS):
//!   unknown-step        Start returns a step kind that does not exist
//!   bad-session-id      Start returns a session id that is not 32 hex digits
//!   oversized-text      Start returns a prompt longer than the protocol allows
//!   bad-poll-interval   Start returns a Wait with a 0 ms interval
//!   error-after-prompt  Start prompts, Answer fails with a D-Bus error
//!   silent-after-prompt Start prompts, Answer never replies
//!   endless-wait        every reply is "wait 100 ms"
//!   limits-exceeded     Start fails with LimitsExceeded (as mfad does with too many sessions)
//!   render-echo         Start and StartRendered prompt with which one was called (and the
//!                       render), to prove what the module asked for
//!   wait-then-granted   Start returns a Wait whose text says what to do, Poll grants

use zbus::{fdo, interface};

type WireStep = (u32, String, u32);
const SESSION: &str = "0123456789abcdef0123456789abcdef";
const WAIT_TEXT: &str = "Answer the call and press #.";

struct Fake {
    mode: String,
}

fn prompt() -> WireStep {
    (1, "Verification code: ".into(), 2)
}

#[interface(name = "org.mfa.Mfad1.Auth")]
impl Fake {
    async fn start(
        &self,
        _user: String,
        _service: String,
        _rhost: String,
        _tty: String,
    ) -> fdo::Result<(String, WireStep)> {
        if self.mode == "limits-exceeded" {
            return Err(fdo::Error::LimitsExceeded("too many open sessions".into()));
        }
        Ok(match self.mode.as_str() {
            "render-echo" => (SESSION.into(), (1, "Started without a render: ".into(), 2)),
            "unknown-step" => (SESSION.into(), (99, String::new(), 0)),
            "bad-session-id" => ("../../etc/shadow".into(), prompt()),
            "oversized-text" => (SESSION.into(), (1, "x".repeat(5000), 2)),
            "bad-poll-interval" => (SESSION.into(), (2, String::new(), 0)),
            "endless-wait" => (SESSION.into(), (2, String::new(), 100)),
            "wait-then-granted" => (SESSION.into(), (2, WAIT_TEXT.into(), 100)),
            _ => (SESSION.into(), prompt()),
        })
    }

    async fn start_rendered(
        &self,
        user: String,
        service: String,
        rhost: String,
        tty: String,
        render: u32,
    ) -> fdo::Result<(String, WireStep)> {
        if self.mode == "render-echo" {
            let text = format!("Started with render {render}: ");
            return Ok((SESSION.into(), (1, text, 2)));
        }
        self.start(user, service, rhost, tty).await
    }

    async fn answer(&self, _session: String, _answer: String) -> fdo::Result<(WireStep,)> {
        match self.mode.as_str() {
            "silent-after-prompt" => {
                tokio::time::sleep(std::time::Duration::from_secs(120)).await;
                Ok(((3, String::new(), 0),))
            }
            _ => Err(fdo::Error::Failed("the fake fails".into())),
        }
    }

    async fn poll(&self, _session: String) -> fdo::Result<(WireStep,)> {
        if self.mode == "wait-then-granted" {
            return Ok(((3, String::new(), 0),));
        }
        Ok(((2, String::new(), 100),))
    }

    async fn cancel(&self, _session: String) {}
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mode = std::env::args().nth(1).ok_or("usage: fake-mfad MODE")?;
    let _conn = zbus::connection::Builder::system()
        .serve_at("/org/mfa/Mfad1", Fake { mode })
        .name("org.mfa.Mfad1")
        .build()
        .await?;
    tokio::signal::ctrl_c().await?;
    Ok(())
}
