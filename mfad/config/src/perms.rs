//! Reading the config file only if it is safe to trust: a regular file (not a symlink), owned by
//! root or by the user the daemon runs as, not writable by group or others, at most 1 MiB.
//! Each refusal says why and how to fix it.

use std::fs::{File, Metadata};
use std::io::{ErrorKind, Read};
use std::os::unix::fs::{FileTypeExt, MetadataExt, OpenOptionsExt};
use std::path::Path;

use super::problems::Problem;

/// The largest config file the daemon reads.
pub const MAX_CONFIG_BYTES: u64 = 1 << 20;

pub(super) fn too_large() -> String {
    "is larger than 1 MiB, the most a config file may have".to_owned()
}

/// Reads the file at `path` after checking it, or says everything that is wrong with it.
pub(super) fn read_config(path: &Path) -> Result<String, Vec<Problem>> {
    let one = |m: String| vec![Problem::file(m)];
    // lstat first, so that a symlink is named as such rather than as an open error.
    let meta = std::fs::symlink_metadata(path).map_err(|e| one(open_error(&e)))?;
    if meta.file_type().is_symlink() {
        return Err(one(SYMLINK.to_owned()));
    }
    // O_NOFOLLOW: a symlink swapped in after the lstat is refused; O_NONBLOCK: a FIFO swapped in
    // does not hang the open. The checks below are made on the opened file itself.
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
        .map_err(|e| one(open_error(&e)))?;
    let meta = file
        .metadata()
        .map_err(|e| one(format!("cannot be examined: {e}")))?;
    let problems = judge(&Stat::of(&meta), nix::unistd::geteuid().as_raw());
    if !problems.is_empty() {
        return Err(problems.into_iter().map(Problem::file).collect());
    }
    read_bounded(file).map_err(|p| vec![p])
}

const SYMLINK: &str = "is a symbolic link; mfad reads only a regular file, so replace the link \
                       with the file it points to (or pass that file with --config)";

fn open_error(e: &std::io::Error) -> String {
    match e.kind() {
        ErrorKind::NotFound => "does not exist; mfad needs a config file: install the commented \
                                example mfad.toml (every key is optional) and adjust it"
            .to_owned(),
        ErrorKind::PermissionDenied => {
            "cannot be read (permission denied): make it readable by the user mfad runs as"
                .to_owned()
        }
        _ if e.raw_os_error() == Some(libc::ELOOP) => SYMLINK.to_owned(),
        _ => format!("cannot be opened: {e}"),
    }
}

/// The parts of a file's metadata the checks need.
#[derive(Debug, Clone, Copy)]
pub(super) struct Stat {
    pub kind: Kind,
    pub uid: u32,
    pub mode: u32,
    pub len: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    File,
    Dir,
    Symlink,
    Other(&'static str),
}

impl Stat {
    fn of(meta: &Metadata) -> Stat {
        let t = meta.file_type();
        let kind = if t.is_file() {
            Kind::File
        } else if t.is_dir() {
            Kind::Dir
        } else if t.is_symlink() {
            Kind::Symlink
        } else if t.is_fifo() {
            Kind::Other("a FIFO")
        } else if t.is_socket() {
            Kind::Other("a socket")
        } else {
            Kind::Other("a device")
        };
        Stat {
            kind,
            uid: meta.uid(),
            mode: meta.mode(),
            len: meta.len(),
        }
    }
}

/// Everything wrong with a file of this type, owner, mode and size, for a daemon running as `euid`.
pub(super) fn judge(st: &Stat, euid: u32) -> Vec<String> {
    match st.kind {
        Kind::File => {}
        Kind::Dir => return vec!["is a directory, not a file".to_owned()],
        Kind::Symlink => return vec![SYMLINK.to_owned()],
        Kind::Other(what) => return vec![format!("is {what}, not a regular file")],
    }
    let mut problems = Vec::new();
    if st.uid != 0 && st.uid != euid {
        problems.push(format!(
            "is owned by uid {}, but must be owned by root (or by uid {euid}, the user mfad runs \
             as): chown root",
            st.uid
        ));
    }
    let writers = match (st.mode & 0o020 != 0, st.mode & 0o002 != 0) {
        (true, true) => Some("group and others"),
        (true, false) => Some("group"),
        (false, true) => Some("others"),
        (false, false) => None,
    };
    if let Some(who) = writers {
        let mode = st.mode & 0o7777;
        problems.push(format!(
            "is writable by {who} (mode {mode:04o}): chmod go-w"
        ));
    }
    if st.len > MAX_CONFIG_BYTES {
        problems.push(too_large());
    }
    problems
}

/// Reads at most `MAX_CONFIG_BYTES` (the file may grow after the check) and checks it is UTF-8.
fn read_bounded(file: File) -> Result<String, Problem> {
    let mut bytes = Vec::new();
    file.take(MAX_CONFIG_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Problem::file(format!("cannot be read: {e}")))?;
    if bytes.len() as u64 > MAX_CONFIG_BYTES {
        return Err(Problem::file(too_large()));
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = e
            .as_bytes()
            .get(..e.utf8_error().valid_up_to())
            .unwrap_or_default();
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        Problem::new(
            "",
            Some(line),
            "is not valid UTF-8 (TOML files must be UTF-8)",
        )
    })
}
