//! org.mfa.Mfad1.Enroll: a user managing their own methods. Thin: identify the caller, hand
//! over to the Enroller, and name each refusal with its own D-Bus error so the CLI can react
//! (e.g. re-authenticate on ReauthRequired).

use super::caller::caller;
use super::shield::shielded;
use crate::enroll::{EnrollError, Enroller};
use mfa_proto::WireStep;
use std::collections::BTreeMap;
use std::sync::Arc;
use zbus::message::Header;
use zbus::{Connection, interface};

#[derive(Debug, zbus::DBusError)]
#[zbus(prefix = "org.mfa.Mfad1.Error")]
pub enum Error {
    #[zbus(error)]
    ZBus(zbus::Error),
    /// Confirm with a current factor first (StartReauth, then Auth.Answer).
    ReauthRequired(String),
    NotAllowed(String),
    InvalidArgs(String),
    Failed(String),
}

impl From<EnrollError> for Error {
    fn from(e: EnrollError) -> Error {
        match e {
            EnrollError::ReauthRequired => {
                Error::ReauthRequired("confirm with a current factor first".into())
            }
            EnrollError::NotAllowed(m) => Error::NotAllowed(m),
            EnrollError::InvalidArgs(m) => Error::InvalidArgs(m),
            EnrollError::Failed(m) => Error::Failed(m),
        }
    }
}

impl super::shield::PanicReply for Error {
    fn from_panic(method: &str) -> Self {
        Error::Failed(format!("internal error in {method}"))
    }
}

impl From<zbus::fdo::Error> for Error {
    fn from(e: zbus::fdo::Error) -> Error {
        Error::ZBus(e.into())
    }
}

pub struct EnrollIface {
    pub enroller: Arc<Enroller>,
}

#[interface(name = "org.mfa.Mfad1.Enroll")]
impl EnrollIface {
    async fn status(
        &self,
        #[zbus(header)] header: Header<'_>,
        #[zbus(connection)] conn: &Connection,
    ) -> Result<BTreeMap<String, String>, Error> {
        shielded("status", async move {
            let who = caller(conn, &header).await?;
            Ok(self.enroller.status(&who).await?)
        })
        .await
    }

    /// Starts a re-authentication of the caller's own account; answer it with Auth.Answer.
    async fn start_reauth(
        &self,
        #[zbus(header)] header: Header<'_>,
        #[zbus(connection)] conn: &Connection,
    ) -> Result<(String, WireStep), Error> {
        shielded("start_reauth", async move {
            let who = caller(conn, &header).await?;
            let (id, step) = self.enroller.start_reauth(who).await?;
            Ok((id, step.to_wire()))
        })
        .await
    }

    async fn begin_totp(
        &self,
        #[zbus(header)] header: Header<'_>,
        #[zbus(connection)] conn: &Connection,
    ) -> Result<String, Error> {
        shielded("begin_totp", async move {
            let who = caller(conn, &header).await?;
            Ok(self.enroller.begin_totp(&who, conn).await?)
        })
        .await
    }

    async fn confirm_totp(
        &self,
        code: String,
        #[zbus(header)] header: Header<'_>,
        #[zbus(connection)] conn: &Connection,
    ) -> Result<bool, Error> {
        shielded("confirm_totp", async move {
            let who = caller(conn, &header).await?;
            Ok(self.enroller.confirm_totp(&who, &code).await?)
        })
        .await
    }

    async fn generate_backup_codes(
        &self,
        #[zbus(header)] header: Header<'_>,
        #[zbus(connection)] conn: &Connection,
    ) -> Result<Vec<String>, Error> {
        shielded("generate_backup_codes", async move {
            let who = caller(conn, &header).await?;
            Ok(self.enroller.backup_codes(&who, conn).await?)
        })
        .await
    }

    async fn remove(
        &self,
        method: String,
        #[zbus(header)] header: Header<'_>,
        #[zbus(connection)] conn: &Connection,
    ) -> Result<(), Error> {
        shielded("remove", async move {
            let who = caller(conn, &header).await?;
            Ok(self.enroller.remove(&who, &method).await?)
        })
        .await
    }

    async fn prefer(
        &self,
        method: String,
        #[zbus(header)] header: Header<'_>,
        #[zbus(connection)] conn: &Connection,
    ) -> Result<(), Error> {
        shielded("prefer", async move {
            let who = caller(conn, &header).await?;
            Ok(self.enroller.prefer(&who, &method).await?)
        })
        .await
    }

    async fn set_language(
        &self,
        language: String,
        #[zbus(header)] header: Header<'_>,
        #[zbus(connection)] conn: &Connection,
    ) -> Result<(), Error> {
        shielded("set_language", async move {
            let who = caller(conn, &header).await?;
            Ok(self.enroller.set_language(&who, &language).await?)
        })
        .await
    }

    /// Validate NUMBER and text it a code; returns the number masked.
    async fn begin_phone(
        &self,
        number: String,
        #[zbus(header)] header: Header<'_>,
        #[zbus(connection)] conn: &Connection,
    ) -> Result<String, Error> {
        shielded("begin_phone", async move {
            let who = caller(conn, &header).await?;
            Ok(self.enroller.begin_phone(&who, conn, &number).await?)
        })
        .await
    }

    /// Link a phone for push: returns (subscribe URL, topic, number to type on the page).
    /// PIN is empty for none.
    async fn begin_push(
        &self,
        pin: String,
        #[zbus(header)] header: Header<'_>,
        #[zbus(connection)] conn: &Connection,
    ) -> Result<(String, String, String), Error> {
        shielded("begin_push", async move {
            let who = caller(conn, &header).await?;
            let started = self.enroller.begin_push(&who, conn, &pin).await?;
            Ok((started.subscribe_url, started.topic, started.number))
        })
        .await
    }

    /// "pending" until the test notification's page is approved, then "linked".
    async fn confirm_push(
        &self,
        #[zbus(header)] header: Header<'_>,
        #[zbus(connection)] conn: &Connection,
    ) -> Result<String, Error> {
        shielded("confirm_push", async move {
            let who = caller(conn, &header).await?;
            Ok(self.enroller.confirm_push(&who).await?)
        })
        .await
    }

    async fn confirm_phone(
        &self,
        code: String,
        #[zbus(header)] header: Header<'_>,
        #[zbus(connection)] conn: &Connection,
    ) -> Result<bool, Error> {
        shielded("confirm_phone", async move {
            let who = caller(conn, &header).await?;
            Ok(self.enroller.confirm_phone(&who, &code).await?)
        })
        .await
    }
}
