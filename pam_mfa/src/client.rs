//! The daemon over D-Bus, as the flow sees it. One private connection per login, made and dropped
//! inside one `zruntime::block_on` on the host's thread: no threads, nothing left after the hook.

use crate::flow::{ClientError, Daemon, LoginContext};
use mfa_proto::{BUS_NAME, Render, Step, WireStep};
use std::future::{Future, poll_fn};
use std::os::unix::net::UnixStream;
use std::pin::pin;
use std::task::Poll;
use std::time::Duration;
use zbus::names::BusName;

#[zbus::proxy(interface = "org.mfa.Mfad1.Auth", default_path = "/org/mfa/Mfad1")]
trait Auth {
    fn start(
        &self,
        user: &str,
        service: &str,
        rhost: &str,
        tty: &str,
    ) -> zbus::Result<(String, WireStep)>;
    /// `Start` for a screen that needs the steps shaped (`render=oneline`).
    fn start_rendered(
        &self,
        user: &str,
        service: &str,
        rhost: &str,
        tty: &str,
        render: u32,
    ) -> zbus::Result<(String, WireStep)>;
    fn answer(&self, session: &str, answer: &str) -> zbus::Result<(WireStep,)>;
    fn poll(&self, session: &str) -> zbus::Result<(WireStep,)>;
    fn cancel(&self, session: &str) -> zbus::Result<()>;
}

pub struct BusDaemon<'a> {
    socket: &'a str,
    timeout: Duration,
    /// Uids allowed to own the name (root and/or the daemon's user).
    owners: Vec<u32>,
    /// What the program's screen can show (`render=`), told to the daemon at `Start`; `None`
    /// leaves it to the daemon (by service name).
    render: Option<Render>,
    proxy: Option<AuthProxy<'static>>,
    conn: Option<zbus::Connection>,
}

impl<'a> BusDaemon<'a> {
    pub fn new(
        socket: &'a str,
        timeout: Duration,
        owners: Vec<u32>,
        render: Option<Render>,
    ) -> Self {
        BusDaemon {
            socket,
            timeout,
            owners,
            render,
            proxy: None,
            conn: None,
        }
    }

    /// Connect, find the name's current owner, check its uid, and address every later call to
    /// that exact connection (its unique name), so a new owner cannot slip in mid-login.
    async fn connect(&mut self) -> Result<&AuthProxy<'static>, ClientError> {
        let stream = UnixStream::connect(self.socket)
            .map_err(|e| ClientError::Unreachable(format!("{}: {e}", self.socket)))?;
        let runtime = zruntime::SharedRuntime::current()
            .map_err(|e| ClientError::Unreachable(e.to_string()))?;
        let build = zbus::connection::Builder::unix_stream(stream)
            .method_timeout(self.timeout)
            .build();
        let conn = runtime
            .timeout(self.timeout, build)
            .await
            .map_err(|_| ClientError::Unreachable("bus handshake timed out".into()))?
            .map_err(unreachable)?;
        let dbus = zbus::fdo::DBusProxy::new(&conn)
            .await
            .map_err(unreachable)?;
        let name =
            BusName::try_from(BUS_NAME).map_err(|e| ClientError::Unreachable(e.to_string()))?;
        // Three questions in one round trip, answered by the bus in the order sent: the owner,
        // the uid of whoever owns the name, the owner again. The uid is believed only for an
        // owner that held the name on both sides of it (mfad never gives its name up).
        let (before, (uid, after)) = both(
            dbus.get_name_owner(name.clone()),
            both(
                dbus.get_connection_unix_user(name.clone()),
                dbus.get_name_owner(name),
            ),
        )
        .await;
        let (owner, after) = (before.map_err(unreachable)?, after.map_err(unreachable)?);
        let uid = uid.map_err(unreachable)?;
        if owner != after {
            return Err(ClientError::Refused("the name changed owner".into()));
        }
        if !self.owners.contains(&uid) {
            return Err(ClientError::WrongOwner(uid));
        }
        let proxy = AuthProxy::builder(&conn)
            .destination(owner.into_inner())
            .cache_properties(zbus::proxy::CacheProperties::No)
            .build()
            .await
            .map_err(unreachable)?;
        self.conn = Some(conn);
        Ok(self.proxy.insert(proxy))
    }

    fn proxy(&self) -> Result<&AuthProxy<'static>, ClientError> {
        self.proxy
            .as_ref()
            .ok_or_else(|| ClientError::Unreachable("not connected".into()))
    }

    /// Drop the connection inside the runtime that drives it.
    pub fn close(&mut self) {
        self.proxy = None;
        self.conn = None;
    }
}

