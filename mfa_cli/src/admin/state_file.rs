//! `mfa admin import-google-authenticator`: reading the user's state file without trusting its name.

use crate::admin_messages::Msg;
use crate::i18n::tr;
use mfa_config::Language;

/// Read the state file without following a symlink, bounded in size (it may sit in a user's
/// home, where the user controls what the name points to).
pub(super) fn read_state_file(lang: Language, path: &std::path::Path) -> Result<String, String> {
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    if !file.metadata().map_err(|e| e.to_string())?.is_file() {
        return Err(tr!(lang, Msg::NotARegularFile, file = path.display()));
    }
    let mut text = String::new();
    let limit = crate::google_authenticator::MAX_FILE_BYTES as u64 + 1;
    file.take(limit)
        .read_to_string(&mut text)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(text)
}
