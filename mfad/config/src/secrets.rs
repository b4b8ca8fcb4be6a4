//! Reading gateway secrets once, at start-up: from a `*_file` path, or a `*_credential` name
//! under `$CREDENTIALS_DIRECTORY` (systemd `LoadCredential=`). The daemon reads that variable
//! itself when it starts and passes the directory in; nothing here reads the environment.
//!
//! A file is used only if it is a regular file (not a symlink: opened with `O_NOFOLLOW`, checked
//! on the opened file), owned by root or by this process's user, not readable or writable by
//! others, not writable by its group, and 1 byte to 4 KiB. Every error names the file.

use std::fmt;
use std::fs::OpenOptions;
use std::io::{ErrorKind, Read};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::Path;

use crate::SecretRef;

/// The most a secret file may hold.
pub const MAX_SECRET_BYTES: u64 = 4096;

/// A secret read from a file. Its `Debug` shows nothing of it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(..)")
    }
}

/// Reads the secret `r` points to. `credentials_dir` is `$CREDENTIALS_DIRECTORY` as the daemon
/// found it at start-up.
pub fn read(r: &SecretRef, credentials_dir: Option<&Path>) -> Result<Secret, String> {
    match r {
        SecretRef::File(path) => read_file(path),
        SecretRef::Credential(name) => {
            let Some(dir) = credentials_dir else {
                return Err(format!(
                    "credential \"{name}\": $CREDENTIALS_DIRECTORY is not set (give mfad.service \
                     LoadCredential={name}:PATH, or use a *_file key)"
                ));
            };
            // The config allows one path segment only; check again, this is where it is opened.
            if name.is_empty() || name.contains('/') || name == "." || name == ".." {
                return Err(format!("credential \"{name}\": not a file name"));
            }
            read_file(&dir.join(name))
        }
    }
}

/// Reads one secret file by the rules above; strips one trailing newline.
pub fn read_file(path: &Path) -> Result<Secret, String> {
    read_checked(path, false)
}

/// As [`read_file`], for a file of several lines (the store's sealing keys): newlines are
/// allowed between the lines, no other control character.
pub fn read_lines_file(path: &Path) -> Result<Secret, String> {
    read_checked(path, true)
}

fn read_checked(path: &Path, lines: bool) -> Result<Secret, String> {
    let shown = path.display();
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC)
        .open(path);
    let file = match file {
        Ok(f) => f,
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => {
            return Err(format!(
                "{shown}: is a symbolic link; give the path of the file itself"
            ));
        }
        Err(e) if e.kind() == ErrorKind::NotFound => {
            return Err(format!("{shown}: does not exist"));
        }
        Err(e) => return Err(format!("{shown}: cannot be opened: {e}")),
    };
    let meta = file
        .metadata()
        .map_err(|e| format!("{shown}: cannot be examined: {e}"))?;
    if !meta.file_type().is_file() {
        return Err(format!("{shown}: is not a regular file"));
    }
    let mode = meta.mode() & 0o7777;
    if mode & 0o007 != 0 {
        return Err(format!(
            "{shown}: is readable or writable by others (mode {mode:04o}): chmod o-rwx"
        ));
    }
    if mode & 0o020 != 0 {
        return Err(format!(
            "{shown}: is writable by group (mode {mode:04o}): chmod g-w"
        ));
    }
    let me = nix::unistd::geteuid().as_raw();
    if meta.uid() != 0 && meta.uid() != me {
        return Err(format!(
            "{shown}: is owned by uid {}, but must be owned by root or by uid {me} (the user mfad \
             runs as)",
            meta.uid()
        ));
    }
    if meta.len() > MAX_SECRET_BYTES {
        return Err(format!(
            "{shown}: is larger than {MAX_SECRET_BYTES} bytes; it should hold only the secret"
        ));
    }
    let mut bytes = Vec::new();
    file.take(MAX_SECRET_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("{shown}: cannot be read: {e}"))?;
    if bytes.len() as u64 > MAX_SECRET_BYTES {
        return Err(format!("{shown}: is larger than {MAX_SECRET_BYTES} bytes"));
    }
    let text = String::from_utf8(bytes).map_err(|_| format!("{shown}: is not UTF-8 text"))?;
    let text = text
        .strip_suffix("\r\n")
        .or_else(|| text.strip_suffix('\n'))
        .unwrap_or(&text);
    if text.is_empty() {
        return Err(format!("{shown}: is empty"));
    }
    if text
        .chars()
        .any(|c| c.is_control() && !(lines && c == '\n'))
    {
        return Err(format!(
            "{shown}: contains a control character or more than one line (only one trailing \
             newline is allowed)"
        ));
    }
    Ok(Secret(text.to_owned()))
}
