//! The state directory (`[daemon] state_dir`, `/var/lib/mfa`) as the daemon's user sees it.
//! mfad runs as `mfad` (systemd's `User=`, the init script's `--chuid`); files made by root
//! (an `mfad` run by hand as root, a restored backup) are unreadable to it: the audit log is
//! then silently off and `mfa admin list` shows "unreadable record". Judged from owner, group
//! and mode (the doctor runs as root, so trying to read would prove nothing); supplementary
//! groups and ACLs are not considered.

use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use super::messages::Msg;
use super::report::Finding;
use super::under;
use crate::i18n::tr;
use mfa_config::Language;

/// The user the packaged mfad runs as.
const DAEMON_USER: &str = "mfad";
/// At most this many paths are named in the finding.
const NAMED: usize = 5;
/// A state directory is small; a bound keeps a mistaken `state_dir = "/srv"` from taking long.
const MAX_ENTRIES: usize = 100_000;

/// The finding for `state_dir` (as configured) under `root`; None when there is nothing to
/// judge (no such directory here, or no `mfad` user: the daemon then runs as root).
pub fn check(root: &Path, state_dir: &Path, lang: Language) -> Option<Finding> {
    let dir = under(root, state_dir);
    if !dir.is_dir() {
        return None;
    }
    let passwd = fs::read_to_string(under(root, Path::new("/etc/passwd"))).ok()?;
    let (uid, gid) = user_ids(&passwd, DAEMON_USER)?;
    let mut unreadable = Vec::new();
    let mut seen = 0;
    walk(&dir, uid, gid, &mut unreadable, &mut seen);
    if unreadable.is_empty() {
        return Some(Finding::ok(tr!(
            lang,
            Msg::StateDirReadable,
            dir = state_dir.display(),
            user = DAEMON_USER
        )));
    }
    let count = unreadable.len();
    let mut named: Vec<String> = unreadable
        .iter()
        .take(NAMED)
        .map(|p| shown(p, &dir, state_dir))
        .collect();
    if count > NAMED {
        named.push("…".into());
    }
    Some(Finding::fail(
        tr!(
            lang,
            Msg::StateDirUnreadable,
            dir = state_dir.display(),
            user = DAEMON_USER,
            count = count,
            files = named.join(", ")
        ),
        tr!(
            lang,
            Msg::StateDirUnreadableFix,
            user = DAEMON_USER,
            dir = state_dir.display()
        ),
    ))
}

/// `path` (under `root`) as the configured path on the checked host.
fn shown(path: &Path, dir: &Path, state_dir: &Path) -> String {
    match path.strip_prefix(dir) {
        Ok(rel) if rel.as_os_str().is_empty() => state_dir.display().to_string(),
        Ok(rel) => state_dir.join(rel).display().to_string(),
        Err(_) => path.display().to_string(),
    }
}

/// The uid and gid of `name` in a passwd text.
fn user_ids(passwd: &str, name: &str) -> Option<(u32, u32)> {
    passwd.lines().find_map(|l| {
        let f: Vec<&str> = l.split(':').collect();
        (f.len() == 7 && f[0] == name).then(|| Some((f[2].parse().ok()?, f[3].parse().ok()?)))?
    })
}

/// Collects what `uid`/`gid` cannot read below (and including) `path`; symlinks are not followed.
fn walk(path: &Path, uid: u32, gid: u32, out: &mut Vec<PathBuf>, seen: &mut usize) {
    *seen += 1;
    if *seen > MAX_ENTRIES {
        return;
    }
    let Ok(meta) = fs::symlink_metadata(path) else {
        return;
    };
    if meta.file_type().is_symlink() {
        return;
    }
    let need = if meta.is_dir() { 0o5 } else { 0o4 };
    if !may(
        meta.uid(),
        meta.gid(),
        meta.permissions().mode(),
        uid,
        gid,
        need,
    ) {
        out.push(path.to_path_buf());
    }
    if meta.is_dir()
        && let Ok(entries) = fs::read_dir(path)
    {
        let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        entries.sort();
        for entry in entries {
            walk(&entry, uid, gid, out, seen);
        }
    }
}

/// May a process of `uid`/`gid` do `need` (a mask of r=4, w=2, x=1) on a file of this owner,
/// group and mode? The classes are exclusive, as in the kernel: the owner gets only the owner
/// bits.
fn may(owner: u32, group: u32, mode: u32, uid: u32, gid: u32, need: u32) -> bool {
    let bits = if owner == uid {
        mode >> 6
    } else if group == gid {
        mode >> 3
    } else {
        mode
    };
    bits & need == need
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_owner_needs_the_owner_bits_even_when_others_may() {
        assert!(may(998, 998, 0o600, 998, 998, 0o4));
        assert!(!may(998, 998, 0o044, 998, 998, 0o4));
    }

    #[test]
    fn a_root_owned_private_file_is_unreadable_to_mfad() {
        assert!(!may(0, 0, 0o600, 998, 998, 0o4));
        assert!(may(0, 998, 0o640, 998, 998, 0o4));
        assert!(may(0, 0, 0o644, 998, 998, 0o4));
    }

    #[test]
    fn a_directory_needs_read_and_search() {
        assert!(!may(0, 0, 0o744, 998, 998, 0o5));
        assert!(may(998, 998, 0o700, 998, 998, 0o5));
    }

    #[test]
    fn the_daemon_user_is_found_in_passwd() {
        let passwd =
            "root:x:0:0::/root:/bin/bash\nmfad:x:998:997::/var/lib/mfa:/usr/sbin/nologin\n";
        assert_eq!(user_ids(passwd, "mfad"), Some((998, 997)));
        assert_eq!(user_ids(passwd, "nobody"), None);
    }
}
