//! One async mutex per user name, so concurrent logins of one user are checked one at a time
//! while different users proceed in parallel.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::{Mutex as AsyncMutex, OwnedMutexGuard};

#[derive(Default)]
pub struct UserLocks {
    map: Mutex<HashMap<String, Arc<AsyncMutex<()>>>>,
}

impl UserLocks {
    pub async fn lock(&self, user: &str) -> OwnedMutexGuard<()> {
        let lock = {
            let mut map = self
                .map
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            // Forget locks nobody holds or waits for, so the map stays as small as the load.
            map.retain(|_, l| Arc::strong_count(l) > 1);
            map.entry(user.to_string()).or_default().clone()
        };
        lock.lock_owned().await
    }
}
