use super::*;
use crate::store::TotpMethod;
use std::os::unix::fs::PermissionsExt;

fn state_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mfad-store-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
    dir
}

fn enrolled() -> UserRecord {
    let mut r = UserRecord::new();
    r.totp = Some(TotpMethod {
        secret: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ".into(),
        algorithm: "SHA1".into(),
        digits: 6,
        period: 30,
        last_step: 7,
        enrolled_at: 1,
        window: Some(2),
    });
    r
}

#[test]
fn saved_record_loads_back_identical() {
    let store = Store::open(&state_dir("roundtrip")).unwrap();
    assert_eq!(store.load("alice").unwrap(), None);
    store.save("alice", &enrolled(), Flush::Now).unwrap();
    assert_eq!(store.load("alice").unwrap(), Some(enrolled()));
    assert_eq!(store.users().unwrap(), vec!["alice".to_string()]);
    assert!(store.remove("alice").unwrap());
    assert_eq!(store.load("alice").unwrap(), None);
}

#[test]
fn corrupt_record_is_an_error_not_unenrolled() {
    let dir = state_dir("corrupt");
    let store = Store::open(&dir).unwrap();
    std::fs::write(dir.join("users/bob.toml"), "version = 1\n[totp]\nsecret = ").unwrap();
    assert!(matches!(store.load("bob"), Err(StoreError::Corrupt(_))));
    std::fs::write(dir.join("users/bob.toml"), "").unwrap();
    assert!(
        store.load("bob").is_err(),
        "an empty file has no version and must not read as unenrolled"
    );
}

#[test]
fn symlinked_record_is_not_followed() {
    let dir = state_dir("symlink");
    let store = Store::open(&dir).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", dir.join("users/eve.toml")).unwrap();
    assert!(store.load("eve").is_err());
}

#[test]
fn invalid_user_names_never_reach_the_filesystem() {
    let store = Store::open(&state_dir("names")).unwrap();
    assert!(matches!(
        store.load("../../etc/passwd"),
        Err(StoreError::InvalidName)
    ));
    assert!(matches!(
        store.save("a/b", &UserRecord::new(), Flush::Now),
        Err(StoreError::InvalidName)
    ));
}

#[test]
fn state_dir_writable_by_others_is_refused() {
    let dir = state_dir("perms");
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o777)).unwrap();
    let err = Store::open(&dir).unwrap_err();
    assert!(err.contains("writable by other users"), "{err}");
}

#[test]
fn symlinked_state_dir_is_refused() {
    let real = state_dir("real");
    let link = real.with_extension("link");
    let _ = std::fs::remove_file(&link);
    std::os::unix::fs::symlink(&real, &link).unwrap();
    assert!(Store::open(&link).unwrap_err().contains("symlink"));
}

#[test]
fn a_record_file_left_unreadable_by_a_power_loss_reads_as_its_last_synced_version() {
    let dir = state_dir("fallback");
    let store = Store::open(&dir).unwrap();
    store.save("carol", &enrolled(), Flush::Now).unwrap();
    let mut used = enrolled();
    if let Some(t) = used.totp.as_mut() {
        t.last_step = 8;
    }
    store.save("carol", &used, Flush::Later).unwrap();
    assert_eq!(store.load("carol").unwrap(), Some(used));
    // What a filesystem without rename ordering may show after a power loss.
    std::fs::write(dir.join("users/carol.toml"), "").unwrap();
    let loaded = store.load("carol").unwrap().expect("the synced version");
    assert_eq!(
        loaded.totp.as_ref().map(|t| &t.secret),
        enrolled().totp.as_ref().map(|t| &t.secret)
    );
    // It may miss the latest logins: every step up to now (and the widest window) counts as used.
    let now_step = crate::clock::unix_now() / 30;
    assert!(
        loaded
            .totp
            .is_some_and(|t| t.last_step >= now_step + MAX_WINDOW)
    );
}

#[test]
fn the_first_save_of_a_record_without_a_synced_copy_is_synced_whatever_was_asked() {
    let dir = state_dir("first");
    let store = Store::open(&dir).unwrap();
    // As an older mfad left it: a record file and no copy.
    std::fs::write(
        dir.join("users/dave.toml"),
        toml::to_string(&enrolled()).unwrap(),
    )
    .unwrap();
    store.save("dave", &enrolled(), Flush::Later).unwrap();
    assert!(dir.join("users-synced/dave.toml").exists());
}

#[test]
fn removing_a_record_removes_its_synced_copy() {
    let dir = state_dir("remove");
    let store = Store::open(&dir).unwrap();
    store.save("erin", &enrolled(), Flush::Now).unwrap();
    assert!(store.remove("erin").unwrap());
    assert!(!dir.join("users-synced/erin.toml").exists());
    assert_eq!(store.load("erin").unwrap(), None);
}
