//! Account lookups (NSS: files, LDAP, SSSD…) off the async workers. A slow directory must not
//! stall the daemon: lookups run on the blocking pool, a few at once, each with a deadline, and
//! a lookup that fails or runs late counts as "no such account" (fail closed).

use nix::unistd::{Uid, User};
use std::sync::LazyLock;
use std::time::Duration;
use tokio::sync::Semaphore;

/// NSS lookups running at once; more wait their turn (within the deadline).
const AT_ONCE: usize = 8;
/// How long one lookup (waiting for a turn included) may take.
const DEADLINE: Duration = Duration::from_secs(5);

static TURNS: LazyLock<Semaphore> = LazyLock::new(|| Semaphore::new(AT_ONCE));

/// Why a lookup gave no name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// The directory answered: no such account.
    NoAccount,
    /// The directory failed or did not answer in time.
    Unavailable(String),
}

/// The account name of `uid`, looked up on the blocking pool.
pub async fn name_of_uid(uid: u32) -> Result<String, Lookup> {
    let lookup = async {
        let _turn = TURNS
            .acquire()
            .await
            .map_err(|e| Lookup::Unavailable(e.to_string()))?;
        let found = tokio::task::spawn_blocking(move || User::from_uid(Uid::from_raw(uid))).await;
        match found {
            Ok(Ok(Some(user))) => Ok(user.name),
            Ok(Ok(None)) => Err(Lookup::NoAccount),
            Ok(Err(e)) => Err(Lookup::Unavailable(e.to_string())),
            Err(e) => Err(Lookup::Unavailable(e.to_string())),
        }
    };
    match tokio::time::timeout(DEADLINE, lookup).await {
        Ok(result) => result,
        Err(_) => Err(Lookup::Unavailable(format!(
            "the account lookup of uid {uid} took over {} s",
            DEADLINE.as_secs()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn root_is_found_and_an_unused_uid_is_no_account() {
        assert_eq!(name_of_uid(0).await.as_deref(), Ok("root"));
        assert_eq!(name_of_uid(4_000_000).await, Err(Lookup::NoAccount));
    }
}
