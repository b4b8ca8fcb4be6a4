//! org.mfa.Mfad1.Auth: what pam_mfa.so calls. Thin: identify the caller, hand over to the engine.

use super::caller::caller;
use super::callers::admit;
use super::shield::shielded;
use crate::auth::{AuthError, Engine};
use mfa_proto::{Render, WireStep};
use std::sync::Arc;
use zbus::message::Header;
use zbus::{Connection, fdo, interface};

pub struct AuthIface {
    pub engine: Arc<Engine>,
}

pub fn to_fdo(e: AuthError) -> fdo::Error {
    match e {
        AuthError::AccessDenied(m) => fdo::Error::AccessDenied(m),
        AuthError::InvalidArgs(m) => fdo::Error::InvalidArgs(m),
        AuthError::Busy => fdo::Error::LimitsExceeded("too many open sessions".into()),
    }
}

// Answer and Poll return a one-element tuple: zbus sends a bare tuple as several out-args
// (`usu`) while introspection shows one `(usu)`; wrapped, the reply is the advertised struct.
#[interface(name = "org.mfa.Mfad1.Auth")]
impl AuthIface {
    async fn start(
        &self,
        user: String,
        service: String,
        rhost: String,
        tty: String,
        #[zbus(header)] header: Header<'_>,
        #[zbus(connection)] conn: &Connection,
    ) -> fdo::Result<(String, WireStep)> {
        shielded("start", async move {
            let (who, _in_flight) = admit(conn, &header).await?;
            let (id, step) = self
                .engine
                .start(who, &user, &service, &rhost, &tty)
                .await
                .map_err(to_fdo)?;
            Ok((id, step.to_wire()))
        })
        .await
    }

    /// `Start` for a caller that says what its screen can show (`mfa_proto::Render` on the
    /// wire); a value this daemon does not know is refused.
    #[allow(clippy::too_many_arguments)] // D-Bus method arguments plus the two injected by zbus
    async fn start_rendered(
        &self,
        user: String,
        service: String,
        rhost: String,
        tty: String,
        render: u32,
        #[zbus(header)] header: Header<'_>,
        #[zbus(connection)] conn: &Connection,
    ) -> fdo::Result<(String, WireStep)> {
        shielded("start", async move {
            let (who, _in_flight) = admit(conn, &header).await?;
            let render = Render::from_wire(render).map_err(fdo::Error::InvalidArgs)?;
            let (id, step) = self
                .engine
                .start_rendered(who, &user, &service, &rhost, &tty, render)
                .await
                .map_err(to_fdo)?;
            Ok((id, step.to_wire()))
        })
        .await
    }

    async fn answer(
        &self,
        session: String,
        answer: String,
        #[zbus(header)] header: Header<'_>,
        #[zbus(connection)] conn: &Connection,
    ) -> fdo::Result<(WireStep,)> {
        shielded("answer", async move {
            let (who, _in_flight) = admit(conn, &header).await?;
            let step = self.engine.answer(&who, &session, &answer).await;
            Ok((step.map_err(to_fdo)?.to_wire(),))
        })
        .await
    }

    async fn poll(
        &self,
        session: String,
        #[zbus(header)] header: Header<'_>,
        #[zbus(connection)] conn: &Connection,
    ) -> fdo::Result<(WireStep,)> {
        shielded("poll", async move {
            let (who, _in_flight) = admit(conn, &header).await?;
            let step = self.engine.poll(&who, &session).await;
            Ok((step.map_err(to_fdo)?.to_wire(),))
        })
        .await
    }

    async fn cancel(
        &self,
        session: String,
        #[zbus(header)] header: Header<'_>,
        #[zbus(connection)] conn: &Connection,
    ) -> fdo::Result<()> {
        shielded("cancel", async move {
            let who = caller(conn, &header).await?;
            self.engine.cancel(&who, &session);
            Ok(())
        })
        .await
    }
}
