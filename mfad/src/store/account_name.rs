//! One record per account, whatever spelling of its name a caller used. With SSSD or winbind,
//! `Alice`, `alice` and `ALICE` can all be the same account (AD names are case-insensitive);
//! keying records by the typed spelling would give one account several records, each with its
//! own last used step and failure counter. The record key is therefore the name NSS reports
//! for the account (`pw_name` from getpwnam_r). A name NSS does not know is kept as typed: it
//! has no account to share a record with, and the unenrolled policy decides about it as before.
//!
//! getpwnam_r may block (LDAP, SSSD): this is only called from the store, which runs on the
//! blocking pool, never on the workers that answer the bus.
//!
//! Answers are remembered for [`REMEMBER`] (1 s): a transaction's locked read and its save,
//! milliseconds apart, cost one NSS call instead of two (with a human typing, `Start`'s read is
//! seconds earlier and asks again; with a machine answering, all three share one). A look-up
//! costs about 30 `openat` with nss-systemd. Why that is safe: the answer only picks which
//! record file (or row) a typed name uses. A stale answer could map the name to the spelling of
//! an account that was deleted and recreated under another spelling (case-insensitive
//! directories) in the last second, i.e. to the old account's record or to none, which the
//! unenrolled policy decides. The system's own NSS caches already give such stale answers for
//! far longer (nscd 600 s, SSSD's entry cache 5400 s by default), so 1 s here opens no window
//! that is not already open; and records are keyed by name, so an account recreated with the
//! same spelling finds the old record with or without this cache (removing it is the admin's
//! step). Only NSS's answers are remembered, never a failed look-up (an NSS error, not "no
//! such account"): the next call asks again.

use std::collections::HashMap;
use std::ffi::{CStr, CString};
use std::sync::{LazyLock, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// The longest getpwnam_r buffer tried before giving up (NSS answers ERANGE until it fits).
const MAX_BUFFER: usize = 1 << 20;
/// How long an NSS answer is used again (see the module comment).
const REMEMBER: Duration = Duration::from_secs(1);
/// Remembered answers at most; when full, the expired ones go, and if none has, all go.
const MAX_REMEMBERED: usize = 4096;

/// typed name → (when NSS answered, the canonical name; None when NSS has no such account).
type Answers = HashMap<String, (Instant, Option<String>)>;
static ANSWERS: LazyLock<Mutex<Answers>> = LazyLock::new(Mutex::default);

/// The account's canonical name, or `typed` itself when NSS has no such account or the
/// lookup fails.
pub fn canonical(typed: &str) -> String {
    let now = crate::clock::now();
    if let Some(answer) = remembered(typed, now) {
        return answer.unwrap_or_else(|| typed.to_string());
    }
    match lookup(typed) {
        Ok(answer) => {
            remember(typed, now, answer.clone());
            answer.unwrap_or_else(|| typed.to_string())
        }
        Err(()) => typed.to_string(),
    }
}

fn remembered(typed: &str, now: Instant) -> Option<Option<String>> {
    let answers = ANSWERS.lock().unwrap_or_else(PoisonError::into_inner);
    let (at, answer) = answers.get(typed)?;
    (now.saturating_duration_since(*at) < REMEMBER).then(|| answer.clone())
}

fn remember(typed: &str, now: Instant, answer: Option<String>) {
    let mut answers = ANSWERS.lock().unwrap_or_else(PoisonError::into_inner);
    if answers.len() >= MAX_REMEMBERED {
        answers.retain(|_, (at, _)| now.saturating_duration_since(*at) < REMEMBER);
        if answers.len() >= MAX_REMEMBERED {
            answers.clear();
        }
    }
    answers.insert(typed.to_string(), (now, answer));
}

/// NSS's answer: `Ok(None)` when it has no such account, `Err` when the look-up failed.
fn lookup(typed: &str) -> Result<Option<String>, ()> {
    // A name with a NUL cannot be an account.
    let Ok(name) = CString::new(typed) else {
        return Ok(None);
    };
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
        if rc != 0 {
            return Err(());
        }
        if found.is_null() || entry.pw_name.is_null() {
            return Ok(None);
        }
        // SAFETY: pw_name points into `buffer`, NUL-terminated by getpwnam_r.
        let canonical = unsafe { CStr::from_ptr(entry.pw_name) };
        return Ok(canonical.to_str().ok().map(str::to_string));
    }
}

#[cfg(test)]
mod tests {
    use super::{canonical, remember, remembered};

    #[test]
    fn a_known_account_keeps_its_own_name() {
        assert_eq!(canonical("root"), "root");
    }

    #[test]
    fn a_name_nss_does_not_know_is_kept_as_typed() {
        assert_eq!(canonical("no-such-user-x9q"), "no-such-user-x9q");
        assert_eq!(canonical("nul\0inside"), "nul\0inside");
    }

    #[test]
    fn an_answer_is_used_again_only_briefly() {
        let t0 = crate::clock::now();
        remember("cache-test-x9q", t0, Some("Cache-Test-X9q".into()));
        assert_eq!(
            remembered("cache-test-x9q", t0 + super::REMEMBER / 2),
            Some(Some("Cache-Test-X9q".into()))
        );
        assert_eq!(remembered("cache-test-x9q", t0 + super::REMEMBER), None);
        assert_eq!(remembered("never-asked-x9q", t0), None);
    }
}
