//! The daemon over D-Bus, as the flow sees it. One private connection per login, made and dropped
//! inside one `zruntime::block_on` on the host's thread: no threads, nothing left after the hook.

use crate::flow::{ClientError, Daemon, LoginContext};
use mfa_proto::{BUS_NAME, Step, WireStep};
use std::os::unix::net::UnixStream;
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
    fn answer(&self, session: &str, answer: &str) -> zbus::Result<WireStep>;
    fn poll(&self, session: &str) -> zbus::Result<WireStep>;
    fn cancel(&self, session: &str) -> zbus::Result<()>;
}

pub struct BusDaemon<'a> {
    socket: &'a str,
    timeout: Duration,
    /// Uids allowed to own the name (root and/or the daemon's user).
    owners: Vec<u32>,
    proxy: Option<AuthProxy<'static>>,
    conn: Option<zbus::Connection>,
}

impl<'a> BusDaemon<'a> {
    pub fn new(socket: &'a str, timeout: Duration, owners: Vec<u32>) -> Self {
        BusDaemon {
            socket,
            timeout,
            owners,
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
        let owner = dbus.get_name_owner(name).await.map_err(unreachable)?;
        let uid = dbus
            .get_connection_unix_user(BusName::Unique(owner.as_ref()))
            .await
            .map_err(unreachable)?;
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

fn unreachable(e: impl std::fmt::Display) -> ClientError {
    ClientError::Unreachable(e.to_string())
}

fn classify(e: zbus::Error) -> ClientError {
    match &e {
        zbus::Error::MethodError(name, _, _)
            if name.as_str() == "org.freedesktop.DBus.Error.AccessDenied" =>
        {
            ClientError::Refused(e.to_string())
        }
        zbus::Error::MethodError(name, _, _) if name.as_str().starts_with("org.mfa.") => {
            ClientError::Refused(e.to_string())
        }
        _ => ClientError::Unreachable(e.to_string()),
    }
}

fn step(wire: zbus::Result<WireStep>) -> Result<Step, ClientError> {
    Step::from_wire(wire.map_err(classify)?).map_err(|e| ClientError::Malformed(e.to_string()))
}

impl Daemon for BusDaemon<'_> {
    async fn start(&mut self, ctx: &LoginContext) -> Result<(String, Step), ClientError> {
        let proxy = self.connect().await?;
        let (session, wire) = proxy
            .start(&ctx.user, &ctx.service, &ctx.rhost, &ctx.tty)
            .await
            .map_err(classify)?;
        if !mfa_proto::is_session_id(&session) {
            return Err(ClientError::Malformed("session id".into()));
        }
        Ok((session, step(Ok(wire))?))
    }

    async fn answer(&mut self, session: &str, answer: &str) -> Result<Step, ClientError> {
        step(self.proxy()?.answer(session, answer).await)
    }

    async fn poll(&mut self, session: &str) -> Result<Step, ClientError> {
        step(self.proxy()?.poll(session).await)
    }

    async fn cancel(&mut self, session: &str) {
        if let Ok(proxy) = self.proxy() {
            // Best effort: the daemon also drops the session when this connection closes.
            let _ = proxy.cancel(session).await;
        }
    }
}
