//! Which uids may own org.mfa.Mfad1: the one `daemon_uid=` names, else root and the `mfad` user.

use std::ffi::CStr;

const DAEMON_USER: &CStr = c"mfad";

pub fn allowed_owners(configured: Option<u32>) -> Vec<u32> {
    match configured {
        Some(uid) => vec![uid],
        None => {
            let mut uids = vec![0];
            uids.extend(uid_of(DAEMON_USER));
            uids
        }
    }
}

/// getpwnam_r: reentrant, reads no environment.
fn uid_of(name: &CStr) -> Option<u32> {
    let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
    let mut buf = vec![0 as libc::c_char; 4096];
    let mut result: *mut libc::passwd = std::ptr::null_mut();
    let rc = unsafe {
        libc::getpwnam_r(
            name.as_ptr(),
            &mut pwd,
            buf.as_mut_ptr(),
            buf.len(),
            &mut result,
        )
    };
    (rc == 0 && !result.is_null()).then_some(pwd.pw_uid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configured_uid_is_the_only_owner() {
        assert_eq!(allowed_owners(Some(1234)), vec![1234]);
    }

    #[test]
    fn default_owners_include_root() {
        assert_eq!(allowed_owners(None).first(), Some(&0));
    }
}
