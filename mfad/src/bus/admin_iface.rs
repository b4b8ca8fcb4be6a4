//! org.mfa.Mfad1.Admin: uid 0 only, checked here on every call whatever the bus policy says.

use super::caller::caller;
use crate::admin::{self, TotpRequest};
use crate::audit::Level;
use crate::auth::Engine;
use std::collections::BTreeMap;
use std::sync::Arc;
use zbus::message::Header;
use zbus::{Connection, fdo, interface};

pub struct AdminIface {
    pub engine: Arc<Engine>,
}

async fn require_root(conn: &Connection, header: &Header<'_>) -> fdo::Result<()> {
    let who = caller(conn, header).await?;
    if who.uid == 0 {
        Ok(())
    } else {
        Err(fdo::Error::AccessDenied(
            "the Admin interface is for root only".into(),
        ))
    }
}

fn failed(e: String) -> fdo::Error {
    fdo::Error::Failed(e)
}

fn non_empty(s: &str) -> Option<&str> {
    (!s.is_empty()).then_some(s)
}

#[interface(name = "org.mfa.Mfad1.Admin")]
impl AdminIface {
    /// Empty strings and zeros mean "the config's default"; an empty secret means "generate one".
    #[allow(clippy::too_many_arguments)] // D-Bus method arguments plus the two injected by zbus
    async fn enroll_totp(
        &self,
        user: String,
        secret_base32: String,
        digits: u32,
        algorithm: String,
        period: u32,
        #[zbus(header)] header: Header<'_>,
        #[zbus(connection)] conn: &Connection,
    ) -> fdo::Result<String> {
        require_root(conn, &header).await?;
        let req = TotpRequest {
            secret_base32: non_empty(&secret_base32),
            digits: (digits != 0).then_some(digits),
            algorithm: non_empty(&algorithm),
            period: (period != 0).then_some(u64::from(period)),
        };
        let uri = admin::enroll_totp(&self.engine, &user, req)
            .await
            .map_err(failed)?;
        self.engine
            .audit()
            .log(Level::Notice, &format!("admin enrolled totp for {user}"));
        Ok(uri)
    }

    async fn status(
        &self,
        user: String,
        #[zbus(header)] header: Header<'_>,
        #[zbus(connection)] conn: &Connection,
    ) -> fdo::Result<BTreeMap<String, String>> {
        require_root(conn, &header).await?;
        admin::status(&self.engine, &user).await.map_err(failed)
    }

    async fn unlock(
        &self,
        user: String,
        #[zbus(header)] header: Header<'_>,
        #[zbus(connection)] conn: &Connection,
    ) -> fdo::Result<()> {
        require_root(conn, &header).await?;
        admin::unlock(&self.engine, &user).await.map_err(failed)?;
        self.engine
            .audit()
            .log(Level::Notice, &format!("admin unlocked {user}"));
        Ok(())
    }

    async fn remove(
        &self,
        user: String,
        method: String,
        #[zbus(header)] header: Header<'_>,
        #[zbus(connection)] conn: &Connection,
    ) -> fdo::Result<()> {
        require_root(conn, &header).await?;
        admin::remove(&self.engine, &user, &method)
            .await
            .map_err(failed)?;
        self.engine
            .audit()
            .log(Level::Notice, &format!("admin removed {method} of {user}"));
        Ok(())
    }

    /// Ten new single-use backup codes for USER (the old ones stop working); shown once.
    async fn generate_backup_codes(
        &self,
        user: String,
        #[zbus(header)] header: Header<'_>,
        #[zbus(connection)] conn: &Connection,
    ) -> fdo::Result<Vec<String>> {
        require_root(conn, &header).await?;
        let codes = admin::generate_backup_codes(&self.engine, &user)
            .await
            .map_err(failed)?;
        self.engine.audit().log(
            Level::Notice,
            &format!("admin generated backup codes for {user}"),
        );
        Ok(codes)
    }

    /// Import an existing TOTP secret (SHA1) with its period, ± window (-1 = the config's) and
    /// backup codes; returns warnings for the admin.
    #[allow(clippy::too_many_arguments)] // D-Bus method arguments plus the two injected by zbus
    async fn import_totp(
        &self,
        user: String,
        secret_base32: String,
        digits: u32,
        period: u32,
        window: i32,
        backup_codes: Vec<String>,
        #[zbus(header)] header: Header<'_>,
        #[zbus(connection)] conn: &Connection,
    ) -> fdo::Result<Vec<String>> {
        require_root(conn, &header).await?;
        if backup_codes.len() > 100 {
            return Err(fdo::Error::InvalidArgs("at most 100 backup codes".into()));
        }
        let import = admin::Import {
            secret_base32,
            digits,
            period: u64::from(period),
            window: u64::try_from(window).ok(),
            backup_codes,
        };
        let warnings = admin::import_totp(&self.engine, &user, import)
            .await
            .map_err(failed)?;
        self.engine.audit().log(
            Level::Notice,
            &format!("admin imported a totp secret for {user}"),
        );
        Ok(warnings)
    }
}
