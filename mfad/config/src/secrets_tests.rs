//! Secret files and systemd credentials.

use crate::SecretRef;
use crate::secrets::{self, MAX_SECRET_BYTES};
use crate::test_dir::TempDir;

#[test]
fn private_secret_file_is_read_without_its_newline() {
    let dir = TempDir::new();
    for (mode, content) in [(0o600, "tok\n"), (0o400, "tok\r\n"), (0o640, "tok")] {
        let path = dir.file("s", content, mode);
        let s = secrets::read_file(&path).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.expose(), "tok", "{mode:o}");
        assert_eq!(format!("{s:?}"), "Secret(..)");
    }
}

#[test]
fn secret_file_readable_by_others_is_refused_naming_the_file() {
    let dir = TempDir::new();
    let path = dir.file("token", "tok\n", 0o644);
    let e = secrets::read_file(&path).err().unwrap_or_default();
    assert_eq!(
        e,
        format!(
            "{}: is readable or writable by others (mode 0644): chmod o-rwx",
            path.display()
        )
    );
    let path = dir.file("token2", "tok\n", 0o602);
    assert!(secrets::read_file(&path).is_err());
    let path = dir.file("token3", "tok\n", 0o660);
    let e = secrets::read_file(&path).err().unwrap_or_default();
    assert!(e.contains("writable by group"), "{e}");
}

#[test]
fn symlink_to_a_secret_file_is_refused() {
    let dir = TempDir::new();
    let real = dir.file("real", "tok", 0o600);
    let link = dir.path().join("link");
    std::os::unix::fs::symlink(&real, &link).unwrap_or_else(|e| panic!("{e}"));
    let e = secrets::read_file(&link).err().unwrap_or_default();
    assert!(
        e.starts_with(&link.display().to_string()) && e.contains("symbolic link"),
        "{e}"
    );
}

#[test]
fn odd_secret_files_are_refused() {
    let dir = TempDir::new();
    let cases = [
        (dir.file("empty", "\n", 0o600), "is empty"),
        (dir.file("two", "a\nb\n", 0o600), "more than one line"),
        (
            dir.file("big", &"x".repeat(MAX_SECRET_BYTES as usize + 1), 0o600),
            "larger than",
        ),
        (dir.path().join("missing"), "does not exist"),
        (dir.path().to_path_buf(), "not a regular file"),
    ];
    for (path, why) in cases {
        let e = secrets::read_file(&path).err().unwrap_or_default();
        assert!(e.contains(why), "{}: {e}", path.display());
    }
}

#[test]
fn secret_file_owned_by_another_user_is_refused() {
    if !nix::unistd::geteuid().is_root() {
        return; // only root can give a file away
    }
    let dir = TempDir::new();
    let path = dir.file("s", "tok", 0o600);
    nix::unistd::chown(&path, Some(nix::unistd::Uid::from_raw(65534)), None)
        .unwrap_or_else(|e| panic!("{e}"));
    let e = secrets::read_file(&path).err().unwrap_or_default();
    assert!(e.contains("owned by uid 65534"), "{e}");
}

#[test]
fn credential_is_read_from_the_credentials_directory() {
    let dir = TempDir::new();
    dir.file("twilio-main", "tok\n", 0o400);
    let r = SecretRef::Credential("twilio-main".into());
    let s = secrets::read(&r, Some(dir.path())).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.expose(), "tok");
    let e = secrets::read(&r, None).err().unwrap_or_default();
    assert!(e.contains("$CREDENTIALS_DIRECTORY is not set"), "{e}");
    let e = secrets::read(&SecretRef::Credential("../x".into()), Some(dir.path()));
    assert!(e.is_err());
}
