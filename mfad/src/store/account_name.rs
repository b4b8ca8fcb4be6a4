//! One record per account, whatever spelling of its name a caller used. With SSSD or winbind,
//! `Alice`, `alice` and `ALICE` can all be the same account (AD names are case-insensitive);
//! keying records by the typed spelling would give one account several records, each with its
//! own last used step and failure counter. The record key is therefore the name NSS reports
//! for the account (`pw_name` from getpwnam_r). A name NSS does not know is kept as typed: it
//! has no account to share a record with, and the unenrolled policy decides about it as before.
//!
//! getpwnam_r may block (LDAP, SSSD): this is only called from the store, which runs on the
//! blocking pool, never on the workers that answer the bus.

use std::ffi::{CStr, CString};

/// The longest getpwnam_r buffer tried before giving up (NSS answers ERANGE until it fits).
const MAX_BUFFER: usize = 1 << 20;

/// The account's canonical name, or `typed` itself when NSS has no such account or the
/// lookup fails.
pub fn canonical(typed: &str) -> String {
    lookup(typed).unwrap_or_else(|| typed.to_string())
}

fn lookup(typed: &str) -> Option<String> {
    let name = CString::new(typed).ok()?;
    let mut buffer = vec![0u8; 1024];
    loop {
        // SAFETY: all-zero bytes are a valid `passwd` (null pointers, zero ids).
        let mut entry: libc::passwd = unsafe { std::mem::zeroed() };
        let mut found: *mut libc::passwd = std::ptr::null_mut();
        // SAFETY: every pointer refers to memory that lives across the call; `buffer.len()` is
        // its real size; `found` is only read when getpwnam_r says it set it.
        let rc = unsafe {
            libc::getpwnam_r(
                name.as_ptr(),
                &mut entry,
                buffer.as_mut_ptr().cast(),
                buffer.len(),
                &mut found,
            )
        };
        if rc == libc::ERANGE && buffer.len() < MAX_BUFFER {
            buffer.resize(buffer.len() * 2, 0);
            continue;
        }
        if rc != 0 || found.is_null() || entry.pw_name.is_null() {
            return None;
        }
        // SAFETY: pw_name points into `buffer`, NUL-terminated by getpwnam_r.
        let canonical = unsafe { CStr::from_ptr(entry.pw_name) };
        return canonical.to_str().ok().map(str::to_string);
    }
}

#[cfg(test)]
mod tests {
    use super::canonical;

    #[test]
    fn a_known_account_keeps_its_own_name() {
        assert_eq!(canonical("root"), "root");
    }

    #[test]
    fn a_name_nss_does_not_know_is_kept_as_typed() {
        assert_eq!(canonical("no-such-user-x9q"), "no-such-user-x9q");
        assert_eq!(canonical("nul\0inside"), "nul\0inside");
    }
}
