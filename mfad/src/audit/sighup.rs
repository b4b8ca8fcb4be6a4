//! SIGHUP: open the record files by name again, so `logrotate` (rename, then HUP) works.

use super::{Audit, Level};
use std::sync::Arc;
use tokio::signal::unix::{SignalKind, signal};

/// Watches SIGHUP for the life of the runtime; must be called inside it.
pub fn reopen_on_sighup(audit: Arc<Audit>) {
    let mut hup = match signal(SignalKind::hangup()) {
        Ok(s) => s,
        Err(e) => {
            audit.log(Level::Error, &format!("cannot watch SIGHUP: {e}"));
            return;
        }
    };
    tokio::spawn(async move {
        while hup.recv().await.is_some() {
            audit.reopen();
            audit.log(Level::Info, "SIGHUP: audit record reopened");
        }
    });
}
