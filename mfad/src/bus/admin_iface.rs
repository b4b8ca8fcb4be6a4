//! org.mfa.Mfad1.Admin: uid 0 only, checked here on every call whatever the bus policy says.
//! Every change (done or failed) and every refused caller goes to the audit record.

use super::caller::caller;
use super::shield::shielded;
use crate::admin::{self, TotpRequest};
use crate::audit::pending::PendingLine;
use crate::audit::{AdminAction, Level};
use crate::auth::Engine;
use std::collections::BTreeMap;
use std::sync::Arc;
use zbus::message::Header;
use zbus::{Connection, fdo, interface};

pub struct AdminIface {
    pub engine: Arc<Engine>,
}

/// Lines `Log` returns when asked for 0, and the most it returns.
pub const LOG_DEFAULT_LINES: u32 = 20;
pub const LOG_MAX_LINES: u32 = 10_000;

impl AdminIface {
    /// The caller's uid when it is root; a refused caller is recorded (`action` = the call).
    async fn require_root(
        &self,
        conn: &Connection,
        header: &Header<'_>,
        action: &str,
    ) -> fdo::Result<u32> {
        let who = caller(conn, header).await?;
        if who.uid == 0 {
            return Ok(who.uid);
        }
        self.engine.audit().admin(&AdminAction {
            action,
            user: "",
            method: "",
            caller_uid: who.uid,
            outcome: "refused",
        });
        Err(fdo::Error::AccessDenied(
            "the Admin interface is for root only".into(),
        ))
    }

    /// Records a change's outcome: when done, the line saved with it; on success also logs
    /// `message` (syslog/stderr).
    fn record<T>(&self, change: &Change<'_>, result: &Result<T, String>, message: &str) {
        if result.is_ok() {
            change.done.write(self.engine.audit());
            self.engine.audit().log(Level::Notice, message);
        } else {
            let a = &change.action;
            self.engine.audit().admin(&AdminAction {
                action: a.action,
                user: a.user,
                method: a.method,
                caller_uid: a.caller_uid,
                outcome: "failed",
            });
        }
    }
}

/// One admin change and the line it is recorded with when done (saved with the change).
struct Change<'a> {
    action: AdminAction<'a>,
    done: PendingLine,
}

