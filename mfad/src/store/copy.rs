//! Moving the users' records from one store to another (`mfad --migrate-store`, for going from
//! the files of one host to a fleet's database and back). Each record is copied under the
//! destination's lock for that user, and only where the destination has none: running it again
//! copies nothing more, and a record the destination already has (a user who logged in or
//! enrolled there since) is never overwritten, only counted. A dry run reads and compares the
//! same way and writes nothing.
//!
//! Not copied: the send budgets (their windows are a day at most) and the grace-period marker
//! (the destination notes its own on first use).

use super::{StoreError, UserStore};

/// What a copy did (or, dry, would do).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Copied {
    /// Records in the source.
    pub seen: usize,
    /// Written to the destination (dry run: would be).
    pub copied: usize,
    /// The destination already had the same record.
    pub same: usize,
    /// The destination has a different record for the user: left as it is.
    pub differ: usize,
}

impl std::fmt::Display for Copied {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} user record(s): {} copied, {} already there, {} different there (left as is)",
            self.seen, self.copied, self.same, self.differ
        )
    }
}

/// Copies every record of `from` that `to` lacks; `dry` writes nothing.
pub async fn copy_users(
    from: &dyn UserStore,
    to: &dyn UserStore,
    dry: bool,
) -> Result<(Copied, Vec<String>), StoreError> {
    let mut done = Copied::default();
    let mut different = Vec::new();
    for user in from.users().await? {
        let Some(record) = from.get(&user).await? else {
            continue;
        };
        done.seen += 1;
        let txn = to.begin(&user).await?;
        match &txn.record {
            Some(there) if *there == record => done.same += 1,
            Some(_) => {
                done.differ += 1;
                different.push(user);
            }
            None => {
                if !dry {
                    txn.commit(record).await?;
                }
                done.copied += 1;
            }
        }
    }
    Ok((done, different))
}
