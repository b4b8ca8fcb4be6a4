//! One change to a user's record outside a login (enrollment, admin): one store transaction
//! that also carries the change's audit line, so a crash cannot keep one without the other.

use super::LoginContext;
use crate::audit::pending::PendingLine;
use crate::store::{Missing, StoreError, UserRecord, is_valid_username};

impl LoginContext {
    /// Runs `change` on USER's record in one store transaction (creating the record when
    /// `missing` allows), with the admin's wording of its failures. The change's audit `line`
    /// is saved with it; the caller writes it once this returns `Ok`.
    pub async fn change_record(
        &self,
        user: &str,
        missing: Missing,
        line: Option<&PendingLine>,
        change: impl FnOnce(&mut UserRecord) -> Result<(), String> + Send + 'static,
    ) -> Result<(), String> {
        if !is_valid_username(user) {
            return Err(format!("{user:?} is not a valid user name"));
        }
        let audited = |record: &mut UserRecord| {
            change(record)?;
            if let Some(line) = line {
                record.audit_pending = line.pending();
            }
            Ok(())
        };
        match self.store().update(user, missing, audited).await {
            Ok(Ok(())) => {
                self.crash_after_save_in_tests();
                Ok(())
            }
            Ok(Err(refused)) => Err(refused),
            Err(StoreError::NoRecord) => Err(format!("{user} has no record")),
            Err(e) => Err(e.to_string()),
        }
    }
}
