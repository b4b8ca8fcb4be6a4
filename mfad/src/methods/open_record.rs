//! What every method's answer starts with. It lives beside the registry, not in the login
//! context, because "enrolled" is asked of each method (`UserRecord::is_enrolled`).

use crate::limits::{self, Gate};
use crate::login_context::LoginContext;
use crate::sessions::Session;
use crate::store::{StoreError, Transaction, UserRecord};
use crate::texts::{self, Text};
use mfa_proto::Step;

/// The user's record in a transaction (the user locked until it ends), if enrolled and not
/// held back by the limits; else the final step.
pub(crate) async fn open_record(
    cx: &LoginContext,
    session: &Session,
) -> Result<(Transaction, UserRecord), Step> {
    let mut txn = match cx.store().begin(&session.user).await {
        Ok(txn) => txn,
        Err(StoreError::InvalidName) => {
            cx.log_session(session, "-", "denied-not-enrolled");
            return Err(cx.wrong_code(session));
        }
        Err(e) => {
            crate::metrics::store_error();
            return Err(cx.unavailable(session, &e.to_string()));
        }
    };
    let record = match txn.record.take() {
        Some(record) if record.is_enrolled() => record,
        _ => {
            cx.log_session(session, "-", "denied-not-enrolled");
            return Err(cx.wrong_code(session));
        }
    };
    match limits::gate(&record.failures, &cx.config().limits, cx.clock.unix_now()) {
        Gate::Locked => {
            cx.log_session(session, "-", "locked");
            Err(Step::Locked {
                text: crate::texts::fit(
                    session.lang,
                    session.render,
                    Text::Locked,
                    Text::LockedShort,
                ),
            })
        }
        Gate::Cooldown(seconds) => {
            cx.log_session(session, "-", "refused-cooldown");
            Err(Step::Denied {
                text: texts::cooldown(session.lang, session.render, seconds),
            })
        }
        Gate::Open => Ok((txn, record)),
    }
}