/// Both futures to completion, polled in turn: each request is on the wire before any reply
/// is awaited (no executor, no thread).
async fn both<A: Future, B: Future>(a: A, b: B) -> (A::Output, B::Output) {
    let (mut a, mut b) = (pin!(a), pin!(b));
    let (mut done_a, mut done_b) = (None, None);
    poll_fn(|cx| {
        if done_a.is_none()
            && let Poll::Ready(out) = a.as_mut().poll(cx)
        {
            done_a = Some(out);
        }
        if done_b.is_none()
            && let Poll::Ready(out) = b.as_mut().poll(cx)
        {
            done_b = Some(out);
        }
        match (done_a.take(), done_b.take()) {
            (Some(a), Some(b)) => Poll::Ready((a, b)),
            (a, b) => {
                (done_a, done_b) = (a, b);
                Poll::Pending
            }
        }
    })
    .await
}

fn unreachable(e: impl std::fmt::Display) -> ClientError {
    ClientError::Unreachable(e.to_string())
}

/// Sorts a failed call. Only "nobody answered" is `Unreachable` (the one kind `failmode=open`
/// may forgive before a challenge): no reply in time, the connection lost, the name's owner gone.
/// Any error reply from the daemon (AccessDenied, LimitsExceeded, org.mfa.*, …) is a refusal,
/// and a reply of the wrong shape is malformed. zbus 6 reports error names it knows as
/// `Error::FDO`, others as `Error::MethodError`.
fn classify(e: zbus::Error) -> ClientError {
    use zbus::fdo::Error as Fdo;
    match &e {
        zbus::Error::InputOutput(_) | zbus::Error::Connection(..) => {
            ClientError::Unreachable(e.to_string())
        }
        zbus::Error::FDO(fdo) => match **fdo {
            Fdo::NoReply(_)
            | Fdo::ServiceUnknown(_)
            | Fdo::NameHasNoOwner(_)
            | Fdo::Disconnected(_)
            | Fdo::Timeout(_)
            | Fdo::TimedOut(_) => ClientError::Unreachable(e.to_string()),
            _ => ClientError::Refused(e.to_string()),
        },
        zbus::Error::MethodError(..) => ClientError::Refused(e.to_string()),
        _ => ClientError::Malformed(e.to_string()),
    }
}

/// Once the name had an owner of the right uid, silence is no longer "down": a daemon made slow
/// by a local flood (or killed by one mid-call) must not let anyone in with `failmode=open`.
fn owner_was_found(e: ClientError) -> ClientError {
    match e {
        ClientError::Unreachable(reason) => ClientError::NoAnswer(reason),
        other => other,
    }
}

/// Which method starts a login.
#[derive(Debug, PartialEq, Eq)]
enum StartCall {
    Start,
    StartRendered(u32),
}

/// `StartRendered` only when the pam.d line said `render=`, so a daemon (or fake) that predates
/// it keeps working for every other line, and the daemon decides by service name otherwise.
fn start_call(render: Option<Render>) -> StartCall {
    match render {
        None => StartCall::Start,
        Some(render) => StartCall::StartRendered(render.to_wire()),
    }
}

fn step(wire: zbus::Result<WireStep>) -> Result<Step, ClientError> {
    Step::from_wire(wire.map_err(classify)?).map_err(|e| ClientError::Malformed(e.to_string()))
}