impl<'a> Change<'a> {
    fn new(uid: u32, action: &'a str, user: &'a str, method: &'a str) -> Change<'a> {
        let action = AdminAction {
            action,
            user,
            method,
            caller_uid: uid,
            outcome: "done",
        };
        let done = PendingLine::admin(&action);
        Change { action, done }
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
        shielded("enroll_totp", async move {
            let uid = self.require_root(conn, &header, "enroll-totp").await?;
            let req = TotpRequest {
                secret_base32: non_empty(&secret_base32),
                digits: (digits != 0).then_some(digits),
                algorithm: non_empty(&algorithm),
                period: (period != 0).then_some(u64::from(period)),
            };
            let change = Change::new(uid, "enroll-totp", &user, "totp");
            let result = admin::enroll_totp(&self.engine, &user, req, &change.done).await;
            let message = format!("admin enrolled totp for {user}");
            self.record(&change, &result, &message);
            result.map_err(failed)
        })
        .await
    }

    async fn status(
        &self,
        user: String,
        #[zbus(header)] header: Header<'_>,
        #[zbus(connection)] conn: &Connection,
    ) -> fdo::Result<BTreeMap<String, String>> {
        shielded("status", async move {
            self.require_root(conn, &header, "status").await?;
            admin::status(&self.engine, &user).await.map_err(failed)
        })
        .await
    }

    /// Every user with a record: user name → what `Status` shows of them (`methods`
    /// "totp,backup", `backup_codes_left`, `locked` "yes"/"no", `failures`, …; `error` instead
    /// when the record cannot be read).
    async fn list(
        &self,
        #[zbus(header)] header: Header<'_>,
        #[zbus(connection)] conn: &Connection,
    ) -> fdo::Result<BTreeMap<String, BTreeMap<String, String>>> {
        shielded("list", async move {
            self.require_root(conn, &header, "list").await?;
            admin::list(&self.engine).await.map_err(failed)
        })
        .await
    }

    /// Remove everything of USER: every method, the failure count and the lock. Returns false
    /// when USER had no record (nothing to do).
    async fn reset(
        &self,
        user: String,
        #[zbus(header)] header: Header<'_>,
        #[zbus(connection)] conn: &Connection,
    ) -> fdo::Result<bool> {
        shielded("reset", async move {
            let uid = self.require_root(conn, &header, "reset").await?;
            let change = Change::new(uid, "reset", &user, "");
            let result = admin::reset(&self.engine, &user).await;
            let message = format!("admin reset {user}: every method, failure and lock removed");
            self.record(&change, &result, &message);
            result.map_err(failed)
        })
        .await
    }

    /// The last LINES lines (0 = 20, at most 10000) of the daemon's audit record, newest last,
    /// only those about USER unless USER is "". Each line is as stored: `unix-time TAB
    /// ISO-8601-UTC TAB kind TAB key=value TAB …` (see `audit::record`).
    async fn log(
        &self,
        user: String,
        lines: u32,
        #[zbus(header)] header: Header<'_>,
        #[zbus(connection)] conn: &Connection,
    ) -> fdo::Result<Vec<String>> {
        shielded("log", async move {
            self.require_root(conn, &header, "log").await?;
            if !user.is_empty() && !crate::store::is_valid_username(&user) {
                return Err(fdo::Error::InvalidArgs(format!(
                    "{user:?} is not a valid user name"
                )));
            }
            let Some(dir) = self.engine.audit().record_dir().map(ToOwned::to_owned) else {
                return Err(failed(
                    "this daemon keeps no audit record (see its log)".into(),
                ));
            };
            let n = match lines {
                0 => LOG_DEFAULT_LINES,
                n => n.min(LOG_MAX_LINES),
            } as usize;
            tokio::task::spawn_blocking(move || {
                let user = (!user.is_empty()).then_some(user.as_str());
                crate::audit::record::tail(&dir, user, n)
            })
            .await
            .map_err(|e| failed(e.to_string()))?
            .map_err(|e| failed(format!("cannot read the audit record: {e}")))
        })
        .await
    }

    async fn unlock(
        &self,
        user: String,
        #[zbus(header)] header: Header<'_>,
        #[zbus(connection)] conn: &Connection,
    ) -> fdo::Result<()> {
        shielded("unlock", async move {
            let uid = self.require_root(conn, &header, "unlock").await?;
            let change = Change::new(uid, "unlock", &user, "");
            let result = admin::unlock(&self.engine, &user, &change.done).await;
            let message = format!("admin unlocked {user}");
            self.record(&change, &result, &message);
            result.map_err(failed)
        })
        .await
    }

    async fn remove(
        &self,
        user: String,
        method: String,
        #[zbus(header)] header: Header<'_>,
        #[zbus(connection)] conn: &Connection,
    ) -> fdo::Result<()> {
        shielded("remove", async move {
            let uid = self.require_root(conn, &header, "remove").await?;
            let change = Change::new(uid, "remove", &user, &method);
            let result = admin::remove(&self.engine, &user, &method, &change.done).await;
            let message = format!("admin removed {method} of {user}");
            self.record(&change, &result, &message);
            result.map_err(failed)
        })
        .await
    }

    /// Ten new single-use backup codes for USER (the old ones stop working); shown once.
    async fn generate_backup_codes(
        &self,
        user: String,
        #[zbus(header)] header: Header<'_>,
        #[zbus(connection)] conn: &Connection,
    ) -> fdo::Result<Vec<String>> {
        shielded("generate_backup_codes", async move {
            let uid = self.require_root(conn, &header, "backup-codes").await?;
            let change = Change::new(uid, "backup-codes", &user, "backup");
            let result = admin::generate_backup_codes(&self.engine, &user, &change.done).await;
            let message = format!("admin generated backup codes for {user}");
            self.record(&change, &result, &message);
            result.map_err(failed)
        })
        .await
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
        shielded("import_totp", async move {
            let uid = self.require_root(conn, &header, "import-totp").await?;
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
            let change = Change::new(uid, "import-totp", &user, "totp");
            let result = admin::import_totp(&self.engine, &user, import, &change.done).await;
            let message = format!("admin imported a totp secret for {user}");
            self.record(&change, &result, &message);
            result.map_err(failed)
        })
        .await
    }
}
