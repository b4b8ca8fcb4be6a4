use std::fs;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::PathBuf;

use super::perms::{Kind, Stat, judge};
use super::*;

/// A fresh directory for one test, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("mfad-config-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        Scratch(dir)
    }

    /// Writes `text` to `name` with `mode` and returns its path.
    fn file(&self, name: &str, text: &str, mode: u32) -> PathBuf {
        let path = self.0.join(name);
        fs::write(&path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        fs::set_permissions(&path, fs::Permissions::from_mode(mode))
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn load_problem(path: &Path) -> Problem {
    match Config::load(path) {
        Ok(c) => panic!("{} loaded: {c:?}", path.display()),
        Err(p) => {
            assert_eq!(p.len(), 1, "{p:#?}");
            p.into_iter().next().unwrap_or_else(|| Problem::file(""))
        }
    }
}

#[test]
fn private_config_loads() {
    let s = Scratch::new("private");
    for mode in [0o600, 0o644, 0o400] {
        let path = s.file("mfad.toml", "[limits]\nmax_failures = 20\n", mode);
        let c = Config::load(&path).unwrap_or_else(|p| panic!("{mode:o}: {p:?}"));
        assert_eq!(c.limits.max_failures, 20);
    }
}

#[test]
fn group_writable_config_is_refused() {
    let s = Scratch::new("group");
    let p = load_problem(&s.file("mfad.toml", "", 0o664));
    assert_eq!(
        p.to_string(),
        "is writable by group (mode 0664): chmod go-w"
    );
}

#[test]
fn world_writable_config_is_refused() {
    let s = Scratch::new("world");
    let p = load_problem(&s.file("mfad.toml", "", 0o666));
    assert_eq!(
        p.to_string(),
        "is writable by group and others (mode 0666): chmod go-w"
    );
    let p = load_problem(&s.file("mfad.toml", "", 0o602));
    assert_eq!(p.message, "is writable by others (mode 0602): chmod go-w");
}

#[test]
fn symlinked_config_is_refused() {
    let s = Scratch::new("symlink");
    let target = s.file("real.toml", "", 0o644);
    let link = s.0.join("mfad.toml");
    symlink(&target, &link).unwrap_or_else(|e| panic!("{e}"));
    let p = load_problem(&link);
    assert!(p.message.starts_with("is a symbolic link"), "{p}");
    assert_eq!((p.key.as_str(), p.line), ("", None));
}

#[test]
fn missing_config_is_a_problem() {
    let s = Scratch::new("missing");
    let p = load_problem(&s.0.join("mfad.toml"));
    assert!(p.message.starts_with("does not exist"), "{p}");
}

#[test]
fn directory_as_config_is_refused() {
    let s = Scratch::new("dir");
    let p = load_problem(&s.0);
    assert_eq!(p.message, "is a directory, not a file");
}

#[test]
fn fifo_as_config_is_refused_without_hanging() {
    let s = Scratch::new("fifo");
    let path = s.0.join("mfad.toml");
    nix::unistd::mkfifo(&path, nix::sys::stat::Mode::from_bits_truncate(0o600))
        .unwrap_or_else(|e| panic!("{e}"));
    let p = load_problem(&path);
    assert_eq!(p.message, "is a FIFO, not a regular file");
}

#[test]
fn config_over_1_mib_is_refused() {
    let s = Scratch::new("big");
    let text = "#".repeat(MAX_CONFIG_BYTES as usize + 1);
    let p = load_problem(&s.file("mfad.toml", &text, 0o644));
    assert!(p.message.contains("1 MiB"), "{p}");
}

#[test]
fn non_utf8_config_is_refused_with_its_line() {
    let s = Scratch::new("utf8");
    let path = s.file("mfad.toml", "", 0o644);
    fs::write(&path, b"[daemon]\n# caf\xe9\n").unwrap_or_else(|e| panic!("{e}"));
    let p = load_problem(&path);
    assert_eq!(
        p.to_string(),
        "line 2: is not valid UTF-8 (TOML files must be UTF-8)"
    );
}

#[test]
fn problems_in_a_loaded_file_come_from_the_parser() {
    let s = Scratch::new("parse");
    let p = load_problem(&s.file("mfad.toml", "[totp]\ndigits = 9\n", 0o644));
    assert_eq!((p.key.as_str(), p.line), ("totp.digits", Some(2)));
}

fn regular(uid: u32, mode: u32) -> Stat {
    Stat {
        kind: Kind::File,
        uid,
        mode: 0o100000 | mode,
        len: 10,
    }
}

#[test]
fn config_owned_by_another_user_is_refused() {
    let problems = judge(&regular(1000, 0o644), 998);
    assert_eq!(
        problems,
        [
            "is owned by uid 1000, but must be owned by root (or by uid 998, the user mfad runs as): chown root"
        ]
    );
}

#[test]
fn config_owned_by_root_or_the_daemon_user_is_accepted() {
    assert!(judge(&regular(0, 0o644), 998).is_empty());
    assert!(judge(&regular(998, 0o600), 998).is_empty());
    assert!(judge(&regular(0, 0o640), 0).is_empty());
}

#[test]
fn every_permission_problem_is_reported() {
    let st = Stat {
        len: MAX_CONFIG_BYTES + 1,
        ..regular(1000, 0o666)
    };
    assert_eq!(judge(&st, 998).len(), 3);
}