impl Daemon for BusDaemon<'_> {
    async fn start(&mut self, ctx: &LoginContext) -> Result<(String, Step), ClientError> {
        let render = self.render;
        let proxy = self.connect().await?;
        let (user, service, rhost, tty) = (&ctx.user, &ctx.service, &ctx.rhost, &ctx.tty);
        let started = match start_call(render) {
            StartCall::Start => proxy.start(user, service, rhost, tty).await,
            StartCall::StartRendered(wire) => {
                proxy.start_rendered(user, service, rhost, tty, wire).await
            }
        };
        let (session, wire) = started.map_err(|e| owner_was_found(classify(e)))?;
        if !mfa_proto::is_session_id(&session) {
            return Err(ClientError::Malformed("session id".into()));
        }
        Ok((session, step(Ok(wire))?))
    }

    async fn answer(&mut self, session: &str, answer: &str) -> Result<Step, ClientError> {
        step(self.proxy()?.answer(session, answer).await.map(|(w,)| w))
    }

    async fn poll(&mut self, session: &str) -> Result<Step, ClientError> {
        step(self.proxy()?.poll(session).await.map(|(w,)| w))
    }

    async fn cancel(&mut self, session: &str) {
        if let Ok(proxy) = self.proxy() {
            // Best effort: the daemon also drops the session when this connection closes.
            let _ = proxy.cancel(session).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use zbus::fdo::Error as Fdo;

    fn fdo(e: Fdo) -> zbus::Error {
        zbus::Error::FDO(Box::new(e))
    }

    /// Sends (notes its name) when first polled, and is answered on the next poll with how
    /// many requests were on the wire by then.
    async fn request(name: &'static str, wire: &std::cell::RefCell<Vec<&'static str>>) -> usize {
        wire.borrow_mut().push(name);
        let mut answered = false;
        poll_fn(|_| {
            if answered {
                Poll::Ready(())
            } else {
                answered = true;
                Poll::Pending
            }
        })
        .await;
        wire.borrow().len()
    }

    #[test]
    fn both_puts_every_request_on_the_wire_in_order_before_any_reply_is_awaited() {
        let wire = std::cell::RefCell::new(Vec::new());
        let joined = both(
            request("owner", &wire),
            both(request("uid", &wire), request("again", &wire)),
        );
        let mut joined = pin!(joined);
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        assert!(joined.as_mut().poll(&mut cx).is_pending());
        assert_eq!(*wire.borrow(), ["owner", "uid", "again"]);
        assert_eq!(joined.as_mut().poll(&mut cx), Poll::Ready((3, (3, 3))));
    }

    #[test]
    fn only_a_line_that_says_render_starts_with_start_rendered_and_its_wire_value() {
        assert_eq!(start_call(None), StartCall::Start);
        for render in [Render::Lines, Render::OneLine] {
            assert_eq!(
                start_call(Some(render)),
                StartCall::StartRendered(render.to_wire())
            );
        }
    }

    #[test]
    fn only_silence_is_unreachable() {
        let timed_out = std::io::Error::new(std::io::ErrorKind::TimedOut, "t");
        for e in [
            zbus::Error::InputOutput(Arc::new(timed_out)),
            fdo(Fdo::NoReply("gone".into())),
            fdo(Fdo::ServiceUnknown("gone".into())),
            fdo(Fdo::NameHasNoOwner("gone".into())),
        ] {
            assert!(
                matches!(classify(e.clone()), ClientError::Unreachable(_)),
                "{e:?}"
            );
        }
    }

    #[test]
    fn silence_from_a_found_owner_is_no_answer_never_unreachable() {
        let timed_out = std::io::Error::new(std::io::ErrorKind::TimedOut, "t");
        for e in [
            zbus::Error::InputOutput(Arc::new(timed_out)),
            fdo(Fdo::NoReply("slow".into())),
            fdo(Fdo::TimedOut("slow".into())),
            fdo(Fdo::NameHasNoOwner("gone mid-call".into())),
        ] {
            assert!(
                matches!(
                    owner_was_found(classify(e.clone())),
                    ClientError::NoAnswer(_)
                ),
                "{e:?}"
            );
        }
    }

    #[test]
    fn any_answer_from_the_daemon_is_not_unreachable() {
        for e in [
            fdo(Fdo::AccessDenied("no".into())),
            fdo(Fdo::LimitsExceeded("too many open sessions".into())),
            fdo(Fdo::InvalidArgs("bad".into())),
            fdo(Fdo::UnknownMethod("old daemon".into())),
            fdo(Fdo::Failed("x".into())),
        ] {
            assert!(
                matches!(classify(e.clone()), ClientError::Refused(_)),
                "{e:?}"
            );
        }
        assert!(matches!(
            classify(zbus::Error::InvalidReply),
            ClientError::Malformed(_)
        ));
        assert!(matches!(
            classify(zbus::Error::IncorrectType),
            ClientError::Malformed(_)
        ));
    }
}
