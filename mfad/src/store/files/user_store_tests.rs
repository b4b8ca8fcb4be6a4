//! The file backend through the `UserStore` seam: the contract every backend passes.

use super::FileStore;
use crate::store::UserStore;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::sync::Arc;

fn state_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mfad-seam-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
    dir
}

fn store(tag: &str) -> Arc<dyn UserStore> {
    Arc::new(FileStore::open(&state_dir(tag)).unwrap())
}

crate::store::contract_tests::user_store_contract!(store);
